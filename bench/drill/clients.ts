import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

/** The four stacks by pattern. */
export type PatternStack = 'RequestResponse' | 'AsyncEvents' | 'StreamPolling' | 'QueuePolling';

/** SDK clients on the engine's endpoint, built as a user builds them, and the stacks' outputs. */
export interface DrillClients {
  readonly url: string;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly ddb: DynamoDBDocumentClient;
  readonly streams: DynamoDBStreamsClient;
  readonly kinesis: KinesisClient;
  /** Output value of a stack; throws with the key when it is missing. */
  output(stack: PatternStack, key: string): string;
  destroy(): void;
}

/** Builds the clients and reads every stack's outputs through the local CloudFormation API. */
export async function connect(url: string): Promise<DrillClients> {
  const config = {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const cloudformation = new CloudFormationClient(config);
  const described = await cloudformation.send(new DescribeStacksCommand({}));
  cloudformation.destroy();
  const outputs = new Map<string, string>();
  for (const stack of described.Stacks ?? []) {
    const pattern = stack.StackName!.slice(stack.StackName!.indexOf('-') + 1);
    for (const o of stack.Outputs ?? []) outputs.set(`${pattern}.${o.OutputKey}`, o.OutputValue ?? '');
  }
  const clients = {
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    ddb: DynamoDBDocumentClient.from(new DynamoDBClient(config)),
    streams: new DynamoDBStreamsClient(config),
    kinesis: new KinesisClient(config),
  };
  return {
    url,
    ...clients,
    output(stack, key) {
      const value = outputs.get(`${stack}.${key}`);
      if (value === undefined) throw new Error(`stack ${stack} has no output ${key}`);
      return value;
    },
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}

/** Takes every message now in a queue (deleting them), 10 at a time. */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return all;
    all.push(...messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

/** `recordedAt` by order id of the orders in a table whose id starts with `prefix`. */
export async function recordedOrders(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  prefix: string,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: 'orderId, recordedAt',
        FilterExpression: 'begins_with(orderId, :prefix)',
        ExpressionAttributeValues: { ':prefix': prefix },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) found.set(String(item.orderId), String(item.recordedAt ?? ''));
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}
