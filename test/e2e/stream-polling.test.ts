/**
 * Issue 6, the stream-polling pattern end to end: the project's `StreamPolling` stack deployed on the engine,
 * driven through the real `@aws-sdk/client-kinesis` and the DynamoDB document client, with the stack's orders
 * table, its on-failure queues and the event timeline (`/_lab/events`) as what a student would look at.
 *
 * Time scale 20: streams have no visibility timeout that real-time function code could outrun, so the scale
 * only shortens batching windows (1 s), idle polls and retry back-off (0.5 s, 1 s, 2 s); record ages grow 20×
 * too, and a whole run (< 30 s real, 10 virtual minutes) stays far below the 3600 s MaximumRecordAgeInSeconds,
 * so only the retry limit ends a failing batch here.
 *
 * @see docs/aws-semantics.md §C (stream polling), §E (at-least-once delivery, idempotent recording)
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { TimelineEvent, TimelineStep } from '../../local/core/contracts';
import { eventually, startLab, type Lab } from './harness';

const TIME_SCALE = 20;

let lab: Lab;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  lab = await startLab({ timeScale: TIME_SCALE });
  streams = new DynamoDBStreamsClient({
    endpoint: lab.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}, 180_000);

afterAll(async () => {
  streams?.destroy();
  await lab?.stop();
});

interface OrderData {
  readonly orderId: string;
  readonly item: string;
  readonly quantity: number;
  readonly drill?: 'error' | 'error-once';
}

interface PutRecord {
  readonly order: OrderData;
  readonly sequenceNumber: string;
  readonly shardId: string;
}

/** Puts the orders on the stream in one `PutRecords` call, in order. */
async function putOrders(orders: readonly OrderData[]): Promise<PutRecord[]> {
  const out = await lab.kinesis.send(
    new PutRecordsCommand({
      StreamName: lab.outputs.StreamPolling.StreamName,
      Records: orders.map((order) => ({ Data: Buffer.from(JSON.stringify(order)), PartitionKey: order.orderId })),
    }),
  );
  expect(out.FailedRecordCount ?? 0).toBe(0);
  return orders.map((order, i) => ({
    order,
    sequenceNumber: out.Records![i]!.SequenceNumber!,
    shardId: out.Records![i]!.ShardId!,
  }));
}

async function storedOrder(orderId: string): Promise<Record<string, unknown> | undefined> {
  const out = await lab.dynamodb.send(
    new GetCommand({ TableName: lab.outputs.StreamPolling.OrdersTableName, Key: { orderId }, ConsistentRead: true }),
  );
  return out.Item;
}

/** The timeline event of each stream record (by sequence number), once every one has ended. */
async function recordEvents(
  functionName: string,
  source: 'kinesis' | 'dynamodb',
  sequenceNumbers: readonly string[],
  timeoutMs = 20_000,
): Promise<Map<string, TimelineEvent>> {
  return eventually(
    async () => {
      const events = await lab.events({ function: functionName, source, limit: '1000' });
      const bySequence = new Map<string, TimelineEvent>();
      for (const event of events) {
        const seq = event.steps[0]?.detail?.sequenceNumber;
        if (typeof seq === 'string' && sequenceNumbers.includes(seq)) bySequence.set(seq, event);
      }
      const done = sequenceNumbers.every((seq) => {
        const status = bySequence.get(seq)?.status;
        return status !== undefined && status !== 'in-flight';
      });
      return done ? bySequence : undefined;
    },
    timeoutMs,
    `timeline events of ${sequenceNumbers.length} records`,
  );
}

const stepsOf = (event: TimelineEvent | undefined, kind: TimelineStep['kind']): TimelineStep[] =>
  (event?.steps ?? []).filter((s) => s.kind === kind);

