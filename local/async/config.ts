import type { AssemblyModel, EventInvokeConfigModel } from '../assembly/model';
import type { AsyncFunctionConfig } from './async-invocation-queue';
import { MAX_EVENT_AGE_SECONDS, MAX_RETRY_ATTEMPTS } from './retry-policy';

/**
 * The `configFor` of an {@link AsyncInvocationQueue} for an assembly: each function's
 * EventInvokeConfig for `$LATEST` (or its only one), its dead-letter target and reserved
 * concurrency, with AWS's defaults (2 retries, 6 hours) when the template sets none.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
 */
export function asyncConfigResolver(
  assembly: AssemblyModel,
): (functionName: string) => AsyncFunctionConfig | undefined {
  const configs = new Map<string, AsyncFunctionConfig>();
  for (const stack of assembly.stacks) {
    for (const fn of stack.functions) {
      const own = stack.eventInvokeConfigs.filter((c) => c.functionName === fn.name || c.functionName === fn.arn);
      const chosen: EventInvokeConfigModel = own.find((c) => c.qualifier === '$LATEST') ??
        own[0] ?? {
          functionName: fn.name,
          qualifier: '$LATEST',
          maximumRetryAttempts: MAX_RETRY_ATTEMPTS,
          maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS,
        };
      configs.set(fn.name, {
        ...chosen,
        functionName: fn.name,
        functionArn: fn.arn,
        deadLetterTargetArn: fn.deadLetterTargetArn,
        reservedConcurrency: fn.reservedConcurrency,
      });
    }
  }
  return (functionName) => configs.get(functionName);
}
