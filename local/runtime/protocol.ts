/**
 * Messages between the host and an execution environment's process (`worker/bootstrap.cjs`), over its IPC channel.
 *
 * The bootstrap is plain JavaScript and reads these shapes through JSDoc imports; change both sides together.
 * @module
 */

/**
 * The error object Node.js runtimes return: `trace`, not `stackTrace` (docs/aws-semantics.md §A.3). Errors the platform
 * reports itself (timeout, exit, out of memory) carry no `trace` (docs/aws-semantics.md §A.4, observed payloads).
 */
export interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** Host → environment: run the handler once. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  /** The event as JSON text; the worker parses it, as the runtime does. */
  readonly payload: string;
  /** Epoch milliseconds at which the function times out (`lambda-runtime-deadline-ms`). */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  /** Client context as JSON text (already base64-decoded). */
  readonly clientContext?: string;
  /** Cognito identity as JSON text. */
  readonly identity?: string;
}

/** Environment → host messages. `memoryBytes` is the environment's peak resident set size so far. */
export type EnvironmentMessage =
  | { readonly type: 'log'; readonly text: string }
  | { readonly type: 'ready'; readonly memoryBytes: number }
  | { readonly type: 'initError'; readonly error: ErrorPayload }
  | { readonly type: 'result'; readonly requestId: string; readonly payload: string; readonly memoryBytes: number }
  | { readonly type: 'error'; readonly requestId: string; readonly error: ErrorPayload; readonly memoryBytes: number }
  | { readonly type: 'fatal'; readonly error: ErrorPayload };
