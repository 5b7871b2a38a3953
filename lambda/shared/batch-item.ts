/**
 * One item of a polled batch (Kinesis, DynamoDB Streams, SQS): record it, or throw so that Powertools reports it
 * in `batchItemFailures` and only this item is retried, then sent to the DLQ or on-failure destination.
 *
 * @see docs/aws-semantics.md §C.3, §D.4
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { InvalidOrderError, type OrderValidation } from './order';
import type { OrderRecorder } from './order-recorder';
import { errorMessage } from './outcomes';
import type { OrderSource, RecordResult, RecordingPorts } from './record-order';

/** Records a validated item; throws {@link InvalidOrderError} for a rejected one. Logs either way. */
export async function recordItem(
  validation: OrderValidation,
  source: OrderSource,
  deps: { readonly recorder: OrderRecorder; readonly logger: Logger; readonly ports: RecordingPorts },
): Promise<RecordResult> {
  if (!validation.ok) {
    deps.logger.warn('order rejected', { source, reason: validation.reason });
    throw new InvalidOrderError(validation.reason);
  }
  try {
    const result = await deps.recorder.record(validation.order, source, deps.ports);
    deps.logger.info('order handled', { ...result });
    return result;
  } catch (error) {
    deps.logger.error('order failed', { source, orderId: validation.order.orderId, error: errorMessage(error) });
    throw error;
  }
}
