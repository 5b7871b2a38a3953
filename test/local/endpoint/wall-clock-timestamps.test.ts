import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { ScaledClock } from '../../../local/core/clock';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { dynamodbServices } from '../../../local/endpoint/services/dynamodb';
import { s3Service } from '../../../local/endpoint/services/s3';
import { snsService } from '../../../local/endpoint/services/sns';
import { sqsService } from '../../../local/endpoint/services/sqs';
import type { S3ObjectEvent } from '../../../local/endpoint/types';
import { ACCOUNT, clientConfig, REGION, uniqueName } from '../test-clients';

/**
 * At 3,600× the virtual clock runs an hour ahead of the wall clock after one real second; every
 * timestamp a service hands out must still be real time.
 */
const clock = new ScaledClock(3600);
let endpoint: Endpoint;
let sqs: SQSClient;
let sns: SNSClient;
let s3: S3Client;
let ddb: DynamoDBClient;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  endpoint = await startEndpoint({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    services: [sqsService({ clock }), snsService({ clock }), s3Service({ clock }), ...dynamodbServices({ clock })],
  });
  const config = clientConfig(endpoint);
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
  ddb = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
  // Let the virtual clock run well ahead of the wall clock (200 ms real = 12 virtual minutes).
  await new Promise((r) => setTimeout(r, 200));
});

afterAll(async () => {
  for (const client of [sqs, sns, s3, ddb, streams]) client.destroy();
  await endpoint.stop();
});

/** Asserts `ms` lies between `before` and now, with 1 s of slack for second-resolution stamps. */
function expectWallTime(ms: number, before: number): void {
  expect(ms).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  expect(ms).toBeLessThanOrEqual(Date.now());
}

async function queue(): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q') }))).QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attrs.Attributes!.QueueArn! };
}

describe('timestamps on a scaled clock', () => {
  it('gives SQS messages a wall-clock SentTimestamp and ApproximateFirstReceiveTimestamp', async () => {
    // GIVEN a queue on a 3,600× clock
    const { url } = await queue();
    const before = Date.now();
    // WHEN a message is sent and received
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello' }));
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['All'] }));
    // THEN both timestamps are real time
    const attributes = out.Messages![0]!.Attributes!;
    expectWallTime(Number(attributes.SentTimestamp), before);
    expectWallTime(Number(attributes.ApproximateFirstReceiveTimestamp), before);
  });

  it('gives SNS notifications a wall-clock Timestamp', async () => {
    // GIVEN a topic with a queue subscribed (raw delivery off: the envelope carries the Timestamp)
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
    const target = await queue();
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: target.arn }));
    const before = Date.now();
    // WHEN a message is published
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'hello' }));
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: target.url, WaitTimeSeconds: 1 }));
    // THEN its Timestamp is real time
    const envelope = JSON.parse(out.Messages![0]!.Body!) as { Timestamp: string };
    expectWallTime(Date.parse(envelope.Timestamp), before);
  });

  it('gives S3 object events a wall-clock eventTime', async () => {
    // GIVEN a bucket and a listener on the endpoint's bus
    const Bucket = uniqueName('b');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const seen: S3ObjectEvent[] = [];
    const listener = (event: S3ObjectEvent): void => void seen.push(event);
    endpoint.bus.on('s3:object', listener);
    const before = Date.now();
    // WHEN an object is put
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a.json', Body: '{}' }));
    endpoint.bus.off('s3:object', listener);
    // THEN the event's time is real time
    expectWallTime(Date.parse(seen[0]!.eventTime), before);
  });

  it('gives DynamoDB stream records a wall-clock ApproximateCreationDateTime', async () => {
    // GIVEN a table with a stream
    const TableName = uniqueName('t');
    const created = await ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    const StreamArn = created.TableDescription!.LatestStreamArn!;
    const shard = (await streams.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription!.Shards![0]!;
    const before = Date.now();
    // WHEN an item is written
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' } } }));
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const out = await streams.send(new GetRecordsCommand({ ShardIterator }));
    // THEN its creation time is real time (to the second)
    expectWallTime(out.Records![0]!.dynamodb!.ApproximateCreationDateTime!.getTime(), before);
  });
});
