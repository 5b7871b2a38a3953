import { buildStreamFailureRecord, type FailedBatch } from '../../../local/pollers/failure-record';

const BATCH: FailedBatch = {
  source: 'kinesis',
  requestId: 'c9b8fa9f-5a7f-4b6d-af9c-0c604cde93a5',
  functionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:consumer',
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 3,
  timestampMs: Date.UTC(2019, 10, 14, 0, 38, 6, 21),
  shardId: 'shardId-000000000001',
  streamArn: 'arn:aws:kinesis:eu-west-2:123456789012:stream/orders',
  startSequenceNumber: '100',
  endSequenceNumber: '200',
  firstArrivalMs: Date.UTC(2019, 10, 14, 0, 38, 4, 835),
  lastArrivalMs: Date.UTC(2019, 10, 14, 0, 38, 5, 580),
  batchSize: 2,
};

describe('buildStreamFailureRecord', () => {
  it('builds the documented Kinesis on-failure record', () => {
    // GIVEN a Kinesis batch given up on WHEN the record is built THEN it has the documented shape
    expect(buildStreamFailureRecord(BATCH)).toEqual({
      requestContext: {
        requestId: BATCH.requestId,
        functionArn: BATCH.functionArn,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2019-11-14T00:38:06.021Z',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000001',
        startSequenceNumber: '100',
        endSequenceNumber: '200',
        approximateArrivalOfFirstRecord: '2019-11-14T00:38:04.835Z',
        approximateArrivalOfLastRecord: '2019-11-14T00:38:05.580Z',
        batchSize: 2,
        streamArn: BATCH.streamArn,
      },
    });
  });

  it('puts DynamoDB batches under DDBStreamBatchInfo with arrival times without milliseconds', () => {
    // GIVEN a DynamoDB Streams batch WHEN the record is built THEN the key and time format differ
    const record = buildStreamFailureRecord({ ...BATCH, source: 'dynamodb', condition: 'MaximumRecordAgeExceeded' });
    expect(record.KinesisBatchInfo).toBeUndefined();
    expect(record.DDBStreamBatchInfo?.approximateArrivalOfFirstRecord).toBe('2019-11-14T00:38:04Z');
    expect(record.DDBStreamBatchInfo?.approximateArrivalOfLastRecord).toBe('2019-11-14T00:38:05Z');
    expect(record.requestContext.condition).toBe('MaximumRecordAgeExceeded');
    expect(record.timestamp).toBe('2019-11-14T00:38:06.021Z');
  });
});
