import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Endpoint } from '../../../local/endpoint/server';
import { clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

let endpoint: Endpoint;
let ddb: DynamoDBClient;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  endpoint = await startDataEndpoint();
  ddb = new DynamoDBClient(clientConfig(endpoint));
  streams = new DynamoDBStreamsClient(clientConfig(endpoint));
});

afterAll(async () => {
  ddb.destroy();
  streams.destroy();
  await endpoint.stop();
});

/** A table keyed by `pk`, with a NEW_AND_OLD_IMAGES stream; returns its name and stream ARN. */
async function streamedTable(): Promise<{ TableName: string; StreamArn: string }> {
  const TableName = uniqueName('tx');
  const created = await ddb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return { TableName, StreamArn: created.TableDescription!.LatestStreamArn! };
}

async function streamEvents(StreamArn: string): Promise<Array<[string, string]>> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
  const { ShardIterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn,
      ShardId: StreamDescription!.Shards![0]!.ShardId!,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
  return (Records ?? []).map((r) => [r.eventName!, r.dynamodb!.Keys!.pk!.S!]);
}

async function item(TableName: string, pk: string): Promise<Record<string, unknown> | undefined> {
  return (await ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;
}

async function seed(TableName: string): Promise<void> {
  await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'keep' }, n: { N: '1' } } }));
  await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'gone' }, n: { N: '2' } } }));
  await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'text' }, n: { S: 'not a number' } } }));
}

describe('DynamoDB TransactWriteItems', () => {
  test('GIVEN a put, an update, a delete and a passing condition check WHEN they are written in one transaction THEN all apply and the stream sees each write once', async () => {
    const { TableName, StreamArn } = await streamedTable();
    await seed(TableName);
    const before = (await streamEvents(StreamArn)).length;

    await ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: { S: 'new' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Update: {
              TableName,
              Key: { pk: { S: 'keep' } },
              UpdateExpression: 'SET n = n + :one',
              ConditionExpression: 'n = :was',
              ExpressionAttributeValues: { ':one': { N: '1' }, ':was': { N: '1' } },
            },
          },
          { Delete: { TableName, Key: { pk: { S: 'gone' } } } },
          { ConditionCheck: { TableName, Key: { pk: { S: 'text' } }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    );

    expect(await item(TableName, 'new')).toEqual({ pk: { S: 'new' } });
    expect(await item(TableName, 'keep')).toEqual({ pk: { S: 'keep' }, n: { N: '2' } });
    expect(await item(TableName, 'gone')).toBeUndefined();
    expect((await streamEvents(StreamArn)).slice(before)).toEqual([
      ['INSERT', 'new'],
      ['MODIFY', 'keep'],
      ['REMOVE', 'gone'],
    ]);
  });

  test('GIVEN a condition that fails on the third action WHEN the transaction is written THEN TransactionCanceledException with one reason per action, and nothing changes', async () => {
    const { TableName, StreamArn } = await streamedTable();
    await seed(TableName);
    const before = (await streamEvents(StreamArn)).length;

    const err = (await ddb
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: { S: 'new' } } } },
            { Delete: { TableName, Key: { pk: { S: 'gone' } } } },
            {
              Update: {
                TableName,
                Key: { pk: { S: 'keep' } },
                UpdateExpression: 'SET n = :nine',
                ConditionExpression: 'n = :five',
                ExpressionAttributeValues: { ':nine': { N: '9' }, ':five': { N: '5' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              ConditionCheck: { TableName, Key: { pk: { S: 'absent' } }, ConditionExpression: 'attribute_exists(pk)' },
            },
          ],
        }),
      )
      .catch((e: unknown) => e)) as TransactionCanceledException;

    expect(err.name).toBe('TransactionCanceledException');
    expect(err.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    expect(err.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: 'keep' }, n: { N: '1' } },
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await item(TableName, 'new')).toBeUndefined();
    expect(await item(TableName, 'gone')).toEqual({ pk: { S: 'gone' }, n: { N: '2' } });
    expect((await streamEvents(StreamArn)).slice(before)).toEqual([]);
  });

  test('GIVEN an update the engine refuses after earlier writes applied WHEN the transaction is written THEN the earlier writes are undone and the stream sees none', async () => {
    const { TableName, StreamArn } = await streamedTable();
    await seed(TableName);
    const before = (await streamEvents(StreamArn)).length;

    await expect(
      ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: { S: 'new' } } } },
            { Delete: { TableName, Key: { pk: { S: 'gone' } } } },
            {
              Update: {
                TableName,
                Key: { pk: { S: 'text' } },
                UpdateExpression: 'SET n = n + :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });

    expect(await item(TableName, 'new')).toBeUndefined();
    expect(await item(TableName, 'gone')).toEqual({ pk: { S: 'gone' }, n: { N: '2' } });
    expect((await streamEvents(StreamArn)).slice(before)).toEqual([]);
  });

  test.each<[string, TransactWriteItem[] | ((t: string) => TransactWriteItem[]), string]>([
    [
      'two actions on one item',
      (TableName) => [
        { Put: { TableName, Item: { pk: { S: 'a' } } } },
        { Delete: { TableName, Key: { pk: { S: 'a' } } } },
      ],
      'Transaction request cannot include multiple operations on one item',
    ],
    [
      'no actions',
      [],
      "at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      '101 actions',
      (TableName) => Array.from({ length: 101 }, (_, i) => ({ Put: { TableName, Item: { pk: { S: `k${i}` } } } })),
      'Member must have length less than or equal to 100',
    ],
    [
      'a key without the partition key',
      (TableName) => [{ Delete: { TableName, Key: { other: { S: 'a' } } } }],
      'The provided key element does not match the schema',
    ],
  ])('GIVEN %s WHEN the transaction is written THEN ValidationException', async (_what, items, message) => {
    const { TableName } = await streamedTable();

    await expect(
      ddb.send(
        new TransactWriteItemsCommand({ TransactItems: typeof items === 'function' ? items(TableName) : items }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining(message) });
  });

  test('GIVEN an action on a table that does not exist WHEN the transaction is written THEN ResourceNotFoundException and the other actions do not apply', async () => {
    const { TableName } = await streamedTable();

    await expect(
      ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: { S: 'a' } } } },
            { Put: { TableName: 'no-such-table-here', Item: { pk: { S: 'a' } } } },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await item(TableName, 'a')).toBeUndefined();
  });

  test('GIVEN a ClientRequestToken WHEN the same transaction is sent twice THEN it applies once; a different request with that token is IdempotentParameterMismatchException', async () => {
    const { TableName } = await streamedTable();
    const add = (by: string): TransactWriteItemsCommand =>
      new TransactWriteItemsCommand({
        ClientRequestToken: 'order-42',
        TransactItems: [
          {
            Update: {
              TableName,
              Key: { pk: { S: 'counter' } },
              UpdateExpression: 'ADD n :by',
              ExpressionAttributeValues: { ':by': { N: by } },
            },
          },
        ],
      });

    await ddb.send(add('1'));
    await ddb.send(add('1'));

    expect(await item(TableName, 'counter')).toEqual({ pk: { S: 'counter' }, n: { N: '1' } });
    await expect(ddb.send(add('5'))).rejects.toMatchObject({ name: 'IdempotentParameterMismatchException' });
  });
});

