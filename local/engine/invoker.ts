import { LOG_TAIL_BYTES } from '../runtime/lambda-rules';
import type { InvokeOptions, InvokeResult } from '../runtime/types';
import type { InvocationOutcome, InvokeCall, Invoker } from '../core/contracts';
import type { Timeline } from '../core/timeline';

/** What the invoker needs of the function runtime (`LambdaRuntime` satisfies it). */
export interface FunctionRunner {
  invoke(functionName: string, options: InvokeOptions): Promise<InvokeResult>;
}

/**
 * The engine's one way to run a function: it invokes through the runtime and records the attempt
 * (outcome, duration, cold or warm, error, log tail) on the event's timeline. Throttles and unknown
 * functions are recorded too, then rethrown for the caller's own rules (retry, 429, 404).
 */
export class TimelineInvoker implements Invoker {
  constructor(
    private readonly runner: FunctionRunner,
    private readonly timeline: Timeline,
  ) {}

  async invoke(functionName: string, payload: string, call: InvokeCall): Promise<InvocationOutcome> {
    const attempt = call.attempt ?? 1;
    let result: InvokeResult;
    try {
      result = await this.runner.invoke(functionName, {
        payload,
        requestId: call.requestId,
        clientContext: call.clientContext,
        invokedFunctionArn: call.invokedFunctionArn,
      });
    } catch (err) {
      const error = err as Error;
      this.timeline.step(call.eventId, {
        kind: error.name === 'TooManyRequestsException' ? 'throttled' : 'attempt',
        functionName,
        attempt,
        outcome: 'error',
        errorType: error.name,
        errorMessage: error.message,
      });
      throw err;
    }
    this.timeline.step(call.eventId, {
      kind: 'attempt',
      functionName,
      attempt,
      requestId: result.requestId,
      outcome: result.outcome,
      durationMs: result.durationMs,
      coldStart: result.coldStart,
      errorType: result.error?.errorType,
      errorMessage: result.error?.errorMessage,
      logTail: tail(result.logs, LOG_TAIL_BYTES),
      detail: result.initDurationMs === undefined ? undefined : { initDurationMs: result.initDurationMs },
    });
    return result;
  }
}

/**
 * The last `bytes` of a UTF-8 text, cut at a character boundary: the readable form of what
 * `LogType=Tail` returns base64-encoded, kept on each attempt of the timeline.
 */
function tail(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  return buf
    .subarray(buf.length - bytes)
    .toString('utf8')
    .replace(/^\uFFFD+/, '');
}
