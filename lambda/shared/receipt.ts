/**
 * Order receipts: every recorded order carries an HMAC-SHA256 signature of its canonical form, made with the
 * stack's receipt key (a Secrets Manager secret), so anyone holding the key can tell a genuine order from one
 * written to the table by hand.
 *
 * Pure: the key is a parameter (the runtime reads it from Secrets Manager); no SDK, no environment, no clock.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Order } from './order';

/** What a signature covers: the order as the sender meant it (not the source that delivered it). */
export type SignedFields = Pick<Order, 'orderId' | 'item' | 'quantity' | 'drill'>;

/**
 * The canonical form: JSON of the order's fields in alphabetical key order, with an absent drill left out, so
 * the same order always yields the same bytes.
 */
export function canonicalOrder(order: SignedFields): string {
  const { drill, item, orderId, quantity } = order;
  return JSON.stringify({ ...(drill !== undefined && { drill }), item, orderId, quantity });
}

/** The order's signature with `key`: lowercase hex HMAC-SHA256 of {@link canonicalOrder}. */
export function signOrder(order: SignedFields, key: string): string {
  return createHmac('sha256', key).update(canonicalOrder(order), 'utf8').digest('hex');
}

/** Whether `signature` is the order's signature with `key` (compared in constant time). */
export function verifyOrder(order: SignedFields, signature: string | undefined, key: string): boolean {
  if (signature === undefined || !/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signOrder(order, key), 'hex'), Buffer.from(signature, 'hex'));
}
