import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { EventSourceMappingModel } from '../assembly/model';
import { wallTimeAfter } from '../core/clock';
import type { InvocationOutcome } from '../core/contracts';
import { parseBatchResponse } from './batch-response';
import { invokeBatch } from './batch-invoke';
import { buildSqsRecord, type SqsEventRecord } from './event-builders';
import { compileFilters, sqsFilterView, type RecordFilter } from './filter';
import { errorName, isAbort, silentLogger, type Poller, type PollerLogger, type PollerRuntime } from './types';

/** What the SQS poller needs to know of its queue. */
export interface SqsPollerQueue {
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  /** @default 30 */
  readonly visibilityTimeoutSeconds: number;
  readonly redrivePolicy?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
}

/** Options of {@link SqsPoller}. */
export interface SqsPollerOptions extends PollerRuntime {
  readonly mapping: EventSourceMappingModel;
  readonly queue: SqsPollerQueue;
  /** An SQS client configured for the endpoint. */
  readonly sqs: SQSClient;
  /** Region for the records' `awsRegion`. */
  readonly region: string;
  /**
   * Concurrent batches when the mapping has no ScalingConfig.MaximumConcurrency. Lambda "starts
   * processing five batches at a time"; locally the pollers stay at that.
   * @default 5
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
   */
  readonly defaultConcurrency?: number;
  /**
   * Long-poll wait of an idle receive, seconds of the SQS service's (virtual) clock; Lambda long-polls.
   * @default 20
   */
  readonly waitTimeSeconds?: number;
  /**
   * Virtual seconds a running invocation may take: the function's timeout (plus init) times the
   * engine's time scale. Function code runs in real time while the visibility timeout runs on the
   * scaled clock, so without this a scaled visibility timeout could end while the function still
   * runs, which cannot happen on AWS (visibility ≥ 6 × function timeout). With it, messages are
   * received with the visibility timeout extended by this allowance, and a message that goes back
   * to the queue is made visible again when its own visibility timeout ends, counting the
   * invocation's real seconds as seconds of the queue's clock.
   * @default undefined (messages keep the queue's visibility timeout)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-queueconfig
   */
  readonly invocationAllowanceSeconds?: number;
}

interface InFlight {
  readonly message: Message;
  readonly record: SqsEventRecord;
  readonly eventId: string;
  readonly receiveCount: number;
  /** Virtual time of the receive. */
  readonly receivedAt: number;
}

/** SQS caps a visibility timeout at 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

/** SQS `ReceiveMessage` and `DeleteMessageBatch` take at most 10 messages. */
const SQS_MAX_BATCH = 10;

/**
 * The SQS event source mapping: long-polls the queue through the endpoint's SQS API, batches up to
 * BatchSize within MaximumBatchingWindowInSeconds (not for FIFO queues), invokes synchronously and
 * deletes what succeeded. What failed is not deleted: it comes back after the visibility timeout
 * with a higher receive count, and the queue's redrive policy (applied by the SQS service) moves it
 * to the dead-letter queue after maxReceiveCount. Other messages keep flowing meanwhile, up to
 * MaximumConcurrency batches at a time; on FIFO queues the service's message-group lock keeps a
 * failing message's group waiting while other groups go on.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
 */
export class SqsPoller implements Poller {
  private readonly controller = new AbortController();
  private readonly logger: PollerLogger;
  private readonly filter: RecordFilter;
  private readonly filtering: boolean;
  /** Deletes still running; the next receive does not wait for them, {@link stop} does. */
  private readonly pendingDeletes = new Set<Promise<void>>();
  /** messageId → timeline event, so a message received again continues its own timeline. */
  private readonly events = new Map<string, string>();
  private workers: Promise<void>[] = [];

