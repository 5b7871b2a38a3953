/**
 * The Lambda context object for handler tests, and the event builders (which live in `lib/test-events/`, where
 * the stacks build the console's test events from them too).
 */
import type { Context } from 'aws-lambda';
import { ACCOUNT, REGION } from '../../lib/test-events/builders';

export * from '../../lib/test-events/builders';

/** Options of {@link lambdaContext}. */
export interface ContextOptions {
  readonly awsRequestId?: string;
  readonly functionName?: string;
  /** Milliseconds left before the function's timeout, as `getRemainingTimeInMillis()` reports. */
  readonly remainingTimeMs?: number;
  readonly memoryLimitInMB?: string;
}

/** A Lambda context object ; the remaining time is fixed, not counted down. */
export function lambdaContext(options: ContextOptions = {}): Context {
  const functionName = options.functionName ?? 'test-function';
  const unsupported = (): never => {
    throw new Error('callback-style completion is not supported on nodejs24.x');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: options.memoryLimitInMB ?? '256',
    awsRequestId: options.awsRequestId ?? 'c0ffee00-0000-4000-8000-000000000001',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/15/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => options.remainingTimeMs ?? 3000,
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
