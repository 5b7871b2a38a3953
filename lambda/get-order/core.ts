/**
 * Core of `GET /orders/{orderId}`: plain data in, plain data out.
 */
import type { HttpResult } from '../shared/http';
import { DRILLS, ORDER_ID_PATTERN, type Drill } from '../shared/order';
import { verifyOrder } from '../shared/receipt';
import type { StoredOrder } from '../shared/record-order';

/** A valid lookup, or the reason it is not one. */
export type GetOrderRequest =
  | { readonly ok: true; readonly orderId: string; readonly drill?: Drill }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads the path's order id and the optional `?drill=` query parameter (GET has no body to carry a drill).
 */
export function readGetOrderRequest(orderId: string | undefined, drill: string | undefined): GetOrderRequest {
  if (orderId === undefined || !ORDER_ID_PATTERN.test(orderId)) {
    return { ok: false, reason: 'orderId must be 1-128 characters of letters, digits, ".", "_", ":" or "-"' };
  }
  if (drill === undefined) return { ok: true, orderId };
  const known = DRILLS.find((d) => d === drill);
  return known
    ? { ok: true, orderId, drill: known }
    : { ok: false, reason: `drill must be one of ${DRILLS.join(', ')} (given "${drill}")` };
}

/**
 * 200 with the order, its signature and `signatureValid` (whether the signature verifies with the current
 * receipt key: `false` for an order signed before a key change, or written to the table by hand), or 404 naming
 * the id.
 */
export function orderResponse(orderId: string, order: StoredOrder | undefined, receiptKey: string): HttpResult {
  return order
    ? { statusCode: 200, body: { ...order, signatureValid: verifyOrder(order, order.signature, receiptKey) } }
    : { statusCode: 404, body: { message: `order ${orderId} not found` } };
}

/** 400 with the reason. */
export function badRequestResponse(reason: string): HttpResult {
  return { statusCode: 400, body: { message: reason } };
}