  constructor(private readonly options: SqsPollerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.filter = compileFilters(options.mapping.filterPatterns);
    this.filtering = options.mapping.filterPatterns.length > 0;
    options.signal?.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  /** Concurrent batches: ScalingConfig.MaximumConcurrency, else the local default. */
  get concurrency(): number {
    return this.options.mapping.maximumConcurrency ?? this.options.defaultConcurrency ?? 5;
  }

  async start(): Promise<void> {
    if (this.workers.length > 0) return;
    for (let i = 0; i < this.concurrency; i++) {
      this.workers.push(
        this.work().catch((err: unknown) => {
          if (!isAbort(err, this.controller.signal))
            this.logger.error('SQS poller stopped', { queue: this.options.queue.arn, error: String(err) });
        }),
      );
    }
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled(this.workers);
    while (this.pendingDeletes.size > 0) await Promise.allSettled([...this.pendingDeletes]);
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  private async work(): Promise<void> {
    while (!this.signal.aborted) {
      const messages = await this.gather();
      if (messages.length > 0) await this.process(messages);
    }
  }

  /**
   * Gathers one batch: up to BatchSize messages, until the batching window closes. "The next
   * batching window begins as soon as the previous function invocation completes"; when it closes
   * with nothing received, it starts again with the first message that arrives, so a quiet queue
   * still gets its batches gathered. FIFO queues have no window.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html#invocation-eventsourcemapping-batching
   */
  private async gather(): Promise<Array<{ readonly message: Message; readonly receivedAt: number }>> {
    const { mapping, queue, clock } = this.options;
    const windowMs = queue.fifo ? 0 : mapping.maximumBatchingWindowInSeconds * 1000;
    const longPoll = this.options.waitTimeSeconds ?? 20;
    let windowEnd = clock.now() + windowMs;
    const batch: Array<{ readonly message: Message; readonly receivedAt: number }> = [];
    while (batch.length < mapping.batchSize && !this.signal.aborted) {
      const remainingMs = windowEnd - clock.now();
      if (batch.length > 0 && remainingMs <= 0) break;
      const want = Math.min(SQS_MAX_BATCH, mapping.batchSize - batch.length);
      // The SQS service long-polls on the virtual clock: an empty batch waits for its first message,
      // a started one only until the window ends.
      const wait = batch.length === 0 ? longPoll : Math.min(longPoll, Math.floor(remainingMs / 1000));
      const got = await this.receive(want, wait);
      if (batch.length === 0 && got.length > 0 && clock.now() >= windowEnd) windowEnd = clock.now() + windowMs;
      const receivedAt = clock.now();
      batch.push(...got.map((message) => ({ message, receivedAt })));
      if (windowMs === 0 && batch.length > 0) break;
      if (got.length === 0 && batch.length > 0 && remainingMs < 1000)
        await clock.sleep(Math.min(remainingMs, 100), this.signal);
    }
    return batch;
  }

  private async receive(max: number, waitTimeSeconds: number): Promise<Message[]> {
    const { queue, invocationAllowanceSeconds } = this.options;
    try {
      const out = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitTimeSeconds,
          ...(invocationAllowanceSeconds === undefined
            ? {}
            : {
                VisibilityTimeout: Math.min(
                  MAX_VISIBILITY_SECONDS,
                  queue.visibilityTimeoutSeconds + Math.ceil(invocationAllowanceSeconds),
                ),
              }),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.signal },
      );
      return out.Messages ?? [];
    } catch (err) {
      if (isAbort(err, this.signal)) throw err;
      this.logger.warn('ReceiveMessage failed; retrying', { queue: this.options.queue.arn, error: String(err) });
      await this.options.clock.sleep(1000, this.signal);
      return [];
    }
  }

