/**
 * What the course promises for each pattern and drill (README "Failure drills"), as outcomes a student can see:
 * HTTP statuses, a row in the orders table, a message on the failure path, a success record, how many attempts
 * and how long between them. Pure data and pure checks: no I/O.
 */
import type { Source } from '../sources';

/** The sources `verify` checks: one or two per pattern. */
export const VERIFY_SOURCES = [
  'api',
  's3',
  'sns',
  'kinesis',
  'dynamodb',
  'sqs',
  'sqs-fifo',
] as const satisfies readonly Source[];

/** A source `verify` checks. */
export type VerifySource = (typeof VERIFY_SOURCES)[number];

/** `success` (a plain order) and every drill. */
export const VERIFY_DRILLS = ['success', 'error', 'error-once', 'timeout', 'invalid', 'duplicate'] as const;

/** A column of the verify table. */
export type VerifyDrill = (typeof VERIFY_DRILLS)[number];

/** How long an attempt waits for the one before it, in virtual ms. */
export type Wait = { readonly kind: 'async'; readonly ms: number } | { readonly kind: 'visibility' };

/** What one pattern × drill must show. */
export interface Expectation {
  /** How many times the same order is sent (a duplicate, or the API client re-sending an error-once order). */
  readonly sends: number;
  /** HTTP status of each send (`api`). */
  readonly statuses?: readonly number[];
  /** Whether the order ends up in the orders table. */
  readonly recorded: boolean;
  /**
   * Whether a message for it ends up on the source's failure path (DLQ or on-failure destination). On a stream
   * only `true` is checked: an on-failure record names a batch's range, which may hold records that succeeded.
   */
  readonly failurePath: boolean;
  /** Whether the S3 on-success destination gets a record for it. */
  readonly successRecord?: boolean;
  /** Attempts: exact, or at least `min` where batching and bisecting make the count vary. */
  readonly attempts: { readonly exactly: number } | { readonly min: number };
  /** The wait before each retry, in order. */
  readonly waits?: readonly Wait[];
  /** The drill's attempt counter in the attempts table (error-once counts its attempts there). */
  readonly counterAtLeast?: number;
  /**
   * Run only when the source's other checks have settled: a batch that times out fails every message in it,
   * so on a queue or stream this drill would otherwise fail its neighbours too.
   */
  readonly exclusive?: boolean;
}

/**
 * Lambda's waits before the 2nd and 3rd attempt of a failed asynchronous invocation.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
export const ASYNC_RETRY_WAITS_MS = [60_000, 120_000] as const;

const ASYNC_WAITS: readonly Wait[] = ASYNC_RETRY_WAITS_MS.map((ms) => ({ kind: 'async', ms }));
const QUEUE_WAITS: readonly Wait[] = [{ kind: 'visibility' }, { kind: 'visibility' }];

function api(drill: VerifyDrill): Expectation {
  switch (drill) {
    case 'success':
      return { sends: 1, statuses: [201], recorded: true, failurePath: false, attempts: { exactly: 1 } };
    case 'error':
      return { sends: 1, statuses: [502], recorded: false, failurePath: false, attempts: { exactly: 1 } };
    case 'error-once':
      return {
        sends: 2,
        statuses: [502, 201],
        recorded: true,
        failurePath: false,
        attempts: { exactly: 2 },
        counterAtLeast: 2,
      };
    case 'timeout':
      return { sends: 1, statuses: [502], recorded: false, failurePath: false, attempts: { exactly: 1 } };
    case 'invalid':
      // API Gateway's request model rejects it before any function runs.
      return { sends: 1, statuses: [400], recorded: false, failurePath: false, attempts: { exactly: 0 } };
    case 'duplicate':
      return { sends: 2, statuses: [201, 200], recorded: true, failurePath: false, attempts: { exactly: 2 } };
  }
}

function asynchronous(drill: VerifyDrill, withSuccessDestination: boolean): Expectation {
  const onSuccess = withSuccessDestination ? { successRecord: true } : {};
  switch (drill) {
    case 'success':
      return { sends: 1, recorded: true, failurePath: false, attempts: { exactly: 1 }, ...onSuccess };
    case 'error-once':
      return {
        sends: 1,
        recorded: true,
        failurePath: false,
        attempts: { exactly: 2 },
        waits: ASYNC_WAITS.slice(0, 1),
        counterAtLeast: 2,
        ...onSuccess,
      };
    case 'error':
    case 'timeout':
    case 'invalid':
      return { sends: 1, recorded: false, failurePath: true, attempts: { exactly: 3 }, waits: ASYNC_WAITS };
    case 'duplicate':
      return { sends: 2, recorded: true, failurePath: false, attempts: { min: 2 } };
  }
}

function stream(drill: VerifyDrill): Expectation {
  switch (drill) {
    case 'success':
      return { sends: 1, recorded: true, failurePath: false, attempts: { min: 1 } };
    case 'error-once':
      // The failed first attempt may be a whole batch's or a bisected half's: the counter is the evidence.
      return { sends: 1, recorded: true, failurePath: false, attempts: { min: 1 }, counterAtLeast: 2 };
    case 'error':
    case 'invalid':
      return { sends: 1, recorded: false, failurePath: true, attempts: { min: 2 } };
    case 'timeout':
      return { sends: 1, recorded: false, failurePath: true, attempts: { min: 2 }, exclusive: true };
    case 'duplicate':
      return { sends: 2, recorded: true, failurePath: false, attempts: { min: 2 } };
  }
}

function queue(drill: VerifyDrill): Expectation {
  switch (drill) {
    case 'success':
      return { sends: 1, recorded: true, failurePath: false, attempts: { exactly: 1 } };
    case 'error-once':
      return {
        sends: 1,
        recorded: true,
        failurePath: false,
        attempts: { exactly: 2 },
        waits: QUEUE_WAITS.slice(0, 1),
        counterAtLeast: 2,
      };
    case 'error':
    case 'invalid':
      return { sends: 1, recorded: false, failurePath: true, attempts: { exactly: 3 }, waits: QUEUE_WAITS };
    case 'timeout':
      return {
        sends: 1,
        recorded: false,
        failurePath: true,
        attempts: { exactly: 3 },
        waits: QUEUE_WAITS,
        exclusive: true,
      };
    case 'duplicate':
      return { sends: 2, recorded: true, failurePath: false, attempts: { min: 2 } };
  }
}

/** What `source` must show for `drill`. */
export function expectationFor(source: VerifySource, drill: VerifyDrill): Expectation {
  switch (source) {
    case 'api':
      return api(drill);
    case 's3':
      return asynchronous(drill, true);
    case 'sns':
      return asynchronous(drill, false);
    case 'kinesis':
    case 'dynamodb':
      return stream(drill);
    case 'sqs':
    case 'sqs-fifo':
      return queue(drill);
  }
}

/** Fraction of an expected wait a retry may come early by: stamps are taken when attempts end, not start. */
export const EARLY_FRACTION = 0.8;

/** Checks observed waits against expected ones (virtual ms); returns what is wrong, if anything. */
export function checkWaits(observed: readonly number[], expected: readonly number[]): string | undefined {
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i]!;
    const got = observed[i];
    if (got === undefined) return `no retry #${i + 1} (expected after ~${seconds(want)})`;
    if (got < want * EARLY_FRACTION) return `retry #${i + 1} after ${seconds(got)}, expected ~${seconds(want)}`;
  }
  return undefined;
}

/** `60 s`, `1.5 s`. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toFixed(1))} s`;
}
