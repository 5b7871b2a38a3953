/**
 * Issue 6, the queue-polling pattern end to end: the project's `QueuePolling` stack deployed on the engine,
 * driven through the real `@aws-sdk/client-sqs`, with the stack's orders table (DynamoDB) and the event
 * timeline (`/_lab/events`) as what a student would look at.
 *
 * Time scale 60, as `npm start` runs: function code and timeouts run in real time, queue visibility
 * timeouts on the virtual clock (32 s on the standard queue, 30 s on FIFO: about half a real second).
 * The engine's pollers hold received messages for the real-time invocation and give back the rest of the
 * visibility timeout afterwards, so SQS never hands out a message that is still being processed, and a
 * poison message's three receives take about two real seconds.
 *
 * @see docs/aws-semantics.md §D (queue polling), §E (at-least-once delivery, idempotent recording)
 */
import { ReceiveMessageCommand, SendMessageBatchCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { TimelineEvent, TimelineStep } from '../../local/core/contracts';
import { eventually, startLab, type Lab } from './harness';

const TIME_SCALE = 60;

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ timeScale: TIME_SCALE });
  // Warm both consumers, so no test's first batch pays a cold start.
  const warm = [`warm-${randomUUID()}`, `warm-fifo-${randomUUID()}`];
  await send(lab.outputs.QueuePolling.QueueUrl!, [{ orderId: warm[0]!, item: 'warm-up', quantity: 1 }]);
  await send(lab.outputs.QueuePolling.FifoQueueUrl!, [{ orderId: warm[1]!, item: 'warm-up', quantity: 1 }], 'warm');
  await Promise.all(warm.map((orderId) => eventually(() => storedOrder(orderId), 20_000, `warm-up ${orderId}`)));
}, 180_000);

afterAll(async () => {
  await lab?.stop();
});

interface OrderBody {
  readonly orderId: string;
  readonly item: string;
  readonly quantity: number;
  readonly drill?: 'error' | 'error-once';
}

/** Sends orders in one `SendMessageBatch` (at most 10); FIFO messages go to `groupOf(order)`. Returns message ids in order. */
async function send(
  queueUrl: string,
  orders: readonly OrderBody[],
  groupOf?: string | ((order: OrderBody) => string),
): Promise<string[]> {
  const entries: SendMessageBatchRequestEntry[] = orders.map((order, i) => ({
    Id: String(i),
    MessageBody: JSON.stringify(order),
    ...(groupOf ? { MessageGroupId: typeof groupOf === 'string' ? groupOf : groupOf(order) } : {}),
  }));
  const out = await lab.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  expect(out.Failed ?? []).toEqual([]);
  const byId = new Map((out.Successful ?? []).map((s) => [s.Id, s.MessageId!]));
  return entries.map((e) => byId.get(e.Id)!);
}

async function storedOrder(orderId: string): Promise<Record<string, unknown> | undefined> {
  const out = await lab.dynamodb.send(
    new GetCommand({ TableName: lab.outputs.QueuePolling.OrdersTableName, Key: { orderId }, ConsistentRead: true }),
  );
  return out.Item;
}

/** The timeline event of each message (by message id), once every one has reached `final` (a predicate). */
async function messageEvents(
  functionName: string,
  messageIds: readonly string[],
  final: (event: TimelineEvent) => boolean = (e) => e.status !== 'in-flight',
  timeoutMs = 20_000,
): Promise<Map<string, TimelineEvent>> {
  return eventually(
    async () => {
      const events = await lab.events({ function: functionName, source: 'sqs', limit: '1000' });
      const byMessage = new Map<string, TimelineEvent>();
      for (const event of events) {
        const id = event.steps[0]?.detail?.messageId;
        if (typeof id === 'string' && messageIds.includes(id)) byMessage.set(id, event);
      }
      const done = messageIds.every((id) => {
        const event = byMessage.get(id);
        return event !== undefined && final(event);
      });
      return done ? byMessage : undefined;
    },
    timeoutMs,
    `timeline events of ${messageIds.length} messages`,
  );
}

const stepsOf = (event: TimelineEvent | undefined, kind: TimelineStep['kind']): TimelineStep[] =>
  (event?.steps ?? []).filter((s) => s.kind === kind);