describe('DynamoDB TransactGetItems', () => {
  test('GIVEN items WHEN they are read in one transaction THEN each comes back in order, projected, and a missing one as an empty response', async () => {
    const { TableName } = await streamedTable();
    await seed(TableName);

    const res = await ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName, Key: { pk: { S: 'gone' } } } },
          { Get: { TableName, Key: { pk: { S: 'absent' } } } },
          {
            Get: {
              TableName,
              Key: { pk: { S: 'keep' } },
              ProjectionExpression: '#n',
              ExpressionAttributeNames: { '#n': 'n' },
            },
          },
        ],
      }),
    );

    expect(res.Responses).toEqual([{ Item: { pk: { S: 'gone' }, n: { N: '2' } } }, {}, { Item: { n: { N: '1' } } }]);
  });

  test('GIVEN the same item twice WHEN it is read in one transaction THEN ValidationException', async () => {
    const { TableName } = await streamedTable();

    await expect(
      ddb.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName, Key: { pk: { S: 'a' } } } },
            { Get: { TableName, Key: { pk: { S: 'a' } } } },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
  });
});

describe('DynamoDB ItemCollectionMetrics', () => {
  async function tableWithLocalIndex(): Promise<string> {
    const TableName = uniqueName('lsi');
    await ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'added', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'by-at',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'added', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    return TableName;
  }

  const metrics = { ItemCollectionKey: { pk: { S: 'p' } }, SizeEstimateRangeGB: [0, 1] };

  test('GIVEN a table with a local secondary index WHEN items are put, updated and deleted with ReturnItemCollectionMetrics SIZE THEN each answer carries the collection key and size estimate', async () => {
    const TableName = await tableWithLocalIndex();
    const Key = { pk: { S: 'p' }, sk: { S: 's' } };

    const put = await ddb.send(
      new PutItemCommand({ TableName, Item: { ...Key, added: { S: '1' } }, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    const update = await ddb.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET added = :at',
        ExpressionAttributeValues: { ':at': { S: '2' } },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    const del = await ddb.send(new DeleteItemCommand({ TableName, Key, ReturnItemCollectionMetrics: 'SIZE' }));
    const tx = await ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [{ Put: { TableName, Item: { ...Key, added: { S: '3' } } } }],
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );

    expect(put.ItemCollectionMetrics).toEqual(metrics);
    expect(update.ItemCollectionMetrics).toEqual(metrics);
    expect(del.ItemCollectionMetrics).toEqual(metrics);
    expect(tx.ItemCollectionMetrics).toEqual({ [TableName]: [metrics] });
  });

  test('GIVEN a table without local secondary indexes WHEN an item is put with ReturnItemCollectionMetrics SIZE THEN no metrics come back', async () => {
    const { TableName } = await streamedTable();

    const put = await ddb.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'p' } }, ReturnItemCollectionMetrics: 'SIZE' }),
    );

    expect(put.ItemCollectionMetrics).toBeUndefined();
  });
});