/** The invocation logs (START … REPORT) on the timeline, by request id, for the given events. */
async function invocationLogs(functionName: string, events: Iterable<TimelineEvent>): Promise<Map<string, string>> {
  const logs = new Map<string, string>();
  const all = await lab.events({ function: functionName, limit: '1000' });
  const byId = new Map(all.map((e) => [e.id, e]));
  for (const event of events) {
    for (const attempt of stepsOf(event, 'attempt')) {
      const batchEventId = attempt.detail?.batchEventId;
      const holder = typeof batchEventId === 'string' ? byId.get(batchEventId) : event;
      const step = stepsOf(holder, 'attempt').find((s) => s.requestId === attempt.requestId);
      if (attempt.requestId && step?.logTail) logs.set(attempt.requestId, step.logTail);
    }
  }
  return logs;
}

/** The function's structured (Powertools) log lines in the given logs. */
function logLines(logs: Iterable<string>): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const log of logs) {
    for (const line of log.split('\n')) {
      const start = line.indexOf('{');
      if (start < 0) continue;
      try {
        lines.push(JSON.parse(line.slice(start)) as Record<string, unknown>);
      } catch {
        // a platform line (START, END, REPORT) or a partial line at the start of a 4 KB tail
      }
    }
  }
  return lines;
}

/** Takes the on-failure records from a queue until one matches, and returns it. */
async function takeFailureRecord(
  queueUrl: string,
  matches: (record: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const out = await lab.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      let found: Record<string, unknown> | undefined;
      for (const message of out.Messages ?? []) {
        const record = JSON.parse(message.Body!) as Record<string, unknown>;
        if (!found && matches(record)) {
          found = record;
          await lab.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        } else {
          // Another test's record: leave it visible for the next look
          await lab.sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl,
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 0,
            }),
          );
        }
      }
      return found;
    },
    15_000,
    'the on-failure record',
  );
}

