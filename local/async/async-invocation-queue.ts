import { randomUUID } from 'node:crypto';
import type { EventInvokeConfigModel } from '../assembly/model';
import { wallTimeAfter, type Clock } from '../core/clock';
import type { EventSourceKind, InvocationOutcome, Invoker } from '../core/contracts';
import type { DestinationSender } from './destination-sender';
import {
  buildInvocationRecord,
  deadLetterAttributes,
  errorMessageOf,
  type InvocationCondition,
} from './invocation-record';
import { functionErrorRetryDelay, isEventTooOld, throttleRetryDelay } from './retry-policy';
import { type EngineLogger, silentLogger, type TimelineWriter } from './types';

/** A function's asynchronous settings: its EventInvokeConfig plus what the function itself holds. */
export interface AsyncFunctionConfig extends EventInvokeConfigModel {
  /** Unqualified function ARN. */
  readonly functionArn: string;
  /** The function's `DeadLetterConfig.TargetArn` (SQS queue or SNS topic). */
  readonly deadLetterTargetArn?: string;
  /** Reserved concurrency 0 sends events straight to the failure path. */
  readonly reservedConcurrency?: number;
}

/** Settings of an {@link AsyncInvocationQueue}. */
export interface AsyncInvocationQueueOptions {
  readonly invoker: Invoker;
  /** Every wait (retry delays, throttle backoff, event age) goes through it. */
  readonly clock: Clock;
  readonly timeline: TimelineWriter;
  /** Delivers invocation records and dead-letter messages. */
  readonly sender: DestinationSender;
  /** The function's settings, or undefined when no such function is deployed. */
  readonly configFor: (functionName: string) => AsyncFunctionConfig | undefined;
  /** @default silent */
  readonly logger?: EngineLogger;
}

/** Options of one {@link AsyncInvocationQueue.enqueue}. */
export interface EnqueueOptions {
  readonly source: EventSourceKind;
  /** An event already on the timeline (e.g. opened by the Invoke API); else the queue opens one. */
  readonly eventId?: string;
  /** Keep a request id (the Invoke API already answered with it). @default a new UUID */
  readonly requestId?: string;
  /** Timeline resource: the bucket, topic or caller. */
  readonly resource?: string;
  /** Timeline one-liner. */
  readonly summary?: string;
}

/** An event accepted into the queue. */
export interface EnqueuedEvent {
  readonly requestId: string;
  readonly eventId: string;
}

interface QueuedEvent {
  readonly functionName: string;
  readonly payload: string;
  readonly requestId: string;
  readonly eventId: string;
  readonly source: EventSourceKind;
  /** Wall-clock epoch ms when the queue accepted it. */
  readonly receivedAt: number;
  /**
   * What the scheduled waits (retry delays, throttle backoff) added to the event's age beyond the real
   * time they took: their virtual length minus their real length. See {@link AsyncInvocationQueue.ageMs}.
   */
  scheduleCreditMs: number;
  /** Function invocations made so far (throttled tries excluded). */
  invocations: number;
  throttles: number;
  lastOutcome?: InvocationOutcome;
  /** Why the last try failed without reaching the function. */
  lastRejection?: { readonly statusCode: number; readonly message: string };
}

/** An error named like the Lambda API's, for an unknown function. */
export class ResourceNotFoundException extends Error {
  override readonly name = 'ResourceNotFoundException';
}

