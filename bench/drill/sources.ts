import { GetRecordsCommand, GetShardIteratorCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { drainQueue, type DrillClients, type PatternStack } from './clients';
import type { FailedOrder } from './figures';
import { payloadOf, type DrillOrder, type DrillSource } from './orders';

/** How the drill loads one source and reads its failure path. */
export interface SourceDriver {
  readonly source: DrillSource;
  /** The stack whose orders table the source's function records into. */
  readonly stack: PatternStack;
  /** Whether the source promises order per key (Kinesis shard/partition key, DynamoDB item, FIFO group). */
  readonly ordered: boolean;
  /** The stack output that names the source's function. */
  readonly functionOutput: string;
  /** The timeline's name of the source (`/_lab/events?source=`), to see whether events are still in flight. */
  readonly timelineSource: 'sqs' | 'kinesis' | 'dynamodb' | 'apigateway' | 's3' | 'sns';
  send(orders: readonly DrillOrder[]): Promise<void>;
  /** Reads the failure path (incrementally) and returns everything found so far, by order id. */
  failures(): Promise<ReadonlyMap<string, readonly FailedOrder[]>>;
}

/** Runs `task` over `items` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A failure map that grows as failure paths are read. */
class FailureLog {
  readonly byOrder = new Map<string, FailedOrder[]>();

  add(orderId: string | undefined, reason: string, inRange = false): void {
    if (!orderId) return;
    const list = this.byOrder.get(orderId) ?? [];
    list.push({ orderId, reason, ...(inRange ? { inRange } : {}) });
    this.byOrder.set(orderId, list);
  }
}

function orderIdIn(text: string | undefined): string | undefined {
  try {
    const value = JSON.parse(text ?? '') as { orderId?: unknown };
    return typeof value.orderId === 'string' ? value.orderId : undefined;
  } catch {
    return undefined;
  }
}

/** Standard or FIFO queue → DLQ after maxReceiveCount. */
function queueDriver(clients: DrillClients, fifo: boolean): SourceDriver {
  const prefix = fifo ? 'Fifo' : '';
  const queueUrl = clients.output('QueuePolling', `${prefix}QueueUrl`);
  const dlqUrl = clients.output('QueuePolling', `${prefix}DeadLetterQueueUrl`);
  const log = new FailureLog();
  const send = async (batch: readonly DrillOrder[]): Promise<void> => {
    const out = await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((o, i) => ({
          Id: String(i),
          MessageBody: payloadOf(o),
          ...(fifo ? { MessageGroupId: o.key, MessageDeduplicationId: o.orderId } : {}),
        })),
      }),
    );
    if ((out.Failed ?? []).length > 0) throw new Error(`SendMessageBatch failed: ${JSON.stringify(out.Failed)}`);
  };
  return {
    source: fifo ? 'fifo' : 'sqs',
    functionOutput: `${fifo ? 'Fifo' : 'Queue'}FunctionName`,
    timelineSource: 'sqs',
    stack: 'QueuePolling',
    ordered: fifo,
    async send(orders) {
      if (!fifo) return pool(chunks(orders, 10), 8, send);
      // One sender per group keeps each group's send order.
      const groups = new Map<string, DrillOrder[]>();
      for (const o of orders) groups.set(o.key, [...(groups.get(o.key) ?? []), o]);
      await Promise.all(
        [...groups.values()].map(async (group) => {
          for (const batch of chunks(group, 10)) await send(batch);
        }),
      );
    },
    async failures() {
      for (const m of await drainQueue(clients.sqs, dlqUrl)) {
        log.add(orderIdIn(m.Body), 'DLQ after maxReceiveCount receives');
      }
      return log.byOrder;
    },
  };
}

interface SequencedOrder {
  readonly shardId: string;
  readonly sequence: bigint;
  readonly orderId: string;
}

interface BatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
}

/** Adds every order whose sequence number lies in an on-failure record's batch. */
function addBatchFailures(
  log: FailureLog,
  sequenced: readonly SequencedOrder[],
  bodies: readonly (string | undefined)[],
): void {
  for (const body of bodies) {
    const record = JSON.parse(body ?? '{}') as {
      requestContext?: { condition?: string };
      KinesisBatchInfo?: BatchInfo;
      DDBStreamBatchInfo?: BatchInfo;
    };
    const info = record.KinesisBatchInfo ?? record.DDBStreamBatchInfo;
    if (!info) continue;
    const start = BigInt(info.startSequenceNumber);
    const end = BigInt(info.endSequenceNumber);
    for (const s of sequenced) {
      if (s.shardId === info.shardId && s.sequence >= start && s.sequence <= end) {
        log.add(s.orderId, record.requestContext?.condition ?? 'on-failure record', true);
      }
    }
  }
}

