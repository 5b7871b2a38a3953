import { AsyncInvocationQueue, type AsyncFunctionConfig } from '../../../local/async/async-invocation-queue';
import { ScaledClock } from '../../../local/core/clock';
import type { InvocationOutcome } from '../../../local/core/contracts';
import { Timeline } from '../../../local/core/timeline';
import {
  asyncConfig,
  FakeInvoker,
  FakeSender,
  failure,
  functionArn,
  namedError,
  REGION,
  ACCOUNT,
  success,
} from './fakes';

const FN = 'process-event';
const DLQ = `arn:aws:sqs:${REGION}:${ACCOUNT}:process-event-dlq`;
const ON_FAILURE = `arn:aws:sqs:${REGION}:${ACCOUNT}:on-failure`;
const ON_SUCCESS = `arn:aws:sns:${REGION}:${ACCOUNT}:on-success`;
const EVENT = JSON.stringify({ item: 'book', quantity: 1 });

/** 600× by default: Lambda's 1-minute retry wait takes 100 ms. */
function setup(
  answer: (index: number) => InvocationOutcome | Promise<InvocationOutcome>,
  config: Partial<AsyncFunctionConfig> = {},
  scale = 600,
) {
  const clock = new ScaledClock(scale);
  const timeline = new Timeline(clock);
  const invoker = new FakeInvoker(clock, (_call, i) => answer(i));
  const sender = new FakeSender();
  const cfg = asyncConfig(FN, config);
  const queue = new AsyncInvocationQueue({
    invoker,
    clock,
    timeline,
    sender,
    configFor: (name) => (name === FN ? cfg : undefined),
  });
  return { clock, timeline, invoker, sender, queue };
}

let stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

function started<T extends { queue: AsyncInvocationQueue }>(lab: T): T {
  stops.push(() => lab.queue.stop());
  return lab;
}

