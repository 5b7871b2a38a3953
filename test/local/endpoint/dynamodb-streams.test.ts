import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { Endpoint } from '../../../local/endpoint/server';
import type { DynamoDbStreamsService } from '../../../local/endpoint/services/dynamodb-streams';
import { ACCOUNT, REGION, ManualClock, clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

const clock = new ManualClock();
let endpoint: Endpoint;
let ddb: DynamoDBClient;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  endpoint = await startDataEndpoint({ clock, ttlSweepMs: 60_000 });
  ddb = new DynamoDBClient(clientConfig(endpoint));
  streams = new DynamoDBStreamsClient(clientConfig(endpoint));
});

afterAll(async () => {
  ddb.destroy();
  streams.destroy();
  await endpoint.stop();
});

interface StreamTable {
  readonly TableName: string;
  readonly StreamArn: string;
  readonly ShardId: string;
}

async function tableWithStream(view: StreamViewType): Promise<StreamTable> {
  const TableName = uniqueName('table');
  const created = await ddb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: view },
    }),
  );
  const StreamArn = created.TableDescription!.LatestStreamArn!;
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
  return { TableName, StreamArn, ShardId: StreamDescription!.Shards![0]!.ShardId! };
}

async function readFrom(
  table: StreamTable,
  ShardIteratorType: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON',
): Promise<_Record[]> {
  const { ShardIterator } = await streams.send(
    new GetShardIteratorCommand({ StreamArn: table.StreamArn, ShardId: table.ShardId, ShardIteratorType }),
  );
  const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
  return Records ?? [];
}

const put = (TableName: string, pk: string, v: string): Promise<unknown> =>
  ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, v: { S: v } } }));

describe('DynamoDB Streams discovery', () => {
  test('GIVEN a Limit out of range WHEN streams are listed THEN a ValidationException names the limit, not a 500', async () => {
    const error = await streams.send(new ListStreamsCommand({ Limit: 0 })).catch((err: Error) => err);

    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain("Value '0' at 'limit'");
  });

  test('GIVEN tables with streams WHEN streams are listed for one table THEN only that table’s stream comes back', async () => {
    const a = await tableWithStream('KEYS_ONLY');
    await tableWithStream('KEYS_ONLY');

    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: a.TableName }));

    expect(Streams).toEqual([
      { StreamArn: a.StreamArn, TableName: a.TableName, StreamLabel: a.StreamArn.split('/stream/')[1] },
    ]);
  });

  test('GIVEN a table with a stream WHEN the stream is described THEN it is ENABLED with the view type, key schema and one open shard', async () => {
    const t = await tableWithStream('NEW_AND_OLD_IMAGES');

    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: t.StreamArn }));

    expect(StreamDescription).toMatchObject({
      StreamArn: t.StreamArn,
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      TableName: t.TableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    expect(StreamDescription?.StreamArn).toContain(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/`);
    expect(StreamDescription?.Shards).toHaveLength(1);
    expect(StreamDescription?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
  });

  test('GIVEN no such stream WHEN it is described THEN the SDK raises ResourceNotFoundException', async () => {
    await expect(
      streams.send(
        new DescribeStreamCommand({
          StreamArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/none/stream/2026-01-01T00:00:00.000`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
  });
});