/** Kinesis → on-failure queue with KinesisBatchInfo. */
function kinesisDriver(clients: DrillClients): SourceDriver {
  const streamName = clients.output('StreamPolling', 'StreamName');
  const failureUrl = clients.output('StreamPolling', 'StreamFailureQueueUrl');
  const sequenced: SequencedOrder[] = [];
  const log = new FailureLog();
  return {
    source: 'kinesis',
    functionOutput: 'StreamFunctionName',
    timelineSource: 'kinesis',
    stack: 'StreamPolling',
    ordered: true,
    async send(orders) {
      // In order, one PutRecords call after the other: each partition key's records keep the send order.
      for (const batch of chunks(orders, 500)) {
        const out = await clients.kinesis.send(
          new PutRecordsCommand({
            StreamName: streamName,
            Records: batch.map((o) => ({ PartitionKey: o.key, Data: Buffer.from(payloadOf(o)) })),
          }),
        );
        if ((out.FailedRecordCount ?? 0) > 0) throw new Error(`PutRecords failed for ${out.FailedRecordCount} records`);
        out.Records!.forEach((r, i) =>
          sequenced.push({ shardId: r.ShardId!, sequence: BigInt(r.SequenceNumber!), orderId: batch[i]!.orderId }),
        );
      }
    },
    async failures() {
      addBatchFailures(
        log,
        sequenced,
        (await drainQueue(clients.sqs, failureUrl)).map((m) => m.Body),
      );
      return log.byOrder;
    },
  };
}

/** DynamoDB Streams (intake table) → on-failure queue with DDBStreamBatchInfo. */
function dynamoDbDriver(clients: DrillClients): SourceDriver {
  const tableName = clients.output('StreamPolling', 'IntakeTableName');
  const streamArn = clients.output('StreamPolling', 'IntakeTableStreamArn');
  const failureUrl = clients.output('StreamPolling', 'ChangesFailureQueueUrl');
  const sequenced: SequencedOrder[] = [];
  const iterators = new Map<string, string | undefined>();
  const log = new FailureLog();
  /** Reads the stream on from where it stopped, to map sequence numbers to order ids. */
  const readStream = async (): Promise<void> => {
    const shards = (await clients.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription
      ?.Shards;
    for (const shard of shards ?? []) {
      const shardId = shard.ShardId!;
      let iterator =
        iterators.get(shardId) ??
        (
          await clients.streams.send(
            new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
          )
        ).ShardIterator;
      while (iterator) {
        const out = await clients.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        for (const r of out.Records ?? []) {
          const orderId = r.dynamodb?.Keys?.orderId?.S;
          if (orderId && r.eventName === 'INSERT')
            sequenced.push({ shardId, sequence: BigInt(r.dynamodb!.SequenceNumber!), orderId });
        }
        iterators.set(shardId, out.NextShardIterator);
        if ((out.Records ?? []).length === 0) break;
        iterator = out.NextShardIterator;
      }
    }
  };
  return {
    source: 'dynamodb',
    functionOutput: 'ChangesFunctionName',
    timelineSource: 'dynamodb',
    stack: 'StreamPolling',
    ordered: true,
    async send(orders) {
      // In order, one BatchWriteItem after the other: the stream holds the writes in that order.
      for (const batch of chunks(orders, 25)) {
        let items = batch.map((o) => ({ PutRequest: { Item: JSON.parse(payloadOf(o)) as Record<string, unknown> } }));
        while (items.length > 0) {
          const out = await clients.ddb.send(new BatchWriteCommand({ RequestItems: { [tableName]: items } }));
          items = (out.UnprocessedItems?.[tableName] ?? []) as typeof items;
        }
      }
    },
    async failures() {
      const bodies = (await drainQueue(clients.sqs, failureUrl)).map((m) => m.Body);
      await readStream();
      addBatchFailures(log, sequenced, bodies);
      return log.byOrder;
    },
  };
}

/** API Gateway → function; a well-behaved client retries a 502 twice and waits out a 429. */
function apiDriver(clients: DrillClients): SourceDriver {
  const endpoint = clients.output('RequestResponse', 'OrdersEndpoint');
  const log = new FailureLog();
  const post = async (order: DrillOrder): Promise<void> => {
    let errors = 0;
    for (;;) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payloadOf(order),
      });
      const text = await res.text();
      if (res.ok) return;
      if (res.status === 429) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      errors++;
      if (errors >= 3 || res.status < 500) {
        log.add(order.orderId, `HTTP ${res.status} to the client`);
        return;
      }
      void text;
    }
  };
  return {
    source: 'api',
    functionOutput: 'CreateOrderFunctionName',
    timelineSource: 'apigateway',
    stack: 'RequestResponse',
    ordered: false,
    send: (orders) => pool(orders, 4, post),
    failures: () => Promise.resolve(log.byOrder),
  };
}

