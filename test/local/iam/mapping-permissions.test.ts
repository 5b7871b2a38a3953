import type { Decision } from '../../../local/iam';
import { pollPermissionProblem } from '../../../local/iam';

const allowOnly =
  (...actions: string[]) =>
  (action: string): Decision => ({
    allowed: actions.includes(action),
    reason: actions.includes(action) ? 'allow' : 'implicit-deny',
    unevaluated: [],
  });

describe("an event source mapping's poll permissions", () => {
  it('finds nothing missing when the role has every SQS poll action', () => {
    // GIVEN a role with the three SQS actions WHEN the mapping is checked THEN there is no problem
    const problem = pollPermissionProblem(
      { source: 'sqs', eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' },
      allowOnly('sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'),
    );
    expect(problem).toBeUndefined();
  });

  it('names the first missing SQS action as CreateEventSourceMapping does', () => {
    // GIVEN a role without sqs:DeleteMessage WHEN checked THEN AWS's message names it
    const problem = pollPermissionProblem(
      { source: 'sqs', eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' },
      allowOnly('sqs:ReceiveMessage', 'sqs:GetQueueAttributes'),
    );
    expect(problem).toBe('The provided execution role does not have permissions to call DeleteMessage on SQS');
  });

  it('asks for the four DynamoDB Streams actions on the stream', () => {
    // GIVEN a role without dynamodb:ListStreams WHEN checked THEN AWS's stream message lists the actions
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026';
    const problem = pollPermissionProblem(
      { source: 'dynamodb', eventSourceArn: arn },
      allowOnly('dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream'),
    );
    expect(problem).toBe(
      `Cannot access stream ${arn}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM.`,
    );
  });
});
