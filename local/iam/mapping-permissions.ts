import type { Decision } from './evaluate';

/** What the permission check of a mapping needs to know. */
export interface MappingToCheck {
  readonly source: 'sqs' | 'kinesis' | 'dynamodb';
  readonly eventSourceArn: string;
}

/**
 * The actions Lambda's poller performs with the function's execution role, per source, and the
 * resource each is checked on.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-create.html#services-kinesis-eventsourcemapping
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html
 */
export function pollActions(m: MappingToCheck): ReadonlyArray<readonly [string, string]> {
  switch (m.source) {
    case 'sqs':
      return [
        ['sqs:ReceiveMessage', m.eventSourceArn],
        ['sqs:DeleteMessage', m.eventSourceArn],
        ['sqs:GetQueueAttributes', m.eventSourceArn],
      ];
    case 'kinesis':
      return [
        ['kinesis:GetRecords', m.eventSourceArn],
        ['kinesis:GetShardIterator', m.eventSourceArn],
        ['kinesis:DescribeStream', m.eventSourceArn],
        ['kinesis:ListShards', m.eventSourceArn],
      ];
    case 'dynamodb':
      return [
        ['dynamodb:GetRecords', m.eventSourceArn],
        ['dynamodb:GetShardIterator', m.eventSourceArn],
        ['dynamodb:DescribeStream', m.eventSourceArn],
        ['dynamodb:ListStreams', '*'],
      ];
  }
}

/**
 * Why Lambda would refuse the mapping, in the words of `CreateEventSourceMapping`'s
 * `InvalidParameterValueException`, or `undefined` when the role has every poll permission.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html#API_CreateEventSourceMapping_Errors
 */
export function pollPermissionProblem(
  m: MappingToCheck,
  decide: (action: string, resource: string) => Decision,
): string | undefined {
  const missing = pollActions(m).filter(([action, resource]) => !decide(action, resource).allowed);
  if (missing.length === 0) return undefined;
  if (m.source === 'sqs') {
    const action = missing[0]![0].replace(/^sqs:/, '');
    return `The provided execution role does not have permissions to call ${action} on SQS`;
  }
  const names = pollActions(m).map(([a]) => a.replace(/^[a-z]+:/, ''));
  return (
    `Cannot access stream ${m.eventSourceArn}. Please ensure the role can perform the ` +
    `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]} Actions on your stream in IAM.`
  );
}