/** S3 object → asynchronous invocation → on-failure destination (invocation record). */
function s3Driver(clients: DrillClients): SourceDriver {
  const bucket = clients.output('AsyncEvents', 'BucketName');
  const prefix = clients.output('AsyncEvents', 'OrdersPrefix');
  const failureUrl = clients.output('AsyncEvents', 'FailureDestinationQueueUrl');
  const log = new FailureLog();
  return {
    source: 's3',
    functionOutput: 'FileFunctionName',
    timelineSource: 's3',
    stack: 'AsyncEvents',
    ordered: false,
    send: (orders) =>
      pool(orders, 8, async (o) => {
        await clients.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${o.orderId}.json`, Body: payloadOf(o) }),
        );
      }),
    async failures() {
      for (const m of await drainQueue(clients.sqs, failureUrl)) {
        const record = JSON.parse(m.Body ?? '{}') as {
          requestContext?: { condition?: string };
          requestPayload?: { Records?: Array<{ s3?: { object?: { key?: string } } }> };
        };
        const key = decodeURIComponent(record.requestPayload?.Records?.[0]?.s3?.object?.key ?? '');
        const orderId = /([^/]+)\.json$/.exec(key)?.[1];
        log.add(orderId, record.requestContext?.condition ?? 'on-failure record');
      }
      return log.byOrder;
    },
  };
}

/** SNS → asynchronous invocation → the function's dead-letter queue (ErrorMessage attribute). */
function snsDriver(clients: DrillClients): SourceDriver {
  const topicArn = clients.output('AsyncEvents', 'TopicArn');
  const dlqUrl = clients.output('AsyncEvents', 'DeadLetterQueueUrl');
  const subscriptionDlqUrl = clients.output('AsyncEvents', 'SubscriptionDeadLetterQueueUrl');
  const log = new FailureLog();
  return {
    source: 'sns',
    functionOutput: 'NotificationFunctionName',
    timelineSource: 'sns',
    stack: 'AsyncEvents',
    ordered: false,
    send: (orders) =>
      pool(orders, 8, async (o) => {
        await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: payloadOf(o) }));
      }),
    async failures() {
      for (const m of await drainQueue(clients.sqs, dlqUrl)) {
        const event = JSON.parse(m.Body ?? '{}') as { Records?: Array<{ Sns?: { Message?: string } }> };
        const code = m.MessageAttributes?.ErrorCode?.StringValue ?? '?';
        log.add(orderIdIn(event.Records?.[0]?.Sns?.Message), `function DLQ (ErrorCode ${code})`);
      }
      for (const m of await drainQueue(clients.sqs, subscriptionDlqUrl)) {
        log.add(orderIdIn(m.Body), 'subscription DLQ');
      }
      return log.byOrder;
    },
  };
}

/** The driver of a source. */
export function driverFor(source: DrillSource, clients: DrillClients): SourceDriver {
  switch (source) {
    case 'sqs':
      return queueDriver(clients, false);
    case 'fifo':
      return queueDriver(clients, true);
    case 'kinesis':
      return kinesisDriver(clients);
    case 'dynamodb':
      return dynamoDbDriver(clients);
    case 'api':
      return apiDriver(clients);
    case 's3':
      return s3Driver(clients);
    case 'sns':
      return snsDriver(clients);
  }
}
