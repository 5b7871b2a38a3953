import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  PutItemCommand,
  ScanCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import type { Endpoint } from '../../../local/endpoint/server';
import { ACCOUNT, REGION, clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

let endpoint: Endpoint;
let ddb: DynamoDBClient;
let table: string;

beforeAll(async () => {
  endpoint = await startDataEndpoint();
  ddb = new DynamoDBClient(clientConfig(endpoint));
  table = uniqueName('validation');
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

describe('DynamoDB validation the engine underneath lacks', () => {
  test.each([0, 1])(
    'GIVEN Segment %i without TotalSegments WHEN a table is scanned THEN ValidationException',
    async (Segment) => {
      await expect(ddb.send(new ScanCommand({ TableName: table, Segment }))).rejects.toMatchObject({
        name: 'ValidationException',
        message:
          'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
      });
    },
  );

  test.each(['ALL_NEW', 'UPDATED_OLD', 'UPDATED_NEW'] as const)(
    'GIVEN ReturnValues %s WHEN an item is deleted THEN ValidationException, even from a table that does not exist (as PutItem)',
    async (ReturnValues) => {
      for (const TableName of [table, 'no-such-table-here']) {
        await expect(
          ddb.send(new DeleteItemCommand({ TableName, Key: { pk: { S: 'a' } }, ReturnValues })),
        ).rejects.toMatchObject({ name: 'ValidationException', message: 'ReturnValues can only be ALL_OLD or NONE' });
      }
      await expect(
        ddb.send(
          new PutItemCommand({
            TableName: 'no-such-table-here',
            Item: { pk: { S: 'a' } },
            ReturnValues: ReturnValues as 'ALL_OLD',
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException', message: 'ReturnValues can only be ALL_OLD or NONE' });
    },
  );

  test.each([
    'not-an-arn',
    'a:b:c:d:e:f',
    `arn:aws:s3:::bucket/${'x'.repeat(3)}`,
    `arn:aws:dynamodb:${REGION}:1:table/x`,
  ])(
    'GIVEN the malformed ARN %s WHEN a table is tagged, untagged or its tags listed THEN ValidationException naming the ARN and never the engine',
    async (ResourceArn) => {
      const calls = [
        new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'team', Value: 'lab' }] }),
        new UntagResourceCommand({ ResourceArn, TagKeys: ['team'] }),
        new ListTagsOfResourceCommand({ ResourceArn }),
      ];
      for (const call of calls) {
        const err = (await ddb.send(call as TagResourceCommand).catch((e: unknown) => e)) as Error;

        expect(err).toMatchObject({
          name: 'ValidationException',
          message: `Invalid TableArn: Invalid ResourceArn provided as input ${ResourceArn}`,
        });
        expect(err.message).not.toMatch(/dynalite/i);
      }
    },
  );

  test('GIVEN a tag without a value WHEN a table is tagged THEN ValidationException naming the member', async () => {
    await expect(
      ddb.send(
        new TagResourceCommand({
          ResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`,
          Tags: [{ Key: 'team' } as { Key: string; Value: string }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
    });
  });
});
