/**
 * SNS topic → this function (asynchronous invocation).
 *
 * A failure is retried by Lambda and ends in the function's dead-letter queue; the subscription's own DLQ only
 * receives messages SNS could not deliver to Lambda at all.
 *
 * @see docs/aws-semantics.md §B.2, §B.3, §B.6
 */
import type { Context, SNSEvent } from 'aws-lambda';
import { EventFailedError, recordEach, summarize, type EventSummary } from '../shared/outcomes';
import { createOrderRuntime, type OrderRuntime } from '../shared/runtime';
import { readNotification } from './core';

/** Builds the handler over its dependencies (AWS in Lambda, fakes in tests). */
export function createHandler(runtime: OrderRuntime) {
  return async (event: SNSEvent, context: Context): Promise<EventSummary> => {
    runtime.logger.addContext(context);
    runtime.recorder.registerContext(context);
    const limits = { maxQuantity: await runtime.maxQuantity() };
    const ports = runtime.portsFor(context);
    const validations = event.Records.map((r) => readNotification(r.Sns.Message, r.Sns.MessageId, limits));
    const summary = summarize(
      await recordEach(validations, (v) => runtime.recorder.record(v.order, 'notification', ports)),
    );
    if (summary.failures.length > 0) {
      runtime.logger.error('notification failed', { failures: summary.failures });
      throw new EventFailedError(`SNS message ${event.Records.map((r) => r.Sns.MessageId).join(', ')}`, summary);
    }
    runtime.logger.info('notification recorded', { recorded: summary.recorded });
    return summary;
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler(createOrderRuntime(process.env));
