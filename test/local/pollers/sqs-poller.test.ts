import { createHash } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { SqsPoller, type SqsPollerOptions } from '../../../local/pollers/sqs-poller';
import { createQueue, FakeFunction, type Lab, mappingOf, REGION, startLab, uniqueName, waitFor } from './helpers';

let lab: Lab;
const pollers: SqsPoller[] = [];

beforeEach(async () => {
  // 100×: a 30 s visibility timeout is 300 ms, well above one batch's real processing time.
  lab = await startLab({ scale: 100 });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
  await lab.stop();
});

async function queueDepth(url: string): Promise<number> {
  const out = await lab.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes!.ApproximateNumberOfMessages) + Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible)
  );
}

async function sendBatch(url: string, bodies: readonly string[], group?: string): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await lab.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: bodies.slice(i, i + 10).map((body, n) => ({
          Id: `m${i + n}`,
          MessageBody: body,
          ...(group ? { MessageGroupId: group, MessageDeduplicationId: `${group}-${body}` } : {}),
        })),
      }),
    );
  }
}

async function startPoller(
  fn: FakeFunction<SQSRecord>,
  options: Omit<SqsPollerOptions, 'invoker'>,
): Promise<SqsPoller> {
  const poller = new SqsPoller({ ...options, invoker: fn.invoker });
  pollers.push(poller);
  await poller.start();
  return poller;
}