  private async process(
    messages: ReadonlyArray<{ readonly message: Message; readonly receivedAt: number }>,
  ): Promise<void> {
    const { mapping, queue, timeline, region } = this.options;
    const passing: InFlight[] = [];
    const filtered: InFlight[] = [];
    for (const { message, receivedAt } of messages) {
      const record = buildSqsRecord(message, queue.arn, region);
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      let eventId = this.events.get(record.messageId);
      if (!eventId) {
        eventId = timeline.start({
          source: 'sqs',
          functionName: mapping.functionName,
          resource: queue.arn,
          summary: summarize(record),
          detail: { messageId: record.messageId, mappingUuid: mapping.uuid },
        });
        this.remember(record.messageId, eventId);
      }
      timeline.step(eventId, {
        kind: 'polled',
        attempt: receiveCount,
        detail: { batchSize: messages.length, receiveCount },
      });
      const item = { message, record, eventId, receiveCount, receivedAt };
      (!this.filtering || this.filter(sqsFilterView(record)) ? passing : filtered).push(item);
    }
    if (filtered.length > 0) {
      // "Lambda automatically removes the message from the queue" when no filter matches.
      await this.delete(filtered);
      for (const item of filtered) {
        timeline.finish(item.eventId, 'discarded', {
          kind: 'filtered',
          detail: { reason: 'no FilterCriteria pattern matched; deleted from the queue' },
        });
        this.events.delete(item.record.messageId);
      }
    }
    if (passing.length === 0) return;

    const invokedAt = this.options.clock.now();
    const realStart = performance.now();
    const outcome = await this.invoke(passing);
    // What the invocation took counts in real seconds on the queue's clock (see invocationAllowanceSeconds).
    const realSeconds = (performance.now() - realStart) / 1000;
    const elapsed = (item: InFlight): number => (invokedAt - item.receivedAt) / 1000 + realSeconds;
    if (!outcome) {
      await this.returnToQueue(
        passing,
        'the function was throttled until the visibility timeout',
        (item) => (this.options.clock.now() - item.receivedAt) / 1000,
      );
      return;
    }
    const verdict = parseBatchResponse(
      outcome,
      passing.map((p) => p.record.messageId),
      mapping.reportBatchItemFailures,
    );
    if (verdict.kind === 'success') {
      this.succeed(passing);
    } else if (verdict.kind === 'partial') {
      const failed = new Set(verdict.failedIds);
      const ok = passing.filter((p) => !failed.has(p.record.messageId));
      const bad = passing.filter((p) => failed.has(p.record.messageId));
      for (const item of bad)
        timeline.step(item.eventId, {
          kind: 'items-failed',
          detail: { failed: verdict.failedIds, requestId: outcome.requestId },
        });
      this.succeed(ok);
      await this.returnToQueue(bad, 'reported in batchItemFailures', elapsed);
    } else {
      await this.returnToQueue(passing, verdict.reason, elapsed);
    }
  }

