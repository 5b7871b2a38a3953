import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Endpoint } from '../../../local/endpoint/server';
import type { DynamoDbService } from '../../../local/endpoint/services/dynamodb';
import { ACCOUNT, REGION, clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

let endpoint: Endpoint;
let ddb: DynamoDBClient;

beforeAll(async () => {
  endpoint = await startDataEndpoint();
  ddb = new DynamoDBClient(clientConfig(endpoint));
});

afterAll(async () => {
  ddb.destroy();
  await endpoint.stop();
});

async function createTable(extra: Partial<CreateTableCommandInput> = {}, withSortKey = false): Promise<string> {
  const TableName = uniqueName('table');
  await ddb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...(withSortKey ? [{ AttributeName: 'sk', AttributeType: 'N' as const }] : []),
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        ...(withSortKey ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []),
      ],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    }),
  );
  return TableName;
}

describe('DynamoDB tables', () => {
  test('GIVEN a table created with a stream WHEN it is described THEN StreamSpecification and a stream ARN with the configured region and account come back', async () => {
    const TableName = await createTable({
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });

    const { Table } = await ddb.send(new DescribeTableCommand({ TableName }));

    expect(Table?.TableArn).toBe(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TableName}`);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamLabel).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(Table?.LatestStreamArn).toBe(
      `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TableName}/stream/${Table?.LatestStreamLabel}`,
    );
  });

  test('GIVEN a table created with a stream WHEN CreateTable answers THEN its description already carries the stream', async () => {
    const TableName = uniqueName('table');

    const { TableDescription } = await ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );

    expect(TableDescription?.StreamSpecification?.StreamViewType).toBe('KEYS_ONLY');
    expect(TableDescription?.LatestStreamArn).toContain(`:table/${TableName}/stream/`);
  });

  test('GIVEN a table without a stream WHEN UpdateTable enables one and later disables it THEN DescribeTable shows it, then no StreamSpecification', async () => {
    const TableName = await createTable();

    await ddb.send(
      new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
    );
    const enabled = await ddb.send(new DescribeTableCommand({ TableName }));
    await ddb.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }));
    const disabled = await ddb.send(new DescribeTableCommand({ TableName }));

    expect(enabled.Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(disabled.Table?.StreamSpecification).toBeUndefined();
    expect(disabled.Table?.LatestStreamArn).toBe(enabled.Table?.LatestStreamArn);
  });

  test('GIVEN a stream enabled WHEN UpdateTable enables another THEN the SDK raises ValidationException', async () => {
    const TableName = await createTable({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });

    await expect(
      ddb.send(
        new UpdateTableCommand({
          TableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('GIVEN no such table WHEN an item is read THEN the SDK raises ResourceNotFoundException (400)', async () => {
    await expect(
      ddb.send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('GIVEN an operation the local engine lacks WHEN it is called THEN the error names the operation', async () => {
    const TableName = await createTable();

    await expect(
      ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}"` })),
    ).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('ExecuteStatement'),
    });
  });
});

