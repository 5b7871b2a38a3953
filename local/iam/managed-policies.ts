/**
 * The documents of the AWS managed policies Lambda execution roles use, as AWS publishes them, so a
 * role that names one by ARN gets exactly its grants locally. A managed policy not listed here is
 * reported at start-up and contributes nothing.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html#permissions-executionrole-features
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
 */
const LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

const allowAll = (actions: readonly string[]): unknown => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});

/** Managed policy documents by the part of the ARN after `:iam::aws:policy/`. */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, unknown>> = {
  // @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
  'service-role/AWSLambdaBasicExecutionRole': allowAll(LOGS),
  // @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaSQSQueueExecutionRole.html
  'service-role/AWSLambdaSQSQueueExecutionRole': allowAll([
    'sqs:ReceiveMessage',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    ...LOGS,
  ]),
  // @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaKinesisExecutionRole.html
  'service-role/AWSLambdaKinesisExecutionRole': allowAll([
    'kinesis:DescribeStream',
    'kinesis:DescribeStreamSummary',
    'kinesis:GetRecords',
    'kinesis:GetShardIterator',
    'kinesis:ListShards',
    'kinesis:ListStreams',
    'kinesis:SubscribeToShard',
    ...LOGS,
  ]),
  // @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaDynamoDBExecutionRole.html
  'service-role/AWSLambdaDynamoDBExecutionRole': allowAll([
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
    ...LOGS,
  ]),
  // @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSXRayDaemonWriteAccess.html
  AWSXRayDaemonWriteAccess: allowAll([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'xray:GetSamplingStatisticSummaries',
  ]),
};

/** The document of an AWS managed policy ARN (`arn:<partition>:iam::aws:policy/<path/name>`), if known. */
export function awsManagedPolicy(arn: string): unknown {
  const m = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn);
  return m ? AWS_MANAGED_POLICIES[m[1]!] : undefined;
}