  /**
   * Invokes with the batch. A throttled invocation is retried with back-off "until the message's
   * timestamp exceeds your queue's visibility timeout, at which point Lambda drops the message"
   * (it returns to the queue); undefined then.
   * @see https://docs.aws.amazon.com/lambda/latest/operatorguide/sqs-retries.html
   */
  private async invoke(batch: readonly InFlight[]): Promise<InvocationOutcome | undefined> {
    const { mapping, queue, clock, timeline } = this.options;
    const payload = JSON.stringify({ Records: batch.map((p) => p.record) });
    const giveUpAt = clock.now() + queue.visibilityTimeoutSeconds * 1000;
    let delay = 100;
    for (;;) {
      try {
        return await invokeBatch({
          invoker: this.options.invoker,
          timeline,
          functionName: mapping.functionName,
          source: 'sqs',
          payload,
          eventIds: batch.map((p) => p.eventId),
          attempts: batch.map((p) => p.receiveCount),
        });
      } catch (err) {
        if (this.signal.aborted) return undefined;
        const name = errorName(err);
        for (const item of batch.slice(1))
          timeline.step(item.eventId, {
            kind: name === 'TooManyRequestsException' ? 'throttled' : 'retry-scheduled',
            functionName: mapping.functionName,
            errorType: name,
            errorMessage: err instanceof Error ? err.message : String(err),
          });
        if (name !== 'TooManyRequestsException')
          this.logger.warn('invocation did not reach the function', { queue: queue.arn, error: String(err) });
        if (clock.now() + delay >= giveUpAt) return undefined;
        try {
          await clock.sleep(delay, this.signal);
        } catch {
          return undefined;
        }
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  /**
   * Deletes what succeeded. The worker does not wait for the delete before its next receive (the
   * messages stay invisible meanwhile), which keeps a busy queue flowing.
   */
  private succeed(items: readonly InFlight[]): void {
    if (items.length === 0) return;
    const done = this.delete(items).then((errors) => {
      for (const item of items) {
        const error = errors.get(item.record.messageId);
        this.options.timeline.finish(item.eventId, 'succeeded', {
          kind: 'deleted',
          detail: error ? { error } : { receiveCount: item.receiveCount },
        });
        this.events.delete(item.record.messageId);
      }
    });
    this.pendingDeletes.add(done);
    void done.finally(() => this.pendingDeletes.delete(done));
  }

  /**
   * Nothing to call: a message that is not deleted becomes visible again when its visibility
   * timeout ends, and the SQS service applies the redrive policy on the receive after the last
   * allowed one. The timeline says which of the two comes next.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-queueconfig
   */
  private async returnToQueue(
    items: readonly InFlight[],
    reason: string,
    elapsedSeconds: (item: InFlight) => number,
  ): Promise<void> {
    const { queue, clock, timeline, invocationAllowanceSeconds } = this.options;
    const remaining = new Map(
      items.map((item) => [
        item,
        invocationAllowanceSeconds === undefined
          ? queue.visibilityTimeoutSeconds
          : Math.max(0, Math.round(queue.visibilityTimeoutSeconds - elapsedSeconds(item))),
      ]),
    );
    if (invocationAllowanceSeconds !== undefined) await this.changeVisibility(remaining);
    for (const item of items) {
      timeline.step(item.eventId, {
        kind: 'returned-to-queue',
        detail: {
          reason,
          receiveCount: item.receiveCount,
          visibleAgainAt: wallTimeAfter(clock, (remaining.get(item) ?? 0) * 1000),
        },
      });
      const redrive = queue.redrivePolicy;
      if (redrive && item.receiveCount >= redrive.maxReceiveCount) {
        timeline.finish(item.eventId, 'dead-lettered', {
          kind: 'dead-letter',
          detail: {
            deadLetterTargetArn: redrive.deadLetterTargetArn,
            maxReceiveCount: redrive.maxReceiveCount,
            receiveCount: item.receiveCount,
            by: 'the queue redrive policy, when the visibility timeout ends',
          },
        });
        this.events.delete(item.record.messageId);
      }
    }
  }

  /**
   * Gives messages that go back to the queue what is left of their visibility timeout, after the
   * allowance they were received with (see {@link SqsPollerOptions.invocationAllowanceSeconds}).
   */
  private async changeVisibility(remaining: ReadonlyMap<InFlight, number>): Promise<void> {
    const entries = [...remaining].map(([item, seconds], i) => ({
      Id: String(i),
      ReceiptHandle: item.message.ReceiptHandle ?? '',
      VisibilityTimeout: seconds,
    }));
    for (let i = 0; i < entries.length; i += SQS_MAX_BATCH) {
      try {
        await this.options.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.options.queue.url,
            Entries: entries.slice(i, i + SQS_MAX_BATCH),
          }),
        );
      } catch (err) {
        // The messages still come back, only when the longer visibility timeout ends.
        this.logger.warn('ChangeMessageVisibilityBatch failed', { queue: this.options.queue.arn, error: String(err) });
      }
    }
  }

  /** Deletes messages in chunks of 10; returns the failures by message id. */
  private async delete(items: readonly InFlight[]): Promise<Map<string, string>> {
    const errors = new Map<string, string>();
    for (let i = 0; i < items.length; i += SQS_MAX_BATCH) {
      const chunk = items.slice(i, i + SQS_MAX_BATCH);
      try {
        const out = await this.options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.options.queue.url,
            Entries: chunk.map((item, n) => ({ Id: String(n), ReceiptHandle: item.record.receiptHandle })),
          }),
        );
        for (const failure of out.Failed ?? []) {
          const item = chunk[Number(failure.Id)];
          if (item) errors.set(item.record.messageId, `${failure.Code ?? 'Error'}: ${failure.Message ?? ''}`);
        }
      } catch (err) {
        for (const item of chunk) errors.set(item.record.messageId, String(err));
      }
    }
    if (errors.size > 0)
      this.logger.warn('some messages could not be deleted', { queue: this.options.queue.arn, count: errors.size });
    return errors;
  }

  private remember(messageId: string, eventId: string): void {
    this.events.set(messageId, eventId);
    // Messages that vanish without an outcome (e.g. deleted by someone else) must not grow the map forever.
    if (this.events.size > 20_000) {
      const oldest = this.events.keys().next().value;
      if (oldest !== undefined) this.events.delete(oldest);
    }
  }
}

function summarize(record: SqsEventRecord): string {
  const body = record.body.length > 80 ? `${record.body.slice(0, 77)}...` : record.body;
  return `message ${record.messageId.slice(0, 8)}: ${body}`;
}