describe('AsyncInvocationQueue', () => {
  it('tries a failing event three times: at once, about 1 minute later, then about 2 minutes after that', async () => {
    // GIVEN a function that always fails, with the default 2 retries
    // 120×, not 600×: the bounds below allow 30 virtual seconds of slack, which is 250 ms of real timer
    // delay here (50 ms at 600× was too little on a busy machine).
    const { queue, invoker, clock } = started(setup(() => failure(), {}, 120));
    const t0 = clock.now();
    // WHEN an event is queued and the queue drains
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN there were three attempts, the retries ~60 s and then ~120 s of virtual time apart
    const seconds = invoker.calls.map((c) => (c.at - t0) / 1000);
    expect(seconds).toHaveLength(3);
    expect(seconds[0]).toBeLessThan(60);
    // Differences of the integer virtual times, so float division cannot round 120 s down to 119.999…
    const at = invoker.calls.map((c) => c.at);
    const gaps = [(at[1]! - at[0]!) / 1000, (at[2]! - at[1]!) / 1000];
    expect(gaps[0]).toBeGreaterThanOrEqual(60);
    expect(gaps[0]).toBeLessThan(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(120);
    expect(gaps[1]).toBeLessThan(150);
    expect(invoker.calls.map((c) => c.call.attempt)).toEqual([1, 2, 3]);
  });

  it('keeps one request id across the retries of an event', async () => {
    // GIVEN a function that always fails
    const { queue, invoker } = started(setup(() => failure()));
    // WHEN an event is queued with the Invoke API's request id
    const { requestId } = queue.enqueue(FN, EVENT, {
      source: 'invoke',
      requestId: 'f3c1a7e0-0000-4000-8000-000000000001',
    });
    await queue.whenIdle();
    // THEN every attempt used it
    expect(requestId).toBe('f3c1a7e0-0000-4000-8000-000000000001');
    expect(new Set(invoker.calls.map((c) => c.call.requestId))).toEqual(new Set([requestId]));
  });

  it('sends a RetriesExhausted invocation record to the on-failure destination after the last retry', async () => {
    // GIVEN a failing function with an on-failure destination
    const { queue, sender, timeline } = started(
      setup(() => failure('out of stock', 'OrderError'), { onFailure: ON_FAILURE }),
    );
    // WHEN an event exhausts its retries
    const { requestId, eventId } = queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN the destination got the record of the failure
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.targetArn).toBe(ON_FAILURE);
    const record = JSON.parse(sender.sent[0]!.message.body) as Record<string, unknown>;
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestContext: {
        requestId,
        functionArn: `${functionArn(FN)}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { item: 'book', quantity: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'OrderError', errorMessage: 'out of stock', trace: expect.any(Array) },
    });
    expect(timeline.get(eventId)?.status).toBe('failed');
  });

  it('sends the event as is with RequestID, ErrorCode and ErrorMessage attributes to the dead-letter queue', async () => {
    // GIVEN a failing function with a DLQ and no on-failure destination
    const { queue, sender, timeline } = started(setup(() => failure('out of stock'), { deadLetterTargetArn: DLQ }));
    // WHEN an event exhausts its retries
    const { requestId, eventId } = queue.enqueue(FN, EVENT, { source: 's3' });
    await queue.whenIdle();
    // THEN the DLQ got the original event and the error attributes
    expect(sender.sent).toEqual([
      {
        targetArn: DLQ,
        message: {
          body: EVENT,
          attributes: {
            RequestID: { type: 'String', value: requestId },
            ErrorCode: { type: 'Number', value: '200' },
            ErrorMessage: { type: 'String', value: 'out of stock' },
          },
        },
      },
    ]);
    expect(timeline.get(eventId)?.status).toBe('dead-lettered');
  });

  it('prefers the on-failure destination over the dead-letter queue when both are configured', async () => {
    // GIVEN both failure paths
    const { queue, sender } = started(setup(() => failure(), { deadLetterTargetArn: DLQ, onFailure: ON_FAILURE }));
    // WHEN an event fails for good
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN only the destination got it
    expect(sender.sent.map((s) => s.targetArn)).toEqual([ON_FAILURE]);
  });

  it('succeeds on the second attempt of an error-once event and sends a Success record to the on-success destination', async () => {
    // GIVEN a function that fails once, then returns a result
    const { queue, sender, invoker, timeline } = started(
      setup((i) => (i === 0 ? failure() : success({ orderId: 'o-1' })), {
        onSuccess: ON_SUCCESS,
        onFailure: ON_FAILURE,
      }),
    );
    // WHEN the event is queued
    const { eventId } = queue.enqueue(FN, EVENT, { source: 'sns' });
    await queue.whenIdle();
    // THEN attempt 2 succeeded and the on-success destination got the record
    expect(invoker.calls).toHaveLength(2);
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.targetArn).toBe(ON_SUCCESS);
    const record = JSON.parse(sender.sent[0]!.message.body) as {
      requestContext: { condition: string; approximateInvokeCount: number };
      responseContext: Record<string, unknown>;
      responsePayload: unknown;
    };
    expect(record.requestContext.condition).toBe('Success');
    expect(record.requestContext.approximateInvokeCount).toBe(2);
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(record.responsePayload).toEqual({ orderId: 'o-1' });
    expect(timeline.get(eventId)?.status).toBe('succeeded');
  });

  it('sends EventAgeExceeded when the next retry would come after the maximum event age', async () => {
    // GIVEN a failing function whose events may be 60 s old at most
    const { queue, sender, invoker } = started(
      setup(() => failure(), { maximumEventAgeInSeconds: 60, onFailure: ON_FAILURE }),
    );
    // WHEN an event fails its first attempt (the retry would be due at ~60 s)
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN it is not retried and the record says EventAgeExceeded after one attempt
    expect(invoker.calls).toHaveLength(1);
    const record = JSON.parse(sender.sent[0]!.message.body) as {
      requestContext: { condition: string; approximateInvokeCount: number };
    };
    expect(record.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 });
  });

  it('counts the real time a function runs at 1×, not at the time scale, in the event age', async () => {
    // GIVEN events that may be 120 s old (0.2 s of real time at 600×) and a function whose first attempt
    // fails after 150 ms of real time: 90 s if real time ran at the scale, 0.15 s as Lambda counts it
    const { queue, sender, invoker } = started(
      setup(
        (i) => new Promise((resolve) => setTimeout(() => resolve(i === 0 ? failure() : success()), i === 0 ? 150 : 0)),
        { maximumEventAgeInSeconds: 120, onFailure: ON_FAILURE },
      ),
    );
    // WHEN an event is queued
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN it is retried after the 1-minute delay (age ~60.15 s < 120 s) and succeeds
    expect(invoker.calls).toHaveLength(2);
    expect(sender.sent).toHaveLength(0);
  });

  it('stamps invocation records with the wall clock, not the scaled clock', async () => {
    // GIVEN a failing function with an on-failure destination, at 600×
    const { queue, sender } = started(setup(() => failure(), { onFailure: ON_FAILURE }));
    const before = Date.now();
    // WHEN an event exhausts its retries (3 virtual minutes)
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN the record's timestamp is real time
    const { timestamp } = JSON.parse(sender.sent[0]!.message.body) as { timestamp: string };
    expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(timestamp)).toBeLessThanOrEqual(Date.now());
  });

  it('records the event as discarded on the timeline when it has no failure path', async () => {
    // GIVEN a failing function with neither DLQ nor on-failure destination
    const { queue, sender, timeline } = started(setup(() => failure()));
    // WHEN an event fails for good
    const { eventId } = queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN nothing was sent and the timeline says discarded, with why
    expect(sender.sent).toHaveLength(0);
    const event = timeline.get(eventId)!;
    expect(event.status).toBe('discarded');
    expect(event.steps.at(-1)).toMatchObject({
      kind: 'discarded',
      detail: { condition: 'RetriesExhausted', reason: 'no on-failure destination or dead-letter queue' },
    });
  });

  it('puts each retry on the timeline with its due time and reason', async () => {
    // GIVEN a failing function
    const { queue, timeline } = started(setup(() => failure()));
    // WHEN an event exhausts its retries
    const { eventId } = queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN the timeline shows two scheduled retries, 60 s and 120 s out
    const retries = timeline.get(eventId)!.steps.filter((s) => s.kind === 'retry-scheduled');
    expect(retries.map((s) => [s.attempt, s.detail?.delayMs, s.detail?.reason])).toEqual([
      [2, 60_000, 'function-error'],
      [3, 120_000, 'function-error'],
    ]);
    expect(typeof retries[0]!.detail?.retryAt).toBe('string');
  });

  it('retries throttled invocations with growing waits without using up retry attempts', async () => {
    // GIVEN a function throttled three times, then failing once, then succeeding, with 1 retry allowed
    const answers = [
      () => Promise.reject(namedError('TooManyRequestsException')),
      () => Promise.reject(namedError('TooManyRequestsException')),
      () => Promise.reject(namedError('TooManyRequestsException')),
      () => failure(),
      () => success(),
    ];
    const { queue, invoker, timeline } = started(setup((i) => answers[i]!(), { maximumRetryAttempts: 1 }));
    // WHEN an event is queued
    const { eventId } = queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN it was tried 5 times, waiting 1 s, 2 s, 4 s after the throttles, and succeeded
    expect(invoker.calls).toHaveLength(5);
    const retries = timeline.get(eventId)!.steps.filter((s) => s.kind === 'retry-scheduled');
    expect(retries.map((s) => [s.detail?.delayMs, s.detail?.reason])).toEqual([
      [1_000, 'throttled'],
      [2_000, 'throttled'],
      [4_000, 'throttled'],
      [60_000, 'function-error'],
    ]);
    expect(timeline.get(eventId)?.status).toBe('succeeded');
  });

  it('sends EventAgeExceeded with no invocation when throttles outlast the maximum event age', async () => {
    // GIVEN a function that is always throttled and events that may be 60 s old
    const { queue, sender } = started(
      setup(() => Promise.reject(namedError('TooManyRequestsException')), {
        maximumEventAgeInSeconds: 60,
        onFailure: ON_FAILURE,
      }),
    );
    // WHEN an event is queued
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN the record has no function response and counts no invocation
    const record = JSON.parse(sender.sent[0]!.message.body) as Record<string, unknown>;
    expect(record.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 0 });
    expect(record.responseContext).toEqual({ statusCode: 429, executedVersion: '$LATEST' });
    expect(record).not.toHaveProperty('responsePayload');
  });

  it('sends events of a function with reserved concurrency 0 to the failure path without invoking it', async () => {
    // GIVEN a function with reserved concurrency 0 and a DLQ
    const { queue, sender, invoker } = started(
      setup(() => success(), { reservedConcurrency: 0, deadLetterTargetArn: DLQ }),
    );
    // WHEN an event is queued
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN the DLQ got it with a 429 error code and the function never ran
    expect(invoker.calls).toHaveLength(0);
    expect(sender.sent[0]!.message.attributes?.ErrorCode).toEqual({ type: 'Number', value: '429' });
  });

  it('makes a single attempt when the maximum retry attempts are 0', async () => {
    // GIVEN a failing function configured with no retries
    const { queue, invoker } = started(setup(() => failure(), { maximumRetryAttempts: 0 }));
    // WHEN an event is queued
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN it ran once
    expect(invoker.calls).toHaveLength(1);
  });

  it('treats a timeout like a function error', async () => {
    // GIVEN a function that times out every time
    const timeout: InvocationOutcome = {
      ...failure('Task timed out after 3.00 seconds', 'Sandbox.Timedout'),
      outcome: 'timeout',
    };
    const { queue, invoker } = started(setup(() => timeout));
    // WHEN an event is queued
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await queue.whenIdle();
    // THEN it was retried twice
    expect(invoker.calls).toHaveLength(3);
  });

  it('discards the event with the reason on the timeline when the dead-letter queue cannot be reached', async () => {
    // GIVEN a DLQ that rejects every message
    const lab = started(setup(() => failure(), { deadLetterTargetArn: DLQ }));
    lab.sender.failWith = namedError('QueueDoesNotExist', 'The specified queue does not exist.');
    // WHEN an event fails for good
    const { eventId } = lab.queue.enqueue(FN, EVENT, { source: 'invoke' });
    await lab.queue.whenIdle();
    // THEN the timeline says discarded and why
    const event = lab.timeline.get(eventId)!;
    expect(event.status).toBe('discarded');
    expect(String(event.steps.at(-1)?.detail?.reason)).toContain('QueueDoesNotExist');
  });

  it('rejects an event for a function that is not deployed with ResourceNotFoundException', () => {
    // GIVEN a queue that knows only FN
    const { queue } = started(setup(() => success()));
    // WHEN an event for another function is queued
    // THEN it is refused by name
    expect(() => queue.enqueue('missing', EVENT, { source: 'invoke' })).toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException' }),
    );
  });

  it('stops retrying when stopped and reports nothing pending', async () => {
    // GIVEN an event waiting for its first retry
    const { queue, invoker } = started(setup(() => failure()));
    queue.enqueue(FN, EVENT, { source: 'invoke' });
    await new Promise((r) => setTimeout(r, 20));
    // WHEN the queue stops
    queue.stop();
    await queue.whenIdle();
    await new Promise((r) => setTimeout(r, 150));
    // THEN no retry ran
    expect(invoker.calls).toHaveLength(1);
  });
});
