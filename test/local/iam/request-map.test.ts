import { accessChecksOf, type AccessCheck, type MappedRequest } from '../../../local/iam/request-map';

const CTX = { region: 'eu-west-2', accountId: '123456789012' };
const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference';
const ARN = (service: string, resource: string): string => `arn:aws:${service}:eu-west-2:123456789012:${resource}`;

function json(service: string, target: string, body: unknown): MappedRequest {
  return {
    method: 'POST',
    path: '/',
    rawQuery: '',
    query: new URLSearchParams(),
    headers: { 'x-amz-target': target },
    body: Buffer.from(JSON.stringify(body)),
    service,
    region: CTX.region,
  };
}

function rest(
  service: string,
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body = '',
): MappedRequest {
  const [path = '/', rawQuery = ''] = url.split('?');
  return {
    method,
    path,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: Buffer.from(body),
    service,
    region: CTX.region,
  };
}

function query(service: string, params: Record<string, string>): MappedRequest {
  return { ...rest(service, 'POST', '/'), body: Buffer.from(new URLSearchParams(params).toString()) };
}

const TABLE = ARN('dynamodb', 'table/Orders');
const STREAM = `${TABLE}/stream/2026-01-01T00:00:00.000`;

const CASES: ReadonlyArray<readonly [string, string, MappedRequest, readonly AccessCheck[]]> = [
  [
    'DynamoDB GetItem on the table',
    `${SAR}/list_amazondynamodb.html`,
    json('dynamodb', 'DynamoDB_20120810.GetItem', { TableName: 'Orders' }),
    [{ action: 'dynamodb:GetItem', resource: TABLE }],
  ],
  [
    'DynamoDB Query with IndexName on the index',
    `${SAR}/list_amazondynamodb.html`,
    json('dynamodb', 'DynamoDB_20120810.Query', { TableName: 'Orders', IndexName: 'byCustomer' }),
    [{ action: 'dynamodb:Query', resource: `${TABLE}/index/byCustomer` }],
  ],
  [
    'DynamoDB BatchWriteItem per table',
    `${SAR}/list_amazondynamodb.html`,
    json('dynamodb', 'DynamoDB_20120810.BatchWriteItem', { RequestItems: { Orders: [], Other: [] } }),
    [
      { action: 'dynamodb:BatchWriteItem', resource: TABLE },
      { action: 'dynamodb:BatchWriteItem', resource: ARN('dynamodb', 'table/Other') },
    ],
  ],
  [
    'DynamoDB TransactWriteItems as its item actions',
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html',
    json('dynamodb', 'DynamoDB_20120810.TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 'Orders' } }, { ConditionCheck: { TableName: 'Orders' } }],
    }),
    [
      { action: 'dynamodb:PutItem', resource: TABLE },
      { action: 'dynamodb:ConditionCheckItem', resource: TABLE },
    ],
  ],
  [
    'DynamoDB Streams GetRecords on the iterator’s stream',
    `${SAR}/list_amazondynamodb.html`,
    json('dynamodbstreams', 'DynamoDBStreams_20120810.GetRecords', { ShardIterator: `${STREAM}|e30` }),
    [{ action: 'dynamodb:GetRecords', resource: STREAM }],
  ],
  [
    'DynamoDB Streams ListStreams on *',
    `${SAR}/list_amazondynamodb.html`,
    json('dynamodbstreams', 'DynamoDBStreams_20120810.ListStreams', {}),
    [{ action: 'dynamodb:ListStreams', resource: '*' }],
  ],
  [
    'Kinesis PutRecords on the stream by name',
    `${SAR}/list_amazonkinesis.html`,
    json('kinesis', 'Kinesis_20131202.PutRecords', { StreamName: 'orders' }),
    [{ action: 'kinesis:PutRecords', resource: ARN('kinesis', 'stream/orders') }],
  ],
  [
    'SSM GetParameter on a path parameter without the double slash',
    `${SAR}/list_awssystemsmanager.html`,
    json('ssm', 'AmazonSSM.GetParameter', { Name: '/lab/max-quantity' }),
    [{ action: 'ssm:GetParameter', resource: ARN('ssm', 'parameter/lab/max-quantity') }],
  ],
  [
    'SSM GetParametersByPath on the path',
    `${SAR}/list_awssystemsmanager.html`,
    json('ssm', 'AmazonSSM.GetParametersByPath', { Path: '/lab' }),
    [{ action: 'ssm:GetParametersByPath', resource: ARN('ssm', 'parameter/lab') }],
  ],
  [
    'Secrets Manager GetSecretValue on the secret ARN',
    `${SAR}/list_awssecretsmanager.html`,
    json('secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: ARN('secretsmanager', 'secret:lab-AbCdEf') }),
    [{ action: 'secretsmanager:GetSecretValue', resource: ARN('secretsmanager', 'secret:lab-AbCdEf') }],
  ],
  [
    'SQS SendMessageBatch (JSON) as sqs:SendMessage on the queue',
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html',
    json('sqs', 'AmazonSQS.SendMessageBatch', { QueueUrl: 'http://127.0.0.1:4566/123456789012/orders' }),
    [{ action: 'sqs:SendMessage', resource: ARN('sqs', 'orders') }],
  ],
  [
    'SQS ReceiveMessage (Query protocol) on the queue',
    `${SAR}/list_amazonsqs.html`,
    query('sqs', { Action: 'ReceiveMessage', QueueUrl: 'http://127.0.0.1:4566/123456789012/orders' }),
    [{ action: 'sqs:ReceiveMessage', resource: ARN('sqs', 'orders') }],
  ],
  [
    'SNS Publish on the topic',
    `${SAR}/list_amazonsns.html`,
    query('sns', { Action: 'Publish', TopicArn: ARN('sns', 'orders') }),
    [{ action: 'sns:Publish', resource: ARN('sns', 'orders') }],
  ],
  [
    'S3 GetObject on bucket/key, decoded',
    `${SAR}/list_amazons3.html`,
    rest('s3', 'GET', '/files/orders/two%20words.json'),
    [{ action: 's3:GetObject', resource: 'arn:aws:s3:::files/orders/two words.json' }],
  ],
  [
    'S3 HEAD object needs s3:GetObject',
    'https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html',
    rest('s3', 'HEAD', '/files/a.json'),
    [{ action: 's3:GetObject', resource: 'arn:aws:s3:::files/a.json' }],
  ],
  [
    'S3 ListObjectsV2 on the bucket',
    `${SAR}/list_amazons3.html`,
    rest('s3', 'GET', '/files?list-type=2&prefix=orders/'),
    [{ action: 's3:ListBucket', resource: 'arn:aws:s3:::files' }],
  ],
  [
    'S3 CopyObject writes the target and reads the source',
    'https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html',
    rest('s3', 'PUT', '/files/b.json', { 'x-amz-copy-source': '/files/a.json' }),
    [
      { action: 's3:PutObject', resource: 'arn:aws:s3:::files/b.json' },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::files/a.json' },
    ],
  ],
  [
    'S3 DeleteObjects needs s3:DeleteObject per key',
    'https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html',
    rest(
      's3',
      'POST',
      '/files?delete',
      {},
      '<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>',
    ),
    [
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::files/a' },
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::files/b' },
    ],
  ],
  [
    'S3 virtual-host GetObject',
    `${SAR}/list_amazons3.html`,
    rest('s3', 'GET', '/a.json', { host: 'files.s3.localhost:4566' }),
    [{ action: 's3:GetObject', resource: 'arn:aws:s3:::files/a.json' }],
  ],
  [
    'Lambda Invoke on the qualified function ARN',
    `${SAR}/list_awslambda.html`,
    rest('lambda', 'POST', '/2015-03-31/functions/worker/invocations?Qualifier=live'),
    [{ action: 'lambda:InvokeFunction', resource: `${ARN('lambda', 'function:worker')}:live` }],
  ],
];

describe('the map from request to IAM action and resource', () => {
  it.each(CASES.map(([name, source, req, expected]) => [name, source, req, expected] as const))(
    '%s',
    (_name, source, req, expected) => {
      // GIVEN a request as the endpoint receives it
      // WHEN it is mapped
      const checks = accessChecksOf(req, CTX);
      // THEN it names the action(s) and resource(s) the Service Authorization Reference gives
      expect({ checks, source }).toEqual({ checks: expected, source });
    },
  );
});
