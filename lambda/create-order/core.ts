/**
 * Core of `POST /orders`: plain data in, plain data out.
 */
import type { HttpResult } from '../shared/http';
import { parseOrder, type OrderLimits, type OrderValidation } from '../shared/order';
import type { RecordResult } from '../shared/record-order';

/**
 * Reads the request body as an order. Without an `orderId` the order gets `api-<requestId>`, which differs per
 * request: send your own `orderId` to make a retried POST idempotent.
 */
export function readOrderRequest(body: string | null, requestId: string, limits: OrderLimits): OrderValidation {
  return parseOrder(body, `api-${requestId}`, limits);
}

/** 201 for a newly recorded order, 200 when the order id was already recorded (a replay). */
export function orderRecordedResponse(result: RecordResult): HttpResult {
  return { statusCode: result.status === 'recorded' ? 201 : 200, body: { ...result } };
}

/** 400 with the reason, for a body that passed API Gateway's model but not the business rules. */
export function badRequestResponse(reason: string): HttpResult {
  return { statusCode: 400, body: { message: reason } };
}
