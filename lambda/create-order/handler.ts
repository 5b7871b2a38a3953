/**
 * `POST /orders` (API Gateway REST API, Lambda proxy integration, synchronous).
 *
 * A thrown error (drill `error`, `error-once`) or a timeout reaches the client as API Gateway's 502; nobody
 * retries (docs/aws-semantics.md §A.5, §A.6).
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { toProxyResult, type ProxyResult } from '../shared/http';
import { createOrderRuntime, type OrderRuntime } from '../shared/runtime';
import { badRequestResponse, orderRecordedResponse, readOrderRequest } from './core';

/** Builds the handler over its dependencies (AWS in Lambda, fakes in tests). */
export function createHandler(runtime: OrderRuntime) {
  return async (event: APIGatewayProxyEvent, context: Context): Promise<ProxyResult> => {
    runtime.logger.addContext(context);
    runtime.recorder.registerContext(context);
    const request = readOrderRequest(event.body, event.requestContext.requestId, {
      maxQuantity: await runtime.maxQuantity(),
    });
    if (!request.ok) {
      runtime.logger.warn('order rejected', { reason: request.reason });
      return toProxyResult(badRequestResponse(request.reason));
    }
    const result = await runtime.recorder.record(request.order, 'api', runtime.portsFor(context));
    runtime.logger.info('order handled', { ...result });
    return toProxyResult(orderRecordedResponse(result));
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler(createOrderRuntime(process.env));