async function retryLimitOf(functionName: string): Promise<number> {
  const { EventSourceMappings = [] } = await lab.lambda.send(
    new ListEventSourceMappingsCommand({ FunctionName: functionName }),
  );
  return EventSourceMappings[0]!.MaximumRetryAttempts!;
}

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ISO_S = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('the Kinesis stream', () => {
  // The consumer reports partial batch responses, and with BisectBatchOnFunctionError Lambda "bisects the
  // batch at the returned sequence number and retries only the remaining records" (§C.3): the poison record
  // is the last of its batch of ten, so the batch is cut down to that one record.
  it('blocks the shard on a poison record, cuts the batch down to it, gives up after the retry limit and reads on in order', async () => {
    // GIVEN ten records (the tenth fails on every attempt), and five later ones, put together
    const run = randomUUID();
    const orders: OrderData[] = Array.from({ length: 15 }, (_, i) => ({
      orderId: `kin-poison-${run}-${String(i).padStart(2, '0')}`,
      item: 'book',
      quantity: i + 1,
      ...(i === 9 ? { drill: 'error' as const } : {}),
    }));
    const fn = lab.outputs.StreamPolling.StreamFunctionName!;
    const retryLimit = await retryLimitOf(fn);
    const putAt = Date.now();

    // WHEN
    const put = await putOrders(orders);
    const puttedAt = Date.now();

    // THEN the poison record was tried once in its batch of ten, then alone until the retry limit
    const seqs = put.map((p) => p.sequenceNumber);
    const events = await recordEvents(fn, 'kinesis', seqs);
    const poison = events.get(seqs[9]!)!;
    expect(poison.status).toBe('failed');
    expect(stepsOf(poison, 'polled')[0]?.detail?.batchSize).toBe(10);
    expect(stepsOf(poison, 'items-failed')[0]?.detail).toMatchObject({ failed: [seqs[9]], retryFrom: seqs[9] });
    const attempts = stepsOf(poison, 'attempt');
    expect(attempts.map((a) => a.attempt)).toEqual(Array.from({ length: retryLimit + 1 }, (_, i) => i + 1));
    const retriedAlone = new Set(attempts.slice(1).map((a) => a.requestId));
    const others = seqs.filter((seq) => seq !== seqs[9]).map((seq) => events.get(seq)!);
    expect(others.flatMap((e) => stepsOf(e, 'attempt')).filter((a) => retriedAlone.has(a.requestId))).toEqual([]);
    expect(stepsOf(poison, 'retry-scheduled').map((s) => s.detail?.shardBlocked)).toEqual(
      Array(retryLimit).fill(put[9]!.shardId),
    );

    // AND the nine records before it were checkpointed after the first attempt, once each
    for (const seq of seqs.slice(0, 9)) {
      const event = events.get(seq)!;
      expect(event.status).toBe('succeeded');
      expect(stepsOf(event, 'attempt')).toHaveLength(1);
    }
    // AND the later records waited for the blocked shard, then were processed once, in order
    const gaveUpAt = stepsOf(poison, 'destination')[0]!.at;
    for (const seq of seqs.slice(10)) {
      const event = events.get(seq)!;
      expect(event.status).toBe('succeeded');
      expect(stepsOf(event, 'attempt')).toHaveLength(1);
      expect(stepsOf(event, 'attempt')[0]!.at).toBeGreaterThanOrEqual(gaveUpAt);
    }
    const recorded = await Promise.all(orders.map((o) => storedOrder(o.orderId)));
    expect(recorded[9]).toBeUndefined();
    const good = recorded.filter((_, i) => i !== 9);
    expect(good.map((r) => r?.orderId)).toEqual(orders.filter((_, i) => i !== 9).map((o) => o.orderId));
    expect(good.every((r) => r?.source === 'stream')).toBe(true);
    const times = good.map((r) => String(r?.recordedAt));
    expect([...times].sort()).toEqual(times);

    // AND the on-failure queue got the batch info of the one record
    const failure = await takeFailureRecord(
      lab.outputs.StreamPolling.StreamFailureQueueUrl!,
      (r) => (r.KinesisBatchInfo as { startSequenceNumber?: string } | undefined)?.startSequenceNumber === seqs[9],
    );
    expect(failure).toEqual({
      requestContext: {
        requestId: attempts[attempts.length - 1]!.requestId,
        functionArn: lab.outputs.StreamPolling.StreamFunctionArn,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: retryLimit + 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(ISO_MS),
      KinesisBatchInfo: {
        shardId: put[9]!.shardId,
        startSequenceNumber: seqs[9],
        endSequenceNumber: seqs[9],
        approximateArrivalOfFirstRecord: expect.stringMatching(ISO_MS),
        approximateArrivalOfLastRecord: expect.stringMatching(ISO_MS),
        batchSize: 1,
        streamArn: lab.outputs.StreamPolling.StreamArn,
      },
    });
    const info = failure.KinesisBatchInfo as Record<string, string>;
    const arrival = Date.parse(info.approximateArrivalOfFirstRecord!);
    expect(arrival).toBeGreaterThanOrEqual(putAt - 1000);
    expect(arrival).toBeLessThanOrEqual(puttedAt + 1000);
  }, 30_000);

  it('retries the records after a failed one together with it, and gives them up with it after the retry limit', async () => {
    // GIVEN five records, the third failing on every attempt
    const run = randomUUID();
    const orders: OrderData[] = Array.from({ length: 5 }, (_, i) => ({
      orderId: `kin-middle-${run}-${i}`,
      item: 'jar',
      quantity: 1,
      ...(i === 2 ? { drill: 'error' as const } : {}),
    }));
    const fn = lab.outputs.StreamPolling.StreamFunctionName!;
    const retryLimit = await retryLimitOf(fn);

    // WHEN
    const put = await putOrders(orders);

    // THEN the two before it were checkpointed after one attempt; it and the two after it were retried together
    const seqs = put.map((p) => p.sequenceNumber);
    const events = await recordEvents(fn, 'kinesis', seqs);
    expect(seqs.map((seq) => stepsOf(events.get(seq), 'attempt').length)).toEqual([
      1,
      1,
      retryLimit + 1,
      retryLimit + 1,
      retryLimit + 1,
    ]);
    expect(seqs.map((seq) => events.get(seq)!.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'failed',
      'failed',
    ]);
    // AND the on-failure record covers the three (the function did record the two good ones, once)
    const failure = await takeFailureRecord(
      lab.outputs.StreamPolling.StreamFailureQueueUrl!,
      (r) => (r.KinesisBatchInfo as { startSequenceNumber?: string } | undefined)?.startSequenceNumber === seqs[2],
    );
    expect(failure.KinesisBatchInfo).toMatchObject({
      startSequenceNumber: seqs[2],
      endSequenceNumber: seqs[4],
      batchSize: 3,
    });
    expect(failure.requestContext).toMatchObject({ approximateInvokeCount: retryLimit + 1 });
    for (const i of [3, 4]) {
      expect(await storedOrder(orders[i]!.orderId)).toMatchObject({ orderId: orders[i]!.orderId, source: 'stream' });
    }
  }, 30_000);

  // Every record failing is how a whole invocation fails on this stack (Powertools throws when no record
  // succeeded); that failure bisects the batch (§C.2), and splitting uses no retry.
  it('bisects a batch whose invocation fails down to single records, each given up on by itself', async () => {
    // GIVEN two records that fail on every attempt, put together
    const run = randomUUID();
    const orders: OrderData[] = [0, 1].map((i) => ({
      orderId: `kin-bisect-${run}-${i}`,
      item: 'pen',
      quantity: 1,
      drill: 'error' as const,
    }));
    const fn = lab.outputs.StreamPolling.StreamFunctionName!;
    const retryLimit = await retryLimitOf(fn);

    // WHEN
    const put = await putOrders(orders);

    // THEN the first invocation held both and failed as a whole, and was split into halves of one
    const seqs = put.map((p) => p.sequenceNumber);
    const events = await recordEvents(fn, 'kinesis', seqs);
    for (const [i, seq] of seqs.entries()) {
      const event = events.get(seq)!;
      const attempts = stepsOf(event, 'attempt');
      expect(attempts[0]).toMatchObject({ attempt: 1, outcome: 'error', errorType: 'FullBatchFailureError' });
      expect(stepsOf(event, 'bisected').map((s) => s.detail)).toEqual([
        expect.objectContaining({ from: 2, into: [1, 1], half: i + 1 }),
      ]);
      // AND each half used the whole retry limit on its own, then went to the on-failure destination
      expect(attempts.slice(1).map((a) => a.attempt)).toEqual(Array.from({ length: retryLimit + 1 }, (_, n) => n + 1));
      expect(event.status).toBe('failed');
    }
    // AND the first half was given up before the second one was tried
    const firstGaveUp = stepsOf(events.get(seqs[0]!), 'destination')[0]!.at;
    expect(stepsOf(events.get(seqs[1]!), 'attempt')[1]!.at).toBeGreaterThanOrEqual(firstGaveUp);
    for (const seq of seqs) {
      const failure = await takeFailureRecord(
        lab.outputs.StreamPolling.StreamFailureQueueUrl!,
        (r) => (r.KinesisBatchInfo as { startSequenceNumber?: string } | undefined)?.startSequenceNumber === seq,
      );
      expect(failure.KinesisBatchInfo).toMatchObject({
        startSequenceNumber: seq,
        endSequenceNumber: seq,
        batchSize: 1,
      });
    }
  }, 30_000);

  it('recovers an error-once record on its retry with no record lost or recorded twice', async () => {
    // GIVEN five records, the third failing on its first attempt only
    const run = randomUUID();
    const orders: OrderData[] = Array.from({ length: 5 }, (_, i) => ({
      orderId: `kin-once-${run}-${i}`,
      item: 'cup',
      quantity: 1,
      ...(i === 2 ? { drill: 'error-once' as const } : {}),
    }));
    const fn = lab.outputs.StreamPolling.StreamFunctionName!;

    // WHEN
    const put = await putOrders(orders);

    // THEN every record ends checkpointed; the batch is retried from the failed record
    const seqs = put.map((p) => p.sequenceNumber);
    const events = await recordEvents(fn, 'kinesis', seqs);
    expect(seqs.map((seq) => events.get(seq)!.status)).toEqual(Array(5).fill('succeeded'));
    expect(seqs.map((seq) => stepsOf(events.get(seq), 'attempt').length)).toEqual([1, 1, 2, 2, 2]);
    expect(stepsOf(events.get(seqs[2]!), 'items-failed')[0]?.detail).toMatchObject({ retryFrom: seqs[2] });

    // AND each order was recorded exactly once: "recorded" once in the function's logs, "duplicate" when the
    // records after the failed one came again with it
    const logs = await invocationLogs(fn, events.values());
    const handled = logLines(logs.values()).filter((l) => l.message === 'order handled');
    for (const order of orders) {
      const mine = handled.filter((l) => l.orderId === order.orderId).map((l) => l.status);
      expect(mine.filter((s) => s === 'recorded')).toHaveLength(1);
      expect(await storedOrder(order.orderId)).toMatchObject({ orderId: order.orderId, source: 'stream' });
    }
    expect(handled.filter((l) => l.orderId === orders[3]!.orderId).map((l) => l.status)).toEqual([
      'recorded',
      'duplicate',
    ]);
  }, 30_000);
});

describe('the DynamoDB stream of the intake table', () => {
  const intake = () => lab.outputs.StreamPolling.IntakeTableName!;
  const changesFn = () => lab.outputs.StreamPolling.ChangesFunctionName!;

  /** The intake table's stream records for one key, read with the DynamoDB Streams API from the start. */
  async function streamRecordsOf(orderId: string) {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: lab.outputs.StreamPolling.IntakeTableStreamArn }),
    );
    const records = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: StreamDescription!.StreamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const out = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      records.push(...(out.Records ?? []).filter((r) => r.dynamodb?.Keys?.orderId?.S === orderId));
    }
    return records;
  }

  it('delivers an insert, an update and a delete of an item to the changes function, in order, with their images', async () => {
    // GIVEN an order item
    const orderId = `ddb-${randomUUID()}`;

    // WHEN it is inserted, its quantity updated, and it is deleted
    await lab.dynamodb.send(new PutCommand({ TableName: intake(), Item: { orderId, item: 'kettle', quantity: 1 } }));
    await lab.dynamodb.send(
      new UpdateCommand({
        TableName: intake(),
        Key: { orderId },
        UpdateExpression: 'SET quantity = :q',
        ExpressionAttributeValues: { ':q': 3 },
      }),
    );
    await lab.dynamodb.send(new DeleteCommand({ TableName: intake(), Key: { orderId } }));

    // THEN the stream holds the three changes with NEW_AND_OLD_IMAGES
    const records = await eventually(async () => {
      const found = await streamRecordsOf(orderId);
      return found.length === 3 ? found : undefined;
    });
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const item = (quantity: string) => ({ orderId: { S: orderId }, item: { S: 'kettle' }, quantity: { N: quantity } });
    expect(records.map((r) => [r.dynamodb?.OldImage, r.dynamodb?.NewImage])).toEqual([
      [undefined, item('1')],
      [item('1'), item('3')],
      [item('3'), undefined],
    ]);
    // AND the changes function got those three records, in order, and succeeded with each
    const seqs = records.map((r) => r.dynamodb!.SequenceNumber!);
    const events = await recordEvents(changesFn(), 'dynamodb', seqs);
    expect(seqs.map((seq) => events.get(seq)!.summary)).toEqual([
      `INSERT orderId=${orderId}`,
      `MODIFY orderId=${orderId}`,
      `REMOVE orderId=${orderId}`,
    ]);
    expect(seqs.map((seq) => events.get(seq)!.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const attemptTimes = seqs.map((seq) => stepsOf(events.get(seq), 'attempt')[0]!.at);
    expect([...attemptTimes].sort((a, b) => a - b)).toEqual(attemptTimes);
    // AND acted on each image: the insert's new image became the order, the update's is the same order
    // again, and the delete (no new image) was skipped
    expect(await storedOrder(orderId)).toMatchObject({ orderId, item: 'kettle', quantity: 1, source: 'table-stream' });
    // (logs in record order: the timeline lists newest first, and the records may come in one batch or several)
    const logs = await invocationLogs(
      changesFn(),
      seqs.map((seq) => events.get(seq)!),
    );
    const lines = logLines(logs.values());
    expect(lines.filter((l) => l.message === 'order handled' && l.orderId === orderId).map((l) => l.status)).toEqual([
      'recorded',
      'duplicate',
    ]);
    expect(lines.filter((l) => l.message === 'change skipped').map((l) => l.reason)).toContain('item removed');
  }, 30_000);

  it('sends an update the function rejects to the on-failure queue with DDBStreamBatchInfo after the retry limit', async () => {
    // GIVEN an order item
    const orderId = `ddb-bad-${randomUUID()}`;
    await lab.dynamodb.send(new PutCommand({ TableName: intake(), Item: { orderId, item: 'toaster', quantity: 2 } }));
    const retryLimit = await retryLimitOf(changesFn());

    // WHEN an update adds an attribute an order may not have
    await lab.dynamodb.send(
      new UpdateCommand({
        TableName: intake(),
        Key: { orderId },
        UpdateExpression: 'SET giftWrap = :g',
        ExpressionAttributeValues: { ':g': true },
      }),
    );

    // THEN the function rejected the update's new image on every attempt
    const records = await eventually(async () => {
      const found = await streamRecordsOf(orderId);
      return found.length === 2 ? found : undefined;
    });
    const [insertSeq, modifySeq] = records.map((r) => r.dynamodb!.SequenceNumber!) as [string, string];
    const events = await recordEvents(changesFn(), 'dynamodb', [insertSeq, modifySeq]);
    const modify = events.get(modifySeq)!;
    expect(events.get(insertSeq)!.status).toBe('succeeded');
    expect(modify.status).toBe('failed');
    const attempts = stepsOf(modify, 'attempt');
    expect(attempts).toHaveLength(retryLimit + 1);
    const logs = await invocationLogs(changesFn(), [modify]);
    const rejections = logLines(logs.values()).filter((l) => l.message === 'order rejected');
    expect(rejections.length).toBeGreaterThanOrEqual(retryLimit);
    expect(rejections.every((l) => String(l.reason).includes('unknown key(s) giftWrap'))).toBe(true);

    // AND the on-failure queue got the record's batch info (DynamoDB arrival times have no milliseconds)
    const failure = await takeFailureRecord(
      lab.outputs.StreamPolling.ChangesFailureQueueUrl!,
      (r) => (r.DDBStreamBatchInfo as { startSequenceNumber?: string } | undefined)?.startSequenceNumber === modifySeq,
    );
    expect(failure).toEqual({
      requestContext: {
        requestId: attempts[attempts.length - 1]!.requestId,
        functionArn: lab.outputs.StreamPolling.ChangesFunctionArn,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: retryLimit + 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(ISO_MS),
      DDBStreamBatchInfo: {
        shardId: modify.steps[0]?.detail?.shardId,
        startSequenceNumber: modifySeq,
        endSequenceNumber: modifySeq,
        approximateArrivalOfFirstRecord: expect.stringMatching(ISO_S),
        approximateArrivalOfLastRecord: expect.stringMatching(ISO_S),
        batchSize: 1,
        streamArn: lab.outputs.StreamPolling.IntakeTableStreamArn,
      },
    });
    // AND the order is as first inserted
    expect(await storedOrder(orderId)).toMatchObject({ orderId, item: 'toaster', quantity: 2 });
  }, 30_000);
});
