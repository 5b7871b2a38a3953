/**
 * Core of the SNS subscriber: turns a notification's message into an order. Plain data in, plain data out.
 */
import { parseOrder, type OrderLimits, type OrderValidation } from '../shared/order';

/**
 * Reads the SNS `Message` as one JSON order. Without `orderId` the order gets `sns-<MessageId>`: Lambda's retries
 * of the same notification carry the same message id, so they map to the same order.
 */
export function readNotification(message: string, messageId: string, limits: OrderLimits): OrderValidation {
  return parseOrder(message, `sns-${messageId}`, limits);
}