/**
 * Lambda's internal queue for asynchronous invocations (Invoke with `Event`, S3, SNS): the event is
 * accepted at once and tried in the background, each event independently.
 *
 * - Function errors (including timeouts and crashes) are retried `maximumRetryAttempts` times
 *   (default 2) after about 1 and then 2 minutes of clock time, with the same request id.
 * - Throttles and system errors are retried with backoff from 1 s to 5 min for as long as the event
 *   is younger than `maximumEventAgeInSeconds`, without using up retry attempts.
 * - An event's age counts its scheduled waits at their virtual length and the rest in real time
 *   (see {@link ageMs}).
 * - An event that fails all attempts (`RetriesExhausted`) or gets too old (`EventAgeExceeded`) goes
 *   to the on-failure destination (invocation record), else to the function's dead-letter queue
 *   (the event as is, with RequestID/ErrorCode/ErrorMessage attributes), else it is discarded —
 *   always with a timeline step. A success goes to the on-success destination when there is one.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export class AsyncInvocationQueue {
  private readonly invoker: Invoker;
  private readonly clock: Clock;
  private readonly timeline: TimelineWriter;
  private readonly sender: DestinationSender;
  private readonly configFor: (functionName: string) => AsyncFunctionConfig | undefined;
  private readonly logger: EngineLogger;
  private readonly abort = new AbortController();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly pendingByFunction = new Map<string, number>();
  private idleWaiters: Array<() => void> = [];

  constructor(options: AsyncInvocationQueueOptions) {
    this.invoker = options.invoker;
    this.clock = options.clock;
    this.timeline = options.timeline;
    this.sender = options.sender;
    this.configFor = options.configFor;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Accepts an event for a function and returns at once (the Invoke API's 202).
   * @throws ResourceNotFoundException when the function is not deployed
   */
  enqueue(functionName: string, payload: string, options: EnqueueOptions): EnqueuedEvent {
    if (this.abort.signal.aborted) throw new Error('the asynchronous invocation queue is stopped');
    const config = this.configFor(functionName);
    if (!config) throw new ResourceNotFoundException(`Function not found: ${functionName}`);
    const requestId = options.requestId ?? randomUUID();
    const eventId =
      options.eventId ??
      this.timeline.start({
        source: options.source,
        functionName,
        resource: options.resource,
        summary: options.summary,
        detail: { requestId, invocationType: 'Event' },
      });
    const event: QueuedEvent = {
      functionName,
      payload,
      requestId,
      eventId,
      source: options.source,
      receivedAt: this.clock.wallNow(),
      scheduleCreditMs: 0,
      invocations: 0,
      throttles: 0,
    };
    this.pendingByFunction.set(functionName, (this.pendingByFunction.get(functionName) ?? 0) + 1);
    const run = this.run(event)
      .catch((err: unknown) => this.logger.error(`async queue: event ${eventId} of ${functionName} failed`, err))
      .finally(() => {
        this.inFlight.delete(eventId);
        const left = (this.pendingByFunction.get(functionName) ?? 1) - 1;
        if (left > 0) this.pendingByFunction.set(functionName, left);
        else this.pendingByFunction.delete(functionName);
        if (this.inFlight.size === 0) this.notifyIdle();
      });
    this.inFlight.set(eventId, run);
    return { requestId, eventId };
  }

  /** Events accepted and not yet finished, for one function or all. */
  pending(functionName?: string): number {
    return functionName === undefined ? this.inFlight.size : (this.pendingByFunction.get(functionName) ?? 0);
  }

  /** Resolves when no event is in the queue (immediately when it is empty). */
  whenIdle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying: waiting events are dropped, running invocations finish unobserved. */
  stop(): void {
    this.abort.abort(new Error('asynchronous invocation queue stopped'));
    this.notifyIdle();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async run(event: QueuedEvent): Promise<void> {
    const signal = this.abort.signal;
    for (;;) {
      if (signal.aborted) return;
      // The config is read per try, so a redeploy's settings apply to events already queued.
      const config = this.configFor(event.functionName);
      if (!config) {
        this.timeline.finish(event.eventId, 'discarded', {
          kind: 'discarded',
          functionName: event.functionName,
          detail: { reason: 'the function no longer exists' },
        });
        return;
      }
      if (isEventTooOld(0, this.ageMs(event), config.maximumEventAgeInSeconds)) {
        this.logger.warn(
          `async queue: event ${event.eventId} of ${event.functionName} expired: older than ` +
            `MaximumEventAgeInSeconds ${config.maximumEventAgeInSeconds} s after ${event.invocations} invocation(s)`,
        );
        return this.fail(event, config, 'EventAgeExceeded');
      }
      if (config.reservedConcurrency === 0) {
        // "Lambda begins sending new events to the configured dead-letter queue or the on-failure
        // event destination, without any retries."
        event.lastRejection = { statusCode: 429, message: 'Rate Exceeded. (reserved concurrency is 0)' };
        return this.fail(event, config, 'RetriesExhausted');
      }

      let outcome: InvocationOutcome;
      try {
        outcome = await this.invoker.invoke(event.functionName, event.payload, {
          eventId: event.eventId,
          source: event.source,
          attempt: event.invocations + 1,
          requestId: event.requestId,
          invokedFunctionArn: config.functionArn,
        });
      } catch (err) {
        if (signal.aborted) return;
        const name = err instanceof Error ? err.name : 'Error';
        const message = err instanceof Error ? err.message : String(err);
        if (name === 'ResourceNotFoundException') {
          this.timeline.finish(event.eventId, 'discarded', {
            kind: 'discarded',
            functionName: event.functionName,
            detail: { reason: `the function no longer exists: ${message}` },
          });
          return;
        }
        const throttled = name === 'TooManyRequestsException';
        event.throttles += 1;
        event.lastRejection = { statusCode: throttled ? 429 : 500, message: `${name}: ${message}` };
        const delay = throttleRetryDelay(event.throttles);
        if (!(await this.wait(event, config, delay, throttled ? 'throttled' : 'system-error'))) return;
        continue;
      }
      if (signal.aborted) return;
      event.invocations += 1;
      event.lastOutcome = outcome;
      event.lastRejection = undefined;
      if (outcome.functionError === undefined && outcome.outcome === 'success') return this.succeed(event, config);
      if (event.invocations > config.maximumRetryAttempts) return this.fail(event, config, 'RetriesExhausted');
      const delay = functionErrorRetryDelay(event.invocations);
      if (!(await this.wait(event, config, delay, 'function-error'))) return;
    }
  }

  /**
   * The event's age as Lambda would count it, in ms: the real time it spent in the engine (waiting for
   * a free execution environment, running, being delivered) plus its scheduled waits at their virtual
   * length. With a time scale the waits pass faster than real time; the rest does not, so a slow local
   * backlog ages events no faster than a real account would (docs/engine-fidelity.md, "Time").
   */
  private ageMs(event: QueuedEvent): number {
    return this.clock.wallNow() - event.receivedAt + event.scheduleCreditMs;
  }

  /**
   * Records the retry on the timeline and sleeps until it is due, or until the event's maximum age
   * if that comes first. False when the queue stopped meanwhile.
   */
  private async wait(
    event: QueuedEvent,
    config: AsyncFunctionConfig,
    delayMs: number,
    reason: string,
  ): Promise<boolean> {
    const untilExpiry = config.maximumEventAgeInSeconds * 1000 - this.ageMs(event);
    const sleepMs = Math.max(0, Math.min(delayMs, untilExpiry));
    this.timeline.step(event.eventId, {
      kind: 'retry-scheduled',
      functionName: event.functionName,
      attempt: event.invocations + 1,
      requestId: event.requestId,
      detail: {
        retryAt: new Date(wallTimeAfter(this.clock, delayMs)).toISOString(),
        delayMs,
        reason,
        ...(untilExpiry < delayMs ? { expiresAt: new Date(wallTimeAfter(this.clock, untilExpiry)).toISOString() } : {}),
      },
    });
    const realStart = this.clock.wallNow();
    try {
      await this.clock.sleep(sleepMs, this.abort.signal);
      return true;
    } catch {
      return false;
    } finally {
      // However late the timer fired, the wait counts as its virtual length (and early firing cannot
      // leave the event a hair younger than its maximum age).
      event.scheduleCreditMs += sleepMs - (this.clock.wallNow() - realStart);
    }
  }

  private async succeed(event: QueuedEvent, config: AsyncFunctionConfig): Promise<void> {
    this.timeline.step(event.eventId, {
      kind: 'succeeded',
      functionName: event.functionName,
      attempt: event.invocations,
      requestId: event.requestId,
    });
    if (!config.onSuccess) {
      this.timeline.finish(event.eventId, 'succeeded');
      return;
    }
    const record = this.record(event, config, 'Success');
    const delivered = await this.deliver(config.onSuccess, { body: JSON.stringify(record) });
    this.timeline.finish(event.eventId, 'succeeded', {
      kind: 'destination',
      functionName: event.functionName,
      requestId: event.requestId,
      detail: { destination: config.onSuccess, condition: 'Success', ...deliveryDetail(delivered) },
    });
  }

  private async fail(event: QueuedEvent, config: AsyncFunctionConfig, condition: InvocationCondition): Promise<void> {
    const base = {
      functionName: event.functionName,
      requestId: event.requestId,
      attempt: event.invocations,
    };
    if (config.onFailure) {
      const record = this.record(event, config, condition);
      const delivered = await this.deliver(config.onFailure, { body: JSON.stringify(record) });
      if (delivered === true) {
        this.timeline.finish(event.eventId, 'failed', {
          kind: 'destination',
          ...base,
          detail: { destination: config.onFailure, condition, approximateInvokeCount: event.invocations },
        });
      } else {
        this.discard(
          event,
          condition,
          `delivery to the on-failure destination ${config.onFailure} failed: ${delivered}`,
        );
      }
      return;
    }
    if (config.deadLetterTargetArn) {
      const errorCode = event.lastOutcome ? 200 : (event.lastRejection?.statusCode ?? 500);
      const errorMessage = event.lastOutcome
        ? errorMessageOf(event.lastOutcome.payload)
        : (event.lastRejection?.message ?? `Event age exceeded (${config.maximumEventAgeInSeconds} s)`);
      const attributes = deadLetterAttributes(event.requestId, errorCode, errorMessage);
      const delivered = await this.deliver(config.deadLetterTargetArn, { body: event.payload, attributes });
      if (delivered === true) {
        this.timeline.finish(event.eventId, 'dead-lettered', {
          kind: 'dead-letter',
          ...base,
          detail: {
            target: config.deadLetterTargetArn,
            condition,
            errorCode,
            errorMessage: attributes.ErrorMessage.value,
          },
        });
      } else {
        // "If Lambda can't send a message to the dead-letter queue, it deletes the event".
        this.discard(
          event,
          condition,
          `delivery to the dead-letter queue ${config.deadLetterTargetArn} failed: ${delivered}`,
        );
      }
      return;
    }
    this.discard(event, condition, 'no on-failure destination or dead-letter queue');
  }

  private discard(event: QueuedEvent, condition: InvocationCondition, reason: string): void {
    this.timeline.finish(event.eventId, 'discarded', {
      kind: 'discarded',
      functionName: event.functionName,
      requestId: event.requestId,
      attempt: event.invocations,
      detail: { condition, reason },
    });
  }

  private record(event: QueuedEvent, config: AsyncFunctionConfig, condition: InvocationCondition) {
    return buildInvocationRecord({
      requestId: event.requestId,
      functionArn: config.functionArn,
      qualifier: config.qualifier,
      condition,
      approximateInvokeCount: event.invocations,
      requestPayload: event.payload,
      response: event.lastOutcome && {
        payload: event.lastOutcome.payload,
        functionError:
          event.lastOutcome.functionError ?? (event.lastOutcome.outcome === 'success' ? undefined : 'Unhandled'),
      },
      statusCode: event.lastRejection?.statusCode,
      timestamp: this.clock.wallNow(),
    });
  }

  /** True when delivered, else the error message (already logged). */
  private async deliver(targetArn: string, message: Parameters<DestinationSender['send']>[1]): Promise<true | string> {
    try {
      await this.sender.send(targetArn, message);
      return true;
    } catch (err) {
      const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.logger.warn(`async queue: delivery to ${targetArn} failed: ${text}`);
      return text;
    }
  }
}

function deliveryDetail(delivered: true | string): Record<string, unknown> {
  return delivered === true ? {} : { deliveryError: delivered };
}
