/**
 * Core of the Kinesis consumer: turns a record's data into an order. Plain data in, plain data out.
 */
import { parseOrder, type OrderLimits, type OrderValidation } from '../shared/order';

/**
 * Decodes a record's base64 `data` as one JSON order. Without `orderId` the order gets `stream-<sequenceNumber>`,
 * which a retried batch repeats, so a retried record maps to the same order.
 *
 * @see docs/aws-semantics.md §C.6 (Kinesis event shape)
 */
export function readStreamRecord(dataBase64: string, sequenceNumber: string, limits: OrderLimits): OrderValidation {
  return parseOrder(Buffer.from(dataBase64, 'base64').toString('utf8'), `stream-${sequenceNumber}`, limits);
}
