import { parseArn, parseFunctionArn, s3DestinationKey } from '../../../local/async/destination-sender';

describe('parseFunctionArn', () => {
  it.each([
    ['arn:aws:lambda:eu-west-1:123456789012:function:notify', { name: 'notify' }],
    ['arn:aws:lambda:eu-west-1:123456789012:function:notify:$LATEST', { name: 'notify', qualifier: '$LATEST' }],
    ['arn:aws:lambda:eu-west-1:123456789012:function:notify:live', { name: 'notify', qualifier: 'live' }],
  ])('reads %s', (arn, expected) => {
    // GIVEN a function ARN WHEN parsed THEN name and qualifier come out
    expect(parseFunctionArn(arn)).toEqual(expected);
  });

  it('rejects a queue ARN with the ARN in the message', () => {
    // GIVEN an SQS ARN WHEN parsed as a function THEN it throws naming it
    expect(() => parseFunctionArn('arn:aws:sqs:eu-west-1:123456789012:q')).toThrow(
      /arn:aws:sqs:eu-west-1:123456789012:q/,
    );
  });
});

describe('parseArn', () => {
  it('keeps colons of the resource part', () => {
    // GIVEN an ARN whose resource has colons WHEN parsed THEN the resource is whole
    expect(parseArn('arn:aws:sns:eu-west-1:123456789012:topic:sub-id')).toEqual({
      service: 'sns',
      region: 'eu-west-1',
      accountId: '123456789012',
      resource: 'topic:sub-id',
    });
  });
});

describe('s3DestinationKey', () => {
  it('follows aws/lambda/async/<function>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>', () => {
    // GIVEN a time and id WHEN the key is built THEN it has Lambda's layout
    const key = s3DestinationKey('notify', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 'abc');
    expect(key).toBe('aws/lambda/async/notify/2026/01/02/2026-01-02T03.04.05-abc');
  });
});
