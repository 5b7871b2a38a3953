import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { ScaledClock } from '../../../local/core/clock';
import type { Endpoint } from '../../../local/endpoint/server';
import type { DynamoDbService } from '../../../local/endpoint/services/dynamodb';
import { clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

/**
 * TTL values are absolute epoch seconds that functions write from the wall clock (Powertools
 * idempotency: now + 3600). The time scale speeds up waits, never the wall clock, so the sweep
 * compares them with the wall clock: an engine that has run a while at 60× must not expire an
 * item whose TTL is still an hour away (it did, and `error-once` drills lost their attempt counters).
 */
class AheadClock extends ScaledClock {
  /** Virtual time three hours ahead of the wall clock, as after three real minutes at 60×. */
  override now(): number {
    return super.wallNow() + 3 * 3600_000;
  }
}

let endpoint: Endpoint;
let ddb: DynamoDBClient;

beforeAll(async () => {
  endpoint = await startDataEndpoint({ clock: new AheadClock(60) });
  ddb = new DynamoDBClient(clientConfig(endpoint));
});

afterAll(async () => {
  ddb.destroy();
  await endpoint.stop();
});

test('GIVEN virtual time three hours ahead WHEN the TTL sweep runs THEN an item whose TTL is an hour away on the wall clock stays, and one past it goes', async () => {
  const TableName = uniqueName('ttl');
  await ddb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await ddb.send(
    new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }),
  );
  const nowS = Math.floor(Date.now() / 1000);
  await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'soon' }, ttl: { N: String(nowS + 3600) } } }));
  await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'past' }, ttl: { N: String(nowS - 60) } } }));

  await (endpoint.service('dynamodb') as DynamoDbService).sweepExpiredItems();

  expect((await ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'soon' } } }))).Item).toBeDefined();
  expect((await ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'past' } } }))).Item).toBeUndefined();
});
