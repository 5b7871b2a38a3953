import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { dynamodbServices } from '../../../local/endpoint/services/dynamodb';
import { DynamoDbStreamsSource } from '../../../local/pollers/dynamodb-streams-source';
import { StreamPoller } from '../../../local/pollers/stream-poller';
import type { EventSourceMappingModel } from '../../../local/assembly/model';
import {
  ACCOUNT,
  clientConfig,
  FakeFunction,
  type Lab,
  mappingOf,
  REGION,
  startLab,
  uniqueName,
  waitFor,
} from './helpers';

let lab: Lab;
let dynamodb: DynamoDBClient;
let streams: DynamoDBStreamsClient;
const pollers: StreamPoller[] = [];

beforeEach(async () => {
  lab = await startLab({ services: (clock) => dynamodbServices({ clock }) });
  dynamodb = new DynamoDBClient(clientConfig(lab.endpoint));
  streams = new DynamoDBStreamsClient(clientConfig(lab.endpoint));
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
  dynamodb.destroy();
  streams.destroy();
  await lab.stop();
});

async function createTable(): Promise<{ name: string; streamArn: string }> {
  const name = uniqueName('Orders');
  const out = await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return { name, streamArn: out.TableDescription!.LatestStreamArn! };
}

async function startPoller(fn: FakeFunction<DynamoDBRecord>, mapping: EventSourceMappingModel): Promise<StreamPoller> {
  const source = new DynamoDbStreamsSource({ streams, streamArn: mapping.eventSourceArn, region: REGION });
  const poller = new StreamPoller({ mapping, source, invoker: fn.invoker, clock: lab.clock, timeline: lab.timeline });
  pollers.push(poller);
  await poller.start();
  return poller;
}

async function insertUpdateDelete(table: string): Promise<void> {
  await dynamodb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'o-1' }, status: { S: 'NEW' } } }));
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { id: { S: 'o-1' } },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'SHIPPED' } },
    }),
  );
  await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: 'o-1' } } }));
}

describe('StreamPoller with DynamoDB Streams', () => {
  it('delivers insert, update and delete with their images, in order', async () => {
    // GIVEN a table with a NEW_AND_OLD_IMAGES stream and a mapping on it
    const table = await createTable();
    const fn = new FakeFunction<DynamoDBRecord>(lab.timeline, () => ({}));
    await startPoller(fn, mappingOf('dynamodb', table.streamArn));
    // WHEN an item is inserted, updated and deleted
    await insertUpdateDelete(table.name);
    await waitFor(() => fn.succeeded.length === 3, 5000, 'three records');
    // THEN the function sees INSERT, MODIFY, REMOVE with the right images
    const [insert, modify, remove] = fn.succeeded;
    expect(fn.succeeded.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(insert).toMatchObject({
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      eventSourceARN: table.streamArn,
      dynamodb: {
        Keys: { id: { S: 'o-1' } },
        NewImage: { id: { S: 'o-1' }, status: { S: 'NEW' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(insert!.dynamodb!.OldImage).toBeUndefined();
    expect(modify!.dynamodb).toMatchObject({
      OldImage: { status: { S: 'NEW' } },
      NewImage: { status: { S: 'SHIPPED' } },
    });
    expect(remove!.dynamodb).toMatchObject({ OldImage: { status: { S: 'SHIPPED' } } });
    expect(remove!.dynamodb!.NewImage).toBeUndefined();
    expect(typeof insert!.dynamodb!.ApproximateCreationDateTime).toBe('number');
    expect(typeof insert!.dynamodb!.SizeBytes).toBe('number');
  });

  it('filters on the dynamodb key', async () => {
    // GIVEN a filter for INSERT events only
    const table = await createTable();
    const fn = new FakeFunction<DynamoDBRecord>(lab.timeline, () => ({}));
    await startPoller(fn, mappingOf('dynamodb', table.streamArn, { filterPatterns: ['{"eventName":["INSERT"]}'] }));
    // WHEN an item is inserted, updated and deleted
    await insertUpdateDelete(table.name);
    await waitFor(
      () =>
        lab.timeline.list({ source: 'dynamodb' }).every((e) => e.status !== 'in-flight') &&
        lab.timeline.list({ source: 'dynamodb' }).length === 3,
      5000,
      'three records settled',
    );
    // THEN only the insert reached the function
    expect(fn.succeeded.map((r) => r.eventName)).toEqual(['INSERT']);
  });

  it('checkpoints at the lowest failed DynamoDB sequence number of a partial response', async () => {
    // GIVEN a function that reports the MODIFY record failed on its first invocation
    const table = await createTable();
    await insertUpdateDelete(table.name);
    const fn = new FakeFunction<DynamoDBRecord>(lab.timeline, (records, call) => ({
      batchItemFailures:
        call === 1
          ? records.filter((r) => r.eventName === 'MODIFY').map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber }))
          : [],
    }));
    // WHEN the mapping reads from TRIM_HORIZON with ReportBatchItemFailures
    await startPoller(fn, mappingOf('dynamodb', table.streamArn, { reportBatchItemFailures: true }));
    await waitFor(() => fn.calls.length === 2, 5000, 'the retry');
    // THEN the retry starts at the MODIFY record
    expect(fn.calls[1]!.records.map((r) => r.eventName)).toEqual(['MODIFY', 'REMOVE']);
  });

  it('uses the table latest stream when the mapping names another stream label', async () => {
    // GIVEN a mapping ARN with a label the local service did not create
    const table = await createTable();
    const otherLabel = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table.name}/stream/2020-01-01T00:00:00.000`;
    const fn = new FakeFunction<DynamoDBRecord>(lab.timeline, () => ({}));
    await startPoller(fn, mappingOf('dynamodb', otherLabel));
    // WHEN an item is written
    await dynamodb.send(new PutItemCommand({ TableName: table.name, Item: { id: { S: 'o-2' } } }));
    await waitFor(() => fn.succeeded.length === 1, 5000, 'the insert');
    // THEN it arrives, carrying the real stream ARN
    expect(fn.succeeded[0]!.eventSourceARN).toBe(table.streamArn);
  });
});
