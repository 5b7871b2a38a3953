/**
 * `GET /orders/{orderId}` (API Gateway REST API, Lambda proxy integration, synchronous).
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { toProxyResult, type ProxyResult } from '../shared/http';
import { attemptKey, runDrill } from '../shared/record-order';
import { createOrderRuntime, type OrderRuntime } from '../shared/runtime';
import { badRequestResponse, orderResponse, readGetOrderRequest } from './core';

/** Builds the handler over its dependencies (AWS in Lambda, fakes in tests). */
export function createHandler(runtime: OrderRuntime) {
  return async (event: APIGatewayProxyEvent, context: Context): Promise<ProxyResult> => {
    runtime.logger.addContext(context);
    const request = readGetOrderRequest(event.pathParameters?.['orderId'], event.queryStringParameters?.['drill']);
    if (!request.ok) return toProxyResult(badRequestResponse(request.reason));
    await runDrill(request.drill, attemptKey('get', request.orderId), runtime.portsFor(context));
    const order = await runtime.getOrder(request.orderId);
    const response = orderResponse(request.orderId, order, await runtime.receiptKey());
    runtime.logger.info('order looked up', { orderId: request.orderId, found: order !== undefined });
    return toProxyResult(response);
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler(createOrderRuntime(process.env));
