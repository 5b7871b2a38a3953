/**
 * The local engine's Lambda function runtime. See {@link LambdaRuntime}.
 * @module
 */
export { LambdaRuntime, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_LOCAL_CONCURRENCY_CAP } from './lambda-runtime';
export {
  type ErrorPayload,
  type FunctionDefinition,
  type FunctionStats,
  type InvokeOptions,
  type InvokeOutcome,
  type InvokeResult,
  type LambdaRuntimeOptions,
  type ThrottleReason,
  FunctionNotFoundError,
  RuntimeStoppedError,
  ThrottledError,
} from './types';
export { logTail, RESPONSE_LIMIT_BYTES, LOG_TAIL_BYTES } from './lambda-rules';
export { assertSupportedRuntime, SUPPORTED_RUNTIMES, UnsupportedRuntimeError } from './node-runtimes';
