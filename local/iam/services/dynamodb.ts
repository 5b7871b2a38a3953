import { arnOf, field, type AccessCheck, type ArnContext, type OperationRule, type ServiceTable } from '../access';

/** A table ARN from `TableName` (a name or an ARN), with `/index/<name>` when the request names an index. */
function tableArn(input: Record<string, unknown>, ctx: ArnContext, nameField = 'TableName'): string {
  const name = field(input, nameField) ?? field(input, 'TableArn') ?? field(input, 'ResourceArn') ?? '';
  const table = name.startsWith('arn:') ? name : arnOf('dynamodb', ctx, `table/${name}`);
  const index = field(input, 'IndexName');
  return index ? `${table}/index/${index}` : table;
}

const onTable =
  (action: string): OperationRule =>
  (input, ctx) => [{ action: `dynamodb:${action}`, resource: tableArn(input, ctx) }];

/** Batch operations are authorized per table of `RequestItems`, under the batch action's own name. */
const perRequestTable =
  (action: string): OperationRule =>
  (input, ctx) => {
    const items = input.RequestItems;
    const tables = typeof items === 'object' && items !== null ? Object.keys(items) : [];
    return tables.map((t) => ({ action: `dynamodb:${action}`, resource: tableArn({ TableName: t }, ctx) }));
  };

/** Transactions are authorized as the item operations they hold, each on its table. */
const TRANSACT_ACTIONS: Readonly<Record<string, string>> = {
  ConditionCheck: 'ConditionCheckItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Get: 'GetItem',
};

const transaction: OperationRule = (input, ctx) => {
  const checks: AccessCheck[] = [];
  const items = Array.isArray(input.TransactItems) ? (input.TransactItems as Array<Record<string, unknown>>) : [];
  for (const item of items) {
    for (const [kind, action] of Object.entries(TRANSACT_ACTIONS)) {
      const op = item[kind];
      if (typeof op === 'object' && op !== null) {
        checks.push({ action: `dynamodb:${action}`, resource: tableArn(op as Record<string, unknown>, ctx) });
      }
    }
  }
  return checks;
};

/**
 * DynamoDB: item and table operations on the table ARN, `Query`/`Scan` with `IndexName` on the index ARN,
 * batches per table, transactions per item.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
 */
export const dynamodbTable: ServiceTable = {
  prefix: 'dynamodb',
  rules: {
    ...Object.fromEntries(
      [
        'GetItem',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
        'Query',
        'Scan',
        'DescribeTable',
        'CreateTable',
        'DeleteTable',
        'UpdateTable',
        'DescribeTimeToLive',
        'UpdateTimeToLive',
        'ListTagsOfResource',
        'TagResource',
        'UntagResource',
        'DescribeContinuousBackups',
      ].map((op) => [op, onTable(op)]),
    ),
    BatchGetItem: perRequestTable('BatchGetItem'),
    BatchWriteItem: perRequestTable('BatchWriteItem'),
    TransactWriteItems: transaction,
    TransactGetItems: transaction,
  },
};

/** The stream ARN an iterator of the local DynamoDB Streams service carries (`<arn>|<state>`). */
function streamOfIterator(iterator: string | undefined): string {
  const bar = iterator?.lastIndexOf('|') ?? -1;
  return iterator && bar > 0 ? iterator.slice(0, bar) : '*';
}

/**
 * DynamoDB Streams (IAM prefix `dynamodb`): stream operations on the stream ARN; `GetRecords` on the
 * stream its iterator belongs to; `ListStreams` on `*`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */
export const dynamodbStreamsTable: ServiceTable = {
  prefix: 'dynamodb',
  rules: {
    DescribeStream: (input) => [{ action: 'dynamodb:DescribeStream', resource: field(input, 'StreamArn') ?? '*' }],
    GetShardIterator: (input) => [{ action: 'dynamodb:GetShardIterator', resource: field(input, 'StreamArn') ?? '*' }],
    GetRecords: (input) => [
      { action: 'dynamodb:GetRecords', resource: streamOfIterator(field(input, 'ShardIterator')) },
    ],
    ListStreams: () => [{ action: 'dynamodb:ListStreams', resource: '*' }],
  },
};