describe('DynamoDB items', () => {
  test('GIVEN an item WHEN it is put and got THEN every attribute type round-trips', async () => {
    const TableName = await createTable();
    const Item = {
      pk: { S: 'a' },
      n: { N: '42.5' },
      b: { B: new Uint8Array([1, 2, 3]) },
      ok: { BOOL: true },
      nothing: { NULL: true },
      list: { L: [{ S: 'x' }, { N: '1' }] },
      map: { M: { nested: { S: 'y' } } },
      tags: { SS: ['p', 'q'] },
    };

    await ddb.send(new PutItemCommand({ TableName, Item }));
    const got = await ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'a' } } }));

    expect(got.Item).toEqual(Item);
  });

  test('GIVEN an existing item WHEN a put requires attribute_not_exists(pk) THEN ConditionalCheckFailedException', async () => {
    const TableName = await createTable();
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' } } }));

    await expect(
      ddb.send(
        new PutItemCommand({ TableName, Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } });
  });

  test('GIVEN ReturnValuesOnConditionCheckFailure ALL_OLD WHEN the condition fails THEN the error carries the existing item', async () => {
    const TableName = await createTable();
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, v: { N: '1' } } }));

    const err = await ddb
      .send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: 'a' }, v: { N: '2' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((e: unknown) => e);

    expect(err).toMatchObject({ name: 'ConditionalCheckFailedException', Item: { pk: { S: 'a' }, v: { N: '1' } } });
  });

  test('GIVEN an item WHEN it is updated with SET, ADD, if_not_exists and list_append THEN ALL_NEW shows every change', async () => {
    const TableName = await createTable();
    await ddb.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, count: { N: '1' }, log: { L: [{ S: 'x' }] } } }),
    );

    const { Attributes } = await ddb.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: { S: 'a' } },
        UpdateExpression:
          'SET #s = :s, created = if_not_exists(created, :now), #log = list_append(#log, :more) ADD #c :one',
        ExpressionAttributeNames: { '#s': 'status', '#log': 'log', '#c': 'count' },
        ExpressionAttributeValues: {
          ':s': { S: 'done' },
          ':now': { N: '100' },
          ':more': { L: [{ S: 'y' }] },
          ':one': { N: '1' },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );

    expect(Attributes).toEqual({
      pk: { S: 'a' },
      status: { S: 'done' },
      created: { N: '100' },
      log: { L: [{ S: 'x' }, { S: 'y' }] },
      count: { N: '2' },
    });
  });

  test('GIVEN items under one partition WHEN queried backwards with a filter THEN matching items come newest first', async () => {
    const TableName = await createTable({}, true);
    for (let sk = 1; sk <= 5; sk++)
      await ddb.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: 'p' }, sk: { N: String(sk) }, even: { BOOL: sk % 2 === 0 } },
        }),
      );

    const { Items } = await ddb.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :p AND sk >= :from',
        FilterExpression: 'even = :t',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':from': { N: '2' }, ':t': { BOOL: true } },
        ScanIndexForward: false,
      }),
    );

    expect(Items?.map((i) => i.sk?.N)).toEqual(['4', '2']);
  });

  test('GIVEN five items WHEN scanned two at a time THEN LastEvaluatedKey pages through all five', async () => {
    const TableName = await createTable();
    for (let i = 0; i < 5; i++) await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: `k${i}` } } }));

    const seen: string[] = [];
    let ExclusiveStartKey: Record<string, never> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName, Limit: 2, ExclusiveStartKey }));
      seen.push(...(page.Items ?? []).map((i) => i.pk!.S!));
      ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (ExclusiveStartKey);

    expect(seen.sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });

  test('GIVEN 25 puts in one BatchWriteItem WHEN they are read with BatchGetItem THEN all 25 are there', async () => {
    const TableName = await createTable();
    const keys = Array.from({ length: 25 }, (_, i) => `b${i}`);

    const written = await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: { [TableName]: keys.map((k) => ({ PutRequest: { Item: { pk: { S: k } } } })) },
      }),
    );
    const read = await ddb.send(
      new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: keys.map((k) => ({ pk: { S: k } })) } } }),
    );

    expect(written.UnprocessedItems ?? {}).toEqual({});
    expect(read.Responses?.[TableName]?.map((i) => i.pk!.S).sort()).toEqual([...keys].sort());
  });

  test('GIVEN the DocumentClient WHEN nested plain objects are put and got THEN they round-trip as JavaScript values', async () => {
    const TableName = await createTable();
    const doc = DynamoDBDocumentClient.from(ddb);
    const Item = { pk: 'doc', total: 12.5, lines: [{ sku: 'x', qty: 2 }], meta: { paid: true, note: null } };

    await doc.send(new PutCommand({ TableName, Item }));
    const got = await doc.send(new GetCommand({ TableName, Key: { pk: 'doc' } }));

    expect(got.Item).toEqual(Item);
  });
});

describe('DynamoDB Time to Live', () => {
  test('GIVEN a table WHEN TTL is enabled THEN DescribeTimeToLive says ENABLED with the attribute name', async () => {
    const TableName = await createTable();

    const updated = await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );
    const described = await ddb.send(new DescribeTimeToLiveCommand({ TableName }));

    expect(updated.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
    expect(described.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  test('GIVEN TTL already enabled WHEN it is enabled again THEN the SDK raises ValidationException', async () => {
    const TableName = await createTable();
    await ddb.send(
      new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }),
    );

    await expect(
      ddb.send(
        new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('already enabled') });
  });

  test('GIVEN no such table WHEN its TTL is described THEN the SDK raises ResourceNotFoundException', async () => {
    await expect(ddb.send(new DescribeTimeToLiveCommand({ TableName: 'no-such-table' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  test('GIVEN TTL enabled and one expired and one future item WHEN a sweep runs THEN only the expired item is deleted', async () => {
    const TableName = await createTable();
    const nowS = Math.floor(Date.now() / 1000);
    await ddb.send(
      new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }),
    );
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'old' }, ttl: { N: String(nowS - 60) } } }));
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'new' }, ttl: { N: String(nowS + 3600) } } }));

    await (endpoint.service('dynamodb') as DynamoDbService).sweepExpiredItems();

    expect((await ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'old' } } }))).Item).toBeUndefined();
    expect((await ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'new' } } }))).Item).toBeDefined();
  });
});

describe('Powertools idempotency against the local DynamoDB', () => {
  // Outside Lambda, Powertools warns that it has no context to read the remaining time from.
  beforeAll(() => jest.spyOn(console, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  test('GIVEN an idempotent handler WHEN it is called twice with the same order id THEN it runs once and the second call returns the stored result', async () => {
    const tableName = await createTable({
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName, clientConfig: clientConfig(endpoint) });
    let runs = 0;
    const handler = makeIdempotent(
      async (event: { orderId: string }) => {
        runs += 1;
        return { orderId: event.orderId, run: runs };
      },
      { persistenceStore, config: new IdempotencyConfig({ eventKeyJmesPath: 'orderId' }) },
    );

    const first = await handler({ orderId: 'o-1' });
    const second = await handler({ orderId: 'o-1' });

    expect(runs).toBe(1);
    expect(second).toEqual(first);
  });

  test('GIVEN an idempotent handler WHEN it is called with two different order ids THEN it runs twice', async () => {
    const tableName = await createTable({
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName, clientConfig: clientConfig(endpoint) });
    let runs = 0;
    const handler = makeIdempotent(
      async (event: { orderId: string }) => {
        runs += 1;
        return `${event.orderId}-${runs}`;
      },
      { persistenceStore, config: new IdempotencyConfig({ eventKeyJmesPath: 'orderId' }) },
    );

    await handler({ orderId: 'a' });
    await handler({ orderId: 'b' });

    expect(runs).toBe(2);
  });
});