describe('the standard queue', () => {
  it('returns only a poison message of a batch of ten, receives it three times, then moves it to the DLQ', async () => {
    // GIVEN nine good orders and one that fails on every attempt, sent together
    const run = randomUUID();
    const orders: OrderBody[] = Array.from({ length: 10 }, (_, i) => ({
      orderId: `poison-${run}-${i}`,
      item: 'book',
      quantity: i + 1,
      ...(i === 4 ? { drill: 'error' as const } : {}),
    }));
    const fn = lab.outputs.QueuePolling.QueueFunctionName!;

    // WHEN
    const ids = await send(lab.outputs.QueuePolling.QueueUrl!, orders);

    // THEN the poison message's timeline ends dead-lettered after three receives
    const poisonId = ids[4]!;
    const goodIds = ids.filter((id) => id !== poisonId);
    const events = await messageEvents(fn, ids, undefined, 25_000);
    const poison = events.get(poisonId)!;
    expect(poison.status).toBe('dead-lettered');
    expect(stepsOf(poison, 'polled').map((s) => s.detail?.receiveCount)).toEqual([1, 2, 3]);
    expect(stepsOf(poison, 'attempt').map((s) => s.attempt)).toEqual([1, 2, 3]);
    // (in its batch of ten it is the one item reported failed; received alone later, its failure fails the
    // whole invocation, since Powertools throws when every record of a batch failed)
    expect(stepsOf(poison, 'items-failed').map((s) => s.detail?.failed)).toEqual([[poisonId]]);
    expect(stepsOf(poison, 'returned-to-queue').map((s) => s.detail?.reason)).toEqual([
      'reported in batchItemFailures',
      'function error (Unhandled)',
      'function error (Unhandled)',
    ]);
    expect(stepsOf(poison, 'dead-letter')[0]?.detail).toMatchObject({
      maxReceiveCount: 3,
      receiveCount: 3,
    });
    // AND the ten came in one batch
    expect(stepsOf(poison, 'polled')[0]?.detail?.batchSize).toBe(10);

    // AND the other nine were received once, invoked once (in that batch), deleted, and never returned
    for (const id of goodIds) {
      const event = events.get(id)!;
      expect(event.status).toBe('succeeded');
      expect(stepsOf(event, 'attempt')).toHaveLength(1);
      expect(stepsOf(event, 'attempt')[0]?.requestId).toBe(stepsOf(poison, 'attempt')[0]?.requestId);
      expect(stepsOf(event, 'returned-to-queue')).toEqual([]);
      expect(stepsOf(event, 'deleted')[0]?.detail).toEqual({ receiveCount: 1 });
    }
    // AND each of the nine orders is in the orders table, as sent; the poison order is not
    for (const [i, order] of orders.entries()) {
      const stored = await storedOrder(order.orderId);
      if (i === 4) expect(stored).toBeUndefined();
      else expect(stored).toMatchObject({ orderId: order.orderId, quantity: order.quantity, source: 'queue' });
    }

    // AND the DLQ holds the poison message, with its id and body, and none of the nine
    const dead = await eventually(
      async () => {
        const out = await lab.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: lab.outputs.QueuePolling.DeadLetterQueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        const mine = (out.Messages ?? []).filter((m) => m.Body?.includes(run));
        return mine.length > 0 ? mine : undefined;
      },
      15_000,
      'the poison message in the DLQ',
    );
    expect(dead.map((m) => m.MessageId)).toEqual([poisonId]);
    expect(JSON.parse(dead[0]!.Body!)).toEqual(orders[4]);
    expect(dead[0]!.Attributes?.DeadLetterQueueSourceArn).toBe(lab.outputs.QueuePolling.QueueArn);
  }, 40_000);

  // The consumer reports partial batch responses (Powertools BatchProcessor), so the honest way to fail a
  // whole batch on this stack is a batch in which every record fails: Powertools then throws
  // FullBatchFailureError, the invocation fails, and Lambda returns every message of the batch to the queue.
  it('returns every message of a batch whose invocation fails, and records each once on the next receive', async () => {
    // GIVEN four orders that each fail on their first attempt only
    const run = randomUUID();
    const orders: OrderBody[] = Array.from({ length: 4 }, (_, i) => ({
      orderId: `whole-${run}-${i}`,
      item: 'lamp',
      quantity: 1,
      drill: 'error-once' as const,
    }));
    const fn = lab.outputs.QueuePolling.QueueFunctionName!;

    // WHEN
    const ids = await send(lab.outputs.QueuePolling.QueueUrl!, orders);

    // THEN the first invocation failed as a whole, for all four in one batch
    const events = await messageEvents(fn, ids);
    const firstAttempts = ids.map((id) => stepsOf(events.get(id), 'attempt')[0]);
    expect(new Set(firstAttempts.map((a) => a?.requestId)).size).toBe(1);
    for (const attempt of firstAttempts) {
      expect(attempt).toMatchObject({ attempt: 1, outcome: 'error', errorType: 'FullBatchFailureError' });
    }
    // AND every message returned to the queue, came back with receive count 2, succeeded and was deleted
    for (const id of ids) {
      const event = events.get(id)!;
      expect(event.status).toBe('succeeded');
      expect(stepsOf(event, 'items-failed')).toEqual([]);
      expect(stepsOf(event, 'returned-to-queue').map((s) => s.detail?.reason)).toEqual(['function error (Unhandled)']);
      expect(stepsOf(event, 'attempt').map((s) => [s.attempt, s.outcome])).toEqual([
        [1, 'error'],
        [2, 'success'],
      ]);
      expect(stepsOf(event, 'deleted')[0]?.detail).toEqual({ receiveCount: 2 });
    }
    // AND each order is recorded
    for (const order of orders) {
      expect(await storedOrder(order.orderId)).toMatchObject({ orderId: order.orderId, source: 'queue' });
    }
  }, 30_000);
});

