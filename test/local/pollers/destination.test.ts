import { queueUrlFromArn, streamFailureS3Key } from '../../../local/pollers/destination';

describe('stream on-failure destinations', () => {
  it('keys an S3 on-failure record by mapping, shard and time', () => {
    // GIVEN a failure at 2026-11-29T08:05:09.123Z on one shard of one mapping
    const key = streamFailureS3Key('esm-1', 'shardId-000000000001', Date.UTC(2026, 10, 29, 8, 5, 9, 123), 'u-1');
    // THEN the key follows aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<UUID>
    expect(key).toBe('aws/lambda/esm-1/shardId-000000000001/2026/11/29/2026-11-29T08.05.09-u-1');
  });

  it.each([
    ['arn:aws:sqs:eu-west-2:123456789012:failures', 'http://127.0.0.1:4566/123456789012/failures'],
    ['arn:aws:sqs:eu-west-2:123456789012:failures.fifo', 'http://127.0.0.1:4566/123456789012/failures.fifo'],
    ['arn:aws:sns:eu-west-2:123456789012:topic', undefined],
    ['not-an-arn', undefined],
  ])('derives the local queue URL of %s', (arn, url) => {
    expect(queueUrlFromArn('http://127.0.0.1:4566/', arn)).toBe(url);
  });
});
