import type { Clock } from '../../../local/core/clock';
import type { InvocationOutcome, InvokeCall, Invoker } from '../../../local/core/contracts';
import type { AsyncFunctionConfig } from '../../../local/async/async-invocation-queue';
import type { DestinationMessage, DestinationSender } from '../../../local/async/destination-sender';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

export function functionArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

/** A function result as the invoker reports it. */
export function success(result: unknown = { ok: true }, requestId = 'req'): InvocationOutcome {
  return {
    requestId,
    payload: JSON.stringify(result),
    outcome: 'success',
    durationMs: 1,
    coldStart: false,
    logs: '',
  };
}

/** A function error as the invoker reports it (Node.js error object). */
export function failure(errorMessage = 'boom', errorType = 'Error', requestId = 'req'): InvocationOutcome {
  return {
    requestId,
    payload: JSON.stringify({ errorType, errorMessage, trace: [`${errorType}: ${errorMessage}`, '    at handler'] }),
    functionError: 'Unhandled',
    outcome: 'error',
    durationMs: 1,
    coldStart: false,
    logs: '',
  };
}

export function namedError(name: string, message = name): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

export interface RecordedCall {
  readonly functionName: string;
  readonly payload: string;
  readonly call: InvokeCall;
  /** Clock time of the call. */
  readonly at: number;
}

/** An invoker whose answers the test scripts; it records every call with the clock time. */
export class FakeInvoker implements Invoker {
  readonly calls: RecordedCall[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly answer: (call: RecordedCall, index: number) => InvocationOutcome | Promise<InvocationOutcome>,
  ) {}

  async invoke(functionName: string, payload: string, call: InvokeCall): Promise<InvocationOutcome> {
    const recorded = { functionName, payload, call, at: this.clock.now() };
    this.calls.push(recorded);
    const outcome = await this.answer(recorded, this.calls.length - 1);
    return { ...outcome, requestId: call.requestId ?? outcome.requestId };
  }
}

/** A sender that records what it is given (or fails when told to). */
export class FakeSender implements DestinationSender {
  readonly sent: Array<{ readonly targetArn: string; readonly message: DestinationMessage }> = [];
  failWith?: Error;

  async send(targetArn: string, message: DestinationMessage): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push({ targetArn, message });
  }
}

/** An async config with AWS's defaults, overridable. */
export function asyncConfig(name: string, overrides: Partial<AsyncFunctionConfig> = {}): AsyncFunctionConfig {
  return {
    functionName: name,
    qualifier: '$LATEST',
    maximumRetryAttempts: 2,
    maximumEventAgeInSeconds: 21_600,
    functionArn: functionArn(name),
    ...overrides,
  };
}

/** Polls `predicate` every few real milliseconds until it holds or `timeoutMs` passes. */
export async function waitFor(predicate: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