describe('SqsPoller', () => {
  it('delivers the SQS event shape and deletes the batch on success', async () => {
    // GIVEN a queue with one message carrying an attribute
    const queue = await createQueue(lab, uniqueName('shape'));
    await lab.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: '{"item":"Widget"}',
        MessageAttributes: { Kind: { DataType: 'String', StringValue: 'order' } },
      }),
    );
    const fn = new FakeFunction<SQSRecord>(lab.timeline, () => ({}));
    // WHEN the poller runs
    await startPoller(fn, { mapping: mappingOf('sqs', queue.arn), queue, sqs: lab.sqs, region: REGION, ...deps() });
    await waitFor(() => fn.calls.length === 1, 5000, 'one invocation');
    await waitFor(async () => (await queueDepth(queue.url)) === 0, 5000, 'the delete');
    // THEN the function got the documented record
    const record = fn.calls[0]!.records[0]!;
    expect(record).toMatchObject({
      body: '{"item":"Widget"}',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: REGION,
      md5OfBody: createHash('md5').update('{"item":"Widget"}').digest('hex'),
      messageAttributes: {
        Kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
    });
    expect(Object.keys(record.attributes)).toEqual(
      expect.arrayContaining([
        'ApproximateReceiveCount',
        'SentTimestamp',
        'SenderId',
        'ApproximateFirstReceiveTimestamp',
      ]),
    );
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
  });

  it('returns only the poison message of a batch of ten and the queue moves it to the DLQ after 3 receives', async () => {
    // GIVEN a queue with maxReceiveCount 3 and ten messages, one of them poison
    const dlq = await createQueue(lab, uniqueName('dlq'));
    const queue = await createQueue(lab, uniqueName('orders'), {
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    const bodies = Array.from({ length: 10 }, (_, i) => (i === 4 ? 'poison' : `order-${i}`));
    await sendBatch(queue.url, bodies);
    // AND a function that reports the poison message in batchItemFailures
    const fn = new FakeFunction<SQSRecord>(lab.timeline, (records) => ({
      batchItemFailures: records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })),
    }));
    // WHEN the poller runs with ReportBatchItemFailures
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn, { reportBatchItemFailures: true, maximumConcurrency: 2 }),
      queue,
      sqs: lab.sqs,
      region: REGION,
      ...deps(),
    });
    await waitFor(async () => (await queueDepth(dlq.url)) === 1, 10_000, 'the poison message in the DLQ');
    // THEN the poison message was received three times and the other nine once
    const seen = fn.calls.flatMap((c) => c.records.map((r) => r.body));
    expect(seen.filter((b) => b === 'poison')).toHaveLength(3);
    expect(seen.filter((b) => b !== 'poison').sort()).toEqual(bodies.filter((b) => b !== 'poison').sort());
    const receiveCounts = fn.calls
      .flatMap((c) => c.records.filter((r) => r.body === 'poison'))
      .map((r) => r.attributes.ApproximateReceiveCount);
    expect(receiveCounts).toEqual(['1', '2', '3']);
    expect(await queueDepth(queue.url)).toBe(0);
    const inDlq = await lab.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url }));
    expect(inDlq.Messages?.[0]?.Body).toBe('poison');
  });

  it('shows the poison message path on its own timeline: three attempts, then dead-lettered', async () => {
    // GIVEN the poison setup of the previous test
    const dlq = await createQueue(lab, uniqueName('dlq'));
    const queue = await createQueue(lab, uniqueName('orders'), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    await sendBatch(queue.url, ['ok-1', 'poison', 'ok-2']);
    const fn = new FakeFunction<SQSRecord>(lab.timeline, (records) => ({
      batchItemFailures: records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })),
    }));
    // WHEN the poller has run it to the DLQ
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn, { reportBatchItemFailures: true }),
      queue,
      sqs: lab.sqs,
      region: REGION,
      ...deps(),
    });
    await waitFor(() => lab.timeline.list({ status: 'dead-lettered' }).length === 1, 10_000, 'a dead-lettered event');
    // THEN its event shows three attempts, each returned to the queue, and the dead-letter step
    const event = lab.timeline.list({ status: 'dead-lettered' })[0]!;
    expect(event.steps.filter((s) => s.kind === 'attempt').map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(event.steps.filter((s) => s.kind === 'returned-to-queue')).toHaveLength(3);
    expect(event.steps.at(-1)).toMatchObject({ kind: 'dead-letter', detail: { deadLetterTargetArn: dlq.arn } });
    // AND the good messages succeeded with one attempt each
    const good = lab.timeline.list({ status: 'succeeded' });
    expect(good).toHaveLength(2);
    for (const e of good) expect(e.steps.filter((s) => s.kind === 'attempt')).toHaveLength(1);
  });

  it('returns the whole batch after a function error without partial responses', async () => {
    // GIVEN a function that fails its first invocation only
    const queue = await createQueue(lab, uniqueName('whole'), { VisibilityTimeout: '30' });
    const bodies = ['a', 'b', 'c', 'd'];
    await sendBatch(queue.url, bodies);
    const fn = new FakeFunction<SQSRecord>(lab.timeline, (_records, call) => {
      if (call === 1) throw new Error('boom');
      return { batchItemFailures: [] };
    });
    // WHEN the poller runs without ReportBatchItemFailures
    await startPoller(fn, { mapping: mappingOf('sqs', queue.arn), queue, sqs: lab.sqs, region: REGION, ...deps() });
    await waitFor(() => fn.succeeded.length === 4, 10_000, 'all four processed');
    // THEN every message came back for a second receive and then was deleted
    expect(fn.calls[0]!.records.map((r) => r.body).sort()).toEqual(bodies);
    expect(fn.succeeded.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['2', '2', '2', '2']);
    await waitFor(async () => (await queueDepth(queue.url)) === 0, 5000, 'an empty queue');
  });

  it('keeps other messages flowing while a failed one waits for its visibility timeout', async () => {
    // GIVEN a long visibility timeout and a function that always fails on "bad"
    const queue = await createQueue(lab, uniqueName('flow'), { VisibilityTimeout: '600' });
    const fn = new FakeFunction<SQSRecord>(lab.timeline, (records) => {
      if (records.some((r) => r.body === 'bad')) throw new Error('bad');
      return {};
    });
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn, { batchSize: 1 }),
      queue,
      sqs: lab.sqs,
      region: REGION,
      ...deps(),
    });
    // WHEN "bad" fails and more messages arrive while it is invisible
    await sendBatch(queue.url, ['bad']);
    await waitFor(() => fn.calls.length === 1, 5000, 'the failure');
    await sendBatch(queue.url, ['next-1', 'next-2']);
    // THEN the new messages are processed before "bad" is seen again
    await waitFor(() => fn.succeeded.length === 2, 5000, 'the next messages');
    expect(fn.calls.filter((c) => c.records[0]!.body === 'bad')).toHaveLength(1);
  });

  it('fails the whole batch when batchItemFailures names an unknown message', async () => {
    // GIVEN a function that reports an id that is not in the batch once
    const queue = await createQueue(lab, uniqueName('unknown'), { VisibilityTimeout: '30' });
    await sendBatch(queue.url, ['x', 'y']);
    const fn = new FakeFunction<SQSRecord>(lab.timeline, (_records, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } : {},
    );
    // WHEN the poller runs with ReportBatchItemFailures
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn, { reportBatchItemFailures: true }),
      queue,
      sqs: lab.sqs,
      region: REGION,
      ...deps(),
    });
    await waitFor(() => fn.calls.length >= 2 && fn.succeeded.length >= 3, 10_000, 'the redelivery');
    // THEN both messages came back
    expect(fn.calls[1]!.records.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
  });

  it('deletes messages that match no filter without invoking the function', async () => {
    // GIVEN a filter on body.item = Widget
    const queue = await createQueue(lab, uniqueName('filter'));
    await sendBatch(queue.url, ['{"item":"Gadget"}', '{"item":"Widget"}', 'plain text']);
    const fn = new FakeFunction<SQSRecord>(lab.timeline, () => ({}));
    // WHEN the poller runs
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn, { filterPatterns: ['{"body":{"item":["Widget"]}}'] }),
      queue,
      sqs: lab.sqs,
      region: REGION,
      ...deps(),
    });
    await waitFor(async () => (await queueDepth(queue.url)) === 0, 5000, 'an empty queue');
    // THEN only the matching message reached the function and the others are discarded on the timeline
    expect(fn.succeeded.map((r) => r.body)).toEqual(['{"item":"Widget"}']);
    expect(lab.timeline.list({ status: 'discarded' })).toHaveLength(2);
  });

  it('keeps the order within each FIFO message group, even across a failed batch', async () => {
    // GIVEN a FIFO queue with three groups of five messages
    const queue = await createQueue(lab, `${uniqueName('fifo')}.fifo`, { FifoQueue: 'true', VisibilityTimeout: '30' });
    for (const group of ['g1', 'g2', 'g3'])
      await sendBatch(
        queue.url,
        [1, 2, 3, 4, 5].map((n) => `${group}-${n}`),
        group,
      );
    // AND a function that fails once on g1-3
    let failed = false;
    const fn = new FakeFunction<SQSRecord>(lab.timeline, (records) => {
      if (!failed && records.some((r) => r.body === 'g1-3')) {
        failed = true;
        throw new Error('g1-3 fails once');
      }
      return {};
    });
    // WHEN the poller runs with small batches
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn, { batchSize: 3 }),
      queue,
      sqs: lab.sqs,
      region: REGION,
      ...deps(),
    });
    await waitFor(() => new Set(fn.succeeded.map((r) => r.body)).size === 15, 10_000, 'all fifteen');
    // THEN each group's messages succeeded in the order they were sent
    for (const group of ['g1', 'g2', 'g3']) {
      const processed = fn.succeeded.filter((r) => r.attributes.MessageGroupId === group).map((r) => r.body);
      expect(processed).toEqual([1, 2, 3, 4, 5].map((n) => `${group}-${n}`));
    }
    expect(fn.succeeded[0]!.attributes).toEqual(
      expect.objectContaining({ MessageDeduplicationId: expect.any(String), SequenceNumber: expect.any(String) }),
    );
  });

  it('runs no more batches at once than ScalingConfig.MaximumConcurrency', async () => {
    // GIVEN 60 messages and a slow function
    const queue = await createQueue(lab, uniqueName('conc'));
    await sendBatch(
      queue.url,
      Array.from({ length: 60 }, (_, i) => `m-${i}`),
    );
    const fn = new FakeFunction<SQSRecord>(lab.timeline, () => ({}), 20);
    // WHEN the mapping allows 2 concurrent batches
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn, { batchSize: 5, maximumConcurrency: 2 }),
      queue,
      sqs: lab.sqs,
      region: REGION,
      ...deps(),
    });
    await waitFor(() => fn.succeeded.length === 60, 10_000, 'all sixty');
    // THEN at most two invocations ran at once, and they did overlap
    expect(fn.maxConcurrent).toBe(2);
  });

  it('waits for the batching window to fill a batch', async () => {
    // GIVEN a batch size of 20, a 10 s window and one poller
    const queue = await createQueue(lab, uniqueName('window'));
    const fn = new FakeFunction<SQSRecord>(lab.timeline, () => ({}));
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn, {
        batchSize: 20,
        maximumBatchingWindowInSeconds: 10,
      }),
      queue,
      sqs: lab.sqs,
      region: REGION,
      defaultConcurrency: 1,
      ...deps(),
    });
    // WHEN 20 messages arrive in two sends a moment apart
    await sendBatch(
      queue.url,
      Array.from({ length: 10 }, (_, i) => `a-${i}`),
    );
    await sendBatch(
      queue.url,
      Array.from({ length: 10 }, (_, i) => `b-${i}`),
    );
    await waitFor(() => fn.succeeded.length === 20, 10_000, 'all twenty');
    // THEN they were delivered in batches larger than one receive (10)
    expect(Math.max(...fn.calls.map((c) => c.records.length))).toBeGreaterThan(10);
  });
});