describe('DynamoDB Streams records', () => {
  test('GIVEN NEW_AND_OLD_IMAGES WHEN an item is inserted, modified and removed THEN INSERT, MODIFY and REMOVE records carry the right images', async () => {
    const t = await tableWithStream('NEW_AND_OLD_IMAGES');

    await put(t.TableName, 'a', '1');
    await put(t.TableName, 'a', '2');
    await ddb.send(new DeleteItemCommand({ TableName: t.TableName, Key: { pk: { S: 'a' } } }));
    const records = await readFrom(t);

    expect(records.map((r) => [r.eventName, r.dynamodb?.OldImage?.v?.S, r.dynamodb?.NewImage?.v?.S])).toEqual([
      ['INSERT', undefined, '1'],
      ['MODIFY', '1', '2'],
      ['REMOVE', '2', undefined],
    ]);
    for (const r of records) expect(r.dynamodb?.Keys).toEqual({ pk: { S: 'a' } });
  });

  test('GIVEN a record WHEN it is read THEN it has the AWS envelope: source, version, region, id, size, view type and a Date', async () => {
    const t = await tableWithStream('NEW_IMAGE');

    await put(t.TableName, 'a', '1');
    const [record] = await readFrom(t);

    expect(record).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: REGION,
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      dynamodb: {
        StreamViewType: 'NEW_IMAGE',
        SizeBytes: expect.any(Number),
        SequenceNumber: expect.stringMatching(/^\d{21}$/),
      },
    });
    expect(record?.dynamodb?.ApproximateCreationDateTime).toBeInstanceOf(Date);
    expect(record?.dynamodb?.SizeBytes).toBeGreaterThan(0);
  });

  test('GIVEN several writes WHEN they are read THEN sequence numbers strictly increase', async () => {
    const t = await tableWithStream('KEYS_ONLY');

    for (let i = 0; i < 5; i++) await put(t.TableName, `k${i}`, 'x');
    const seq = (await readFrom(t)).map((r) => BigInt(r.dynamodb!.SequenceNumber!));

    expect(seq).toHaveLength(5);
    for (let i = 1; i < seq.length; i++) expect(seq[i]! > seq[i - 1]!).toBe(true);
  });

  test.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
  ] as const)(
    'GIVEN %s WHEN an item is modified THEN NewImage present=%s and OldImage present=%s',
    async (view, hasNew, hasOld) => {
      const t = await tableWithStream(view);

      await put(t.TableName, 'a', '1');
      await put(t.TableName, 'a', '2');
      const modify = (await readFrom(t))[1];

      expect(modify?.eventName).toBe('MODIFY');
      expect(modify?.dynamodb?.Keys).toEqual({ pk: { S: 'a' } });
      expect(modify?.dynamodb?.NewImage !== undefined).toBe(hasNew);
      expect(modify?.dynamodb?.OldImage !== undefined).toBe(hasOld);
    },
  );

  test('GIVEN an item WHEN the identical item is put again THEN no record is written', async () => {
    const t = await tableWithStream('NEW_AND_OLD_IMAGES');

    await put(t.TableName, 'a', 'same');
    await put(t.TableName, 'a', 'same');

    expect((await readFrom(t)).map((r) => r.eventName)).toEqual(['INSERT']);
  });

  test('GIVEN an item WHEN UpdateItem changes an attribute THEN a MODIFY record shows old and new values', async () => {
    const t = await tableWithStream('NEW_AND_OLD_IMAGES');
    await ddb.send(new PutItemCommand({ TableName: t.TableName, Item: { pk: { S: 'c' }, n: { N: '1' } } }));

    await ddb.send(
      new UpdateItemCommand({
        TableName: t.TableName,
        Key: { pk: { S: 'c' } },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    const modify = (await readFrom(t))[1];

    expect([modify?.eventName, modify?.dynamodb?.OldImage?.n?.N, modify?.dynamodb?.NewImage?.n?.N]).toEqual([
      'MODIFY',
      '1',
      '2',
    ]);
  });

  test('GIVEN UpdateItem on a missing key WHEN it creates the item THEN an INSERT record is written', async () => {
    const t = await tableWithStream('NEW_IMAGE');

    await ddb.send(
      new UpdateItemCommand({
        TableName: t.TableName,
        Key: { pk: { S: 'new' } },
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      }),
    );

    expect((await readFrom(t)).map((r) => [r.eventName, r.dynamodb?.NewImage?.v?.S])).toEqual([['INSERT', 'x']]);
  });

  test('GIVEN a BatchWriteItem with two puts and a delete WHEN it succeeds THEN records follow in request order', async () => {
    const t = await tableWithStream('NEW_AND_OLD_IMAGES');
    await put(t.TableName, 'old', '0');

    await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [t.TableName]: [
            { PutRequest: { Item: { pk: { S: 'b1' } } } },
            { DeleteRequest: { Key: { pk: { S: 'old' } } } },
            { PutRequest: { Item: { pk: { S: 'b2' } } } },
          ],
        },
      }),
    );

    expect((await readFrom(t)).slice(1).map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S])).toEqual([
      ['INSERT', 'b1'],
      ['REMOVE', 'old'],
      ['INSERT', 'b2'],
    ]);
  });

  test('GIVEN a conditional put that fails WHEN the stream is read THEN no record was written for it', async () => {
    const t = await tableWithStream('NEW_IMAGE');
    await put(t.TableName, 'a', '1');

    await ddb
      .send(
        new PutItemCommand({
          TableName: t.TableName,
          Item: { pk: { S: 'a' }, v: { S: '2' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch(() => undefined);

    expect(await readFrom(t)).toHaveLength(1);
  });

  test('GIVEN 20 concurrent increments of one counter WHEN the stream is read THEN each MODIFY goes from n to n+1 (writes are serialized)', async () => {
    const t = await tableWithStream('NEW_AND_OLD_IMAGES');
    await ddb.send(new PutItemCommand({ TableName: t.TableName, Item: { pk: { S: 'c' }, n: { N: '0' } } }));

    await Promise.all(
      Array.from({ length: 20 }, () =>
        ddb.send(
          new UpdateItemCommand({
            TableName: t.TableName,
            Key: { pk: { S: 'c' } },
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        ),
      ),
    );
    const modifies = (await readFrom(t)).slice(1);

    expect(modifies.map((r) => [Number(r.dynamodb?.OldImage?.n?.N), Number(r.dynamodb?.NewImage?.n?.N)])).toEqual(
      Array.from({ length: 20 }, (_, i) => [i, i + 1]),
    );
  });

  test('GIVEN a stream WHEN the in-process hook is subscribed THEN it is told about new records at once', async () => {
    const t = await tableWithStream('KEYS_ONLY');
    const seen: string[] = [];
    const off = (endpoint.service('dynamodbstreams') as DynamoDbStreamsService).onRecords((arn, records) => {
      if (arn === t.StreamArn) seen.push(...records.map((r) => r.eventName));
    });

    await put(t.TableName, 'a', '1');
    off();
    await put(t.TableName, 'b', '1');

    expect(seen).toEqual(['INSERT']);
  });
});

describe('DynamoDB Streams iterators', () => {
  test('GIVEN earlier records WHEN a LATEST iterator is read after a new write THEN only the new record comes back', async () => {
    const t = await tableWithStream('KEYS_ONLY');
    await put(t.TableName, 'before', 'x');
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: t.StreamArn, ShardId: t.ShardId, ShardIteratorType: 'LATEST' }),
    );

    await put(t.TableName, 'after', 'x');
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));

    expect(Records?.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['after']);
  });

  test('GIVEN three records WHEN AT_ and AFTER_SEQUENCE_NUMBER iterators start at the second THEN they read from the second and the third', async () => {
    const t = await tableWithStream('KEYS_ONLY');
    for (const k of ['a', 'b', 'c']) await put(t.TableName, k, 'x');
    const second = (await readFrom(t))[1]!.dynamodb!.SequenceNumber!;
    const keysFrom = async (ShardIteratorType: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'): Promise<string[]> => {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: t.StreamArn,
          ShardId: t.ShardId,
          ShardIteratorType,
          SequenceNumber: second,
        }),
      );
      const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
      return (Records ?? []).map((r) => r.dynamodb!.Keys!.pk!.S!);
    };

    expect(await keysFrom('AT_SEQUENCE_NUMBER')).toEqual(['b', 'c']);
    expect(await keysFrom('AFTER_SEQUENCE_NUMBER')).toEqual(['c']);
  });

  test('GIVEN five records WHEN read with Limit 2 THEN NextShardIterator pages through them and stays open at the tip', async () => {
    const t = await tableWithStream('KEYS_ONLY');
    for (let i = 0; i < 5; i++) await put(t.TableName, `k${i}`, 'x');
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: t.StreamArn, ShardId: t.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );

    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 2 }));
      sizes.push(page.Records?.length ?? 0);
      ShardIterator = page.NextShardIterator;
    }

    expect(sizes).toEqual([2, 2, 1, 0]);
    expect(ShardIterator).toBeDefined();
  });

  test('GIVEN Limit 1001 WHEN records are read THEN the SDK raises ValidationException', async () => {
    const t = await tableWithStream('KEYS_ONLY');
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: t.StreamArn, ShardId: t.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );

    await expect(streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1001 }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  test('GIVEN an iterator 16 virtual minutes old WHEN it is read THEN the SDK raises ExpiredIteratorException', async () => {
    const t = await tableWithStream('KEYS_ONLY');
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: t.StreamArn, ShardId: t.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );

    clock.advance(16 * 60 * 1000);

    await expect(streams.send(new GetRecordsCommand({ ShardIterator }))).rejects.toMatchObject({
      name: 'ExpiredIteratorException',
    });
  });

  test('GIVEN a record older than 24 virtual hours WHEN the stream is read from TRIM_HORIZON THEN it has been trimmed', async () => {
    const t = await tableWithStream('KEYS_ONLY');
    await put(t.TableName, 'old', 'x');
    const oldSeq = (await readFrom(t))[0]!.dynamodb!.SequenceNumber!;

    clock.advance(24 * 60 * 60 * 1000 + 1000);
    await put(t.TableName, 'new', 'x');

    expect((await readFrom(t)).map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['new']);
    await expect(
      streams.send(
        new GetShardIteratorCommand({
          StreamArn: t.StreamArn,
          ShardId: t.ShardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: oldSeq,
        }),
      ),
    ).rejects.toMatchObject({ name: 'TrimmedDataAccessException' });
  });

  test('GIVEN a disabled stream WHEN it is read to its end THEN it is DISABLED, its shard has an end and no NextShardIterator comes back', async () => {
    const t = await tableWithStream('KEYS_ONLY');
    await put(t.TableName, 'a', 'x');

    await ddb.send(new UpdateTableCommand({ TableName: t.TableName, StreamSpecification: { StreamEnabled: false } }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: t.StreamArn }));
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: t.StreamArn, ShardId: t.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const page = await streams.send(new GetRecordsCommand({ ShardIterator }));

    expect(StreamDescription?.StreamStatus).toBe('DISABLED');
    expect(StreamDescription?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber).toMatch(/^\d{21}$/);
    expect(page.Records).toHaveLength(1);
    expect(page.NextShardIterator).toBeUndefined();
  });
});

describe('DynamoDB Streams and Time to Live', () => {
  test('GIVEN TTL enabled and an expired item WHEN the periodic sweep runs on the virtual clock THEN a REMOVE record names the DynamoDB service as the deleter', async () => {
    const t = await tableWithStream('NEW_AND_OLD_IMAGES');
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: t.TableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
      }),
    );
    const nowS = Math.floor(clock.now() / 1000);
    await ddb.send(
      new PutItemCommand({ TableName: t.TableName, Item: { pk: { S: 'session' }, expires: { N: String(nowS + 30) } } }),
    );

    clock.advance(60_000);
    let records: _Record[] = [];
    for (let i = 0; i < 50 && records.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      records = await readFrom(t);
    }

    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(records[1]?.userIdentity).toEqual({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
    expect(records[1]?.dynamodb?.OldImage?.pk?.S).toBe('session');
  });
});