describe('the FIFO queue', () => {
  it('records a group in send order, holding the rest of the group back while a failed message waits', async () => {
    // GIVEN group A whose second order fails once, and group B that is fine
    const run = randomUUID();
    const groupA: OrderBody[] = Array.from({ length: 5 }, (_, i) => ({
      orderId: `fifo-${run}-a${i}`,
      item: 'tea',
      quantity: 1,
      ...(i === 1 ? { drill: 'error-once' as const } : {}),
    }));
    const groupB: OrderBody[] = Array.from({ length: 3 }, (_, i) => ({
      orderId: `fifo-${run}-b${i}`,
      item: 'mug',
      quantity: 1,
    }));
    const all = [groupA[0]!, groupB[0]!, groupA[1]!, groupA[2]!, groupB[1]!, groupA[3]!, groupB[2]!, groupA[4]!];
    const fn = lab.outputs.QueuePolling.FifoFunctionName!;

    // WHEN they are sent interleaved, in one batch call
    const ids = await send(lab.outputs.QueuePolling.FifoQueueUrl!, all, (o) =>
      groupA.includes(o) ? `A-${run}` : `B-${run}`,
    );

    // THEN every order is recorded
    await messageEvents(fn, ids);
    const recordedAt = async (order: OrderBody): Promise<string> => {
      const stored = await storedOrder(order.orderId);
      expect(stored).toMatchObject({ orderId: order.orderId, source: 'fifo-queue' });
      return String(stored?.recordedAt);
    };
    const timesA = await Promise.all(groupA.map(recordedAt));
    const timesB = await Promise.all(groupB.map(recordedAt));
    // AND within each group, in send order (group A's later orders only after its failed one succeeded)
    expect([...timesA].sort()).toEqual(timesA);
    expect([...timesB].sort()).toEqual(timesB);
    // AND the failed message and the rest of its group came back once; group B was not held back
    const events = await messageEvents(fn, ids);
    const receives = (order: OrderBody) =>
      stepsOf(events.get(ids[all.indexOf(order)]!), 'polled').map((s) => s.detail?.receiveCount);
    expect(groupA.map(receives)).toEqual([[1], [1, 2], [1, 2], [1, 2], [1, 2]]);
    expect(groupB.map(receives)).toEqual([[1], [1], [1]]);
    // AND group A's first order was recorded before the failed one's retry, so nothing overtook it
    expect(timesA[0]! < timesA[1]!).toBe(true);
  }, 30_000);
});
