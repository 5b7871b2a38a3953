import type { Clock } from '../core/clock';
import type { Invoker } from '../core/contracts';
import type { Timeline } from '../core/timeline';

/** Where pollers write what the timeline does not show (source errors, give-ups, shard changes). */
export interface PollerLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops everything (tests, benches). */
export const silentLogger: PollerLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** What every poller gets through its constructor besides its source client. */
export interface PollerRuntime {
  /** Invokes the function and records the attempt on the first record's timeline event. */
  readonly invoker: Invoker;
  /** Every wait (batching windows, retry back-off, idle polls, record ages) goes through it. */
  readonly clock: Clock;
  readonly timeline: Timeline;
  /** @default silentLogger */
  readonly logger?: PollerLogger;
  /** Aborting it stops the poller, like {@link Poller.stop}. */
  readonly signal?: AbortSignal;
}

/** A running poller of one event source mapping. */
export interface Poller {
  /** Starts polling; resolves once the poller is reading (iterators taken, first receive sent). */
  start(): Promise<void>;
  /** Stops polling and waits for batches in flight to settle. */
  stop(): Promise<void>;
}

/**
 * Whether a failure means the poller is stopping: only when its own signal was aborted. An SDK
 * `AbortError` or `TimeoutError` while the signal is live is a failure to retry, never a silent stop.
 */
export function isAbort(_err: unknown, signal: AbortSignal): boolean {
  return signal.aborted;
}

/** The error name of an invoker rejection (`TooManyRequestsException`, `ResourceNotFoundException`, …). */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'Error';
}

/** The `errorType` and `errorMessage` of a failed invocation's payload, when it has them. */
export function errorOf(payload: string): { errorType?: string; errorMessage?: string } {
  try {
    const value: unknown = JSON.parse(payload);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { errorType, errorMessage } = value as Record<string, unknown>;
      return {
        ...(typeof errorType === 'string' ? { errorType } : {}),
        ...(typeof errorMessage === 'string' ? { errorMessage } : {}),
      };
    }
  } catch {
    // Not JSON: nothing to report.
  }
  return {};
}
