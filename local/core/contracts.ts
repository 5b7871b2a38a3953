/**
 * The interfaces the engine's parts talk through: the invoker (the function runtime plus the event
 * timeline), and the timeline itself. The Lambda Invoke API, the API Gateway emulation, the
 * asynchronous queue and the event source pollers all receive these through their constructors,
 * so each can be tested with fakes.
 */

/** Where an event came from. */
export type EventSourceKind = 'invoke' | 'apigateway' | 's3' | 'sns' | 'sqs' | 'kinesis' | 'dynamodb' | 'destination';

/** What one invocation of a function produced. */
export interface InvocationOutcome {
  readonly requestId: string;
  /** JSON text of the function's result, or of the error object Lambda reports. */
  readonly payload: string;
  /** Present when the invocation failed; always `Unhandled` for Node.js (docs/aws-semantics.md §A.1). */
  readonly functionError?: 'Unhandled';
  readonly outcome: 'success' | 'error' | 'timeout' | 'crash';
  readonly durationMs: number;
  readonly coldStart: boolean;
  /** The invocation's log, START to REPORT. */
  readonly logs: string;
}

/** Options of one invocation made through the {@link Invoker}. */
export interface InvokeCall {
  /** The timeline event this invocation belongs to. */
  readonly eventId: string;
  readonly source: EventSourceKind;
  /** 1 for the first attempt. @default 1 */
  readonly attempt?: number;
  /** Reuse a request id (asynchronous retries keep the event's request id). */
  readonly requestId?: string;
  /** Base64 client context, synchronous invocations only. */
  readonly clientContext?: string;
  /** Qualified ARN the caller used, for `context.invokedFunctionArn`. */
  readonly invokedFunctionArn?: string;
}

/**
 * Invokes a deployed function synchronously and records the attempt on the event's timeline.
 * Rejects with an error named `TooManyRequestsException` when the function's reserved concurrency is
 * exhausted, and `ResourceNotFoundException` for an unknown function; a function error is NOT a
 * rejection but an outcome with `functionError`.
 */
export interface Invoker {
  invoke(functionName: string, payload: string, call: InvokeCall): Promise<InvocationOutcome>;
}

/** Kinds of steps on an event's timeline. */
export type TimelineStepKind =
  | 'received'
  | 'polled'
  | 'filtered'
  | 'attempt'
  | 'throttled'
  | 'retry-scheduled'
  | 'bisected'
  | 'items-failed'
  | 'checkpoint'
  | 'returned-to-queue'
  | 'deleted'
  | 'succeeded'
  | 'dead-letter'
  | 'destination'
  | 'discarded'
  | 'response';

/** One step of an event's path. */
export interface TimelineStep {
  readonly kind: TimelineStepKind;
  /** Wall-clock epoch ms (the time scale shortens waits, never moves timestamps). */
  readonly at: number;
  readonly functionName?: string;
  readonly attempt?: number;
  readonly requestId?: string;
  readonly outcome?: InvocationOutcome['outcome'];
  readonly durationMs?: number;
  readonly coldStart?: boolean;
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly logTail?: string;
  /** Free-form facts for this step: `{ retryAt }`, `{ destination, condition }`, `{ batchSize }`, … */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Where an event ended up. */
export type TimelineStatus = 'in-flight' | 'succeeded' | 'failed' | 'dead-lettered' | 'discarded';

/** One event's path through the engine. */
export interface TimelineEvent {
  readonly id: string;
  readonly source: EventSourceKind;
  readonly functionName?: string;
  /** The resource it came through: a queue, stream or topic ARN, a bucket, an API route. */
  readonly resource?: string;
  /** A one-line description, e.g. `POST /orders` or `s3://bucket/orders/a.json`. */
  readonly summary?: string;
  /** Wall-clock epoch ms. */
  readonly receivedAt: number;
  readonly status: TimelineStatus;
  readonly steps: readonly TimelineStep[];
}

/** A change on the timeline, as streamed to the console and the CLI. */
export interface TimelineChange {
  readonly event: TimelineEvent;
  /** The step just added, if the change added one. */
  readonly step?: TimelineStep;
}

/** Filter of {@link Timeline.list}. */
export interface TimelineFilter {
  readonly functionName?: string;
  readonly source?: EventSourceKind;
  readonly status?: TimelineStatus;
  /** Newest first, at most this many. @default 200 */
  readonly limit?: number;
}
