import { EventEmitter } from 'node:events';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dispatchToNodeServer } from '../../../local/endpoint/node-adapter';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import type { LocalService } from '../../../local/endpoint/types';
import { REGION, clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

let endpoint: Endpoint;
let ddb: DynamoDBClient;
let table: string;

beforeAll(async () => {
  endpoint = await startDataEndpoint();
  ddb = new DynamoDBClient(clientConfig(endpoint));
  table = uniqueName('hostile');
  await ddb.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  ddb.destroy();
  await endpoint.stop();
});

/** A signed JSON request with a raw body the SDK would never send; gives up after 3 s. */
async function post(
  url: string,
  service: string,
  target: string,
  body: string,
  contentType = 'application/x-amz-json-1.0',
): Promise<{ status: number; type: string | undefined; text: string }> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    signal: AbortSignal.timeout(3000),
    headers: {
      'content-type': contentType,
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      'x-amz-date': '20260101T000000Z',
    },
    body,
  });
  const text = await res.text();
  let type: string | undefined;
  try {
    type = (JSON.parse(text) as { __type?: string }).__type;
  } catch {
    type = undefined;
  }
  return { status: res.status, type, text };
}

const OPERATIONS = [
  'TransactGetItems',
  'TransactWriteItems',
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'ListTagsOfResource',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'UpdateItem',
  'UpdateTable',
  'UpdateTimeToLive',
];

describe('DynamoDB request bodies that are not JSON objects', () => {
  test.each(OPERATIONS)(
    'GIVEN the JSON body null WHEN %s is called THEN 400 SerializationException at once',
    async (operation) => {
      const res = await post(endpoint.url, 'dynamodb', `DynamoDB_20120810.${operation}`, 'null');

      expect(res.status).toBe(400);
      expect(res.type).toMatch(/#SerializationException$/);
    },
  );

  test.each(['[]', '[{"TableName":"t"}]', '5', '"text"', 'true'])(
    'GIVEN the JSON body %s WHEN PutItem and ListTables are called THEN 400 SerializationException',
    async (body) => {
      for (const operation of ['PutItem', 'ListTables']) {
        const res = await post(endpoint.url, 'dynamodb', `DynamoDB_20120810.${operation}`, body);

        expect(res.status).toBe(400);
        expect(res.type).toMatch(/#SerializationException$/);
      }
    },
  );
});

describe('DynamoDB inputs that make the engine underneath throw', () => {
  test.each([
    ['DeleteItem', { Key: { pk: null } }],
    ['UpdateItem', { Key: { pk: { M: { a: null } } } }],
    ['Scan', { ScanFilter: { a: null } }],
    ['BatchWriteItem', { RequestItems: { TABLE: [null] } }],
    ['TagResource', { Tags: [null] }],
    ['TagResource', { Tags: [{}] }],
    ['TagResource', { Tags: [{ Key: 'team' }] }],
    ['UpdateTable', { GlobalSecondaryIndexUpdates: [null] }],
  ])(
    'GIVEN %s with a nested null WHEN it is called THEN a JSON DynamoDB error answers at once and the service keeps serving',
    async (operation, fields) => {
      const body = JSON.stringify({
        TableName: table,
        ResourceArn: `arn:aws:dynamodb:${REGION}:123456789012:table/${table}`,
        ...fields,
      }).replace('"TABLE"', JSON.stringify(table));

      const res = await post(endpoint.url, 'dynamodb', `DynamoDB_20120810.${operation}`, body);

      expect([400, 500]).toContain(res.status);
      expect(res.type).toMatch(/^com\.amazon(aws)?\.[\w.]+#\w+(Exception|Error)$/);
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toContain(table);
    },
  );
});

describe('Registry engines that throw or never answer', () => {
  /** An `http.Server`-like engine whose request handler throws once the body has arrived. */
  const throwingEngine = (): EventEmitter => {
    const engine = new EventEmitter();
    engine.on('request', (req: NodeJS.ReadableStream) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        throw new TypeError("Cannot read properties of null (reading 'Limit')");
      });
    });
    return engine;
  };

  test('GIVEN an engine that throws inside its request handler WHEN a request reaches it over HTTP THEN the failure answer is sent, not a hang', async () => {
    const service: LocalService = {
      name: 'kinesis',
      handle: () =>
        dispatchToNodeServer(
          throwingEngine(),
          { method: 'POST', url: '/', headers: {}, body: Buffer.from('null') },
          {
            onFailure: (err) => ({
              status: 500,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ __type: 'InternalFailure', message: err.message }),
            }),
          },
        ),
    };
    const own = await startEndpoint({ port: 0, region: REGION, services: [() => service] });
    try {
      const res = await post(own.url, 'kinesis', 'Kinesis_20131202.ListStreams', 'null', 'application/x-amz-json-1.1');

      expect(res.status).toBe(500);
      expect(JSON.parse(res.text)).toEqual({
        __type: 'InternalFailure',
        message: "Cannot read properties of null (reading 'Limit')",
      });
    } finally {
      await own.stop();
    }
  });

  test('GIVEN an engine that never answers WHEN its deadline passes THEN the failure answer is sent', async () => {
    const silent = new EventEmitter();
    silent.on('request', () => undefined);

    const answer = await dispatchToNodeServer(
      silent,
      { method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) },
      { onFailure: (err) => ({ status: 500, body: err.message }), timeoutMs: 50 },
    );

    expect(answer.status).toBe(500);
    expect(String(answer.body)).toMatch(/did not answer within 50 ms/);
  });
});

describe('Kinesis inputs that make kinesalite throw', () => {
  let stream: string;

  beforeAll(async () => {
    stream = uniqueName('hostile');
    const created = await post(
      endpoint.url,
      'kinesis',
      'Kinesis_20131202.CreateStream',
      JSON.stringify({ StreamName: stream, ShardCount: 1 }),
      'application/x-amz-json-1.1',
    );
    expect(created.status).toBe(200);
  });

  test('GIVEN PutRecords with a null record WHEN it is sent THEN 400 ValidationException naming the member, and the stream still takes records', async () => {
    const bad = await post(
      endpoint.url,
      'kinesis',
      'Kinesis_20131202.PutRecords',
      JSON.stringify({ StreamName: stream, Records: [{ Data: 'AAAA', PartitionKey: 'a' }, null] }),
      'application/x-amz-json-1.1',
    );
    const good = await post(
      endpoint.url,
      'kinesis',
      'Kinesis_20131202.PutRecords',
      JSON.stringify({ StreamName: stream, Records: [{ Data: 'AAAA', PartitionKey: 'a' }] }),
      'application/x-amz-json-1.1',
    );

    expect([bad.status, bad.type]).toEqual([400, 'ValidationException']);
    expect(JSON.parse(bad.text).message).toContain("Value null at 'records.2.member'");
    expect(good.status).toBe(200);
  });

  test('GIVEN AddTagsToStream with a null tag value WHEN it is sent THEN a JSON 500 InternalFailureException at once, not a hang', async () => {
    const res = await post(
      endpoint.url,
      'kinesis',
      'Kinesis_20131202.AddTagsToStream',
      JSON.stringify({ StreamName: stream, Tags: { team: null } }),
      'application/x-amz-json-1.1',
    );

    expect([res.status, res.type]).toEqual([500, 'InternalFailureException']);
  });
});
