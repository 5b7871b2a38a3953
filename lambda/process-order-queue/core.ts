/**
 * Core of the SQS consumer: turns a message body into an order. Plain data in, plain data out.
 */
import { parseOrder, type OrderLimits, type OrderValidation } from '../shared/order';

/**
 * Reads a message body as one JSON order. Without `orderId` the order gets `queue-<messageId>`; a message keeps
 * its id across receives, so a redelivery maps to the same order.
 */
export function readMessage(body: string, messageId: string, limits: OrderLimits): OrderValidation {
  return parseOrder(body, `queue-${messageId}`, limits);
}

/** A FIFO queue's ARN ends in `.fifo`; its batches need in-order processing per message group. */
export function isFifoQueueArn(arn: string | undefined): boolean {
  return arn?.endsWith('.fifo') ?? false;
}