describe('SqsPoller with an invocation allowance', () => {
  it('keeps a message hidden while a real-time invocation outlasts its scaled visibility timeout', async () => {
    // GIVEN a 10 s visibility timeout (100 ms real at 100×) and a function that runs 300 ms real
    // (30 virtual seconds) and fails its first invocation
    const queue = await createQueue(lab, uniqueName('allowance'), { VisibilityTimeout: '10' });
    await lab.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"item":"slow"}' }));
    const fn = new FakeFunction<SQSRecord>(
      lab.timeline,
      (_records, call) => {
        if (call === 1) throw new Error('first attempt fails');
        return {};
      },
      300,
    );
    // WHEN the poller receives with an allowance covering the function's run time
    await startPoller(fn, {
      mapping: mappingOf('sqs', queue.arn),
      queue,
      sqs: lab.sqs,
      region: REGION,
      invocationAllowanceSeconds: 60,
      ...deps(),
    });
    await waitFor(() => fn.succeeded.length === 1, 5000, 'the second invocation to succeed');
    // THEN the message was never in two invocations at once, and came back exactly once
    expect(fn.maxConcurrent).toBe(1);
    expect(fn.calls.map((c) => c.records[0]!.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
  });
});

function deps(): { clock: Lab['clock']; timeline: Lab['timeline'] } {
  return { clock: lab.clock, timeline: lab.timeline };
}
