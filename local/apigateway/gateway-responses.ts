import type { ServiceResponse } from '../endpoint/types';

/**
 * The gateway responses the local REST API emulation produces, with API Gateway's default status,
 * body and `x-amzn-ErrorType`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
 */
export const GATEWAY_RESPONSES = {
  /** Unknown resource or method (REST APIs answer 403, not 404). */
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    errorType: 'MissingAuthenticationTokenException',
    message: 'Missing Authentication Token',
  },
  /** Request validator: required parameter missing (message gets the names appended). */
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    errorType: 'BadRequestException',
    message: 'Missing required request parameters',
  },
  /** Request validator: body does not match the model. */
  BAD_REQUEST_BODY: { status: 400, errorType: 'BadRequestException', message: 'Invalid request body' },
  /** Stage or method throttling. */
  THROTTLED: { status: 429, errorType: 'TooManyRequestsException', message: 'Too Many Requests' },
  /** Payload over 10 MB. */
  REQUEST_TOO_LARGE: { status: 413, errorType: 'RequestTooLargeException', message: 'Request Too Long' },
  /** Lambda rejected the Invoke call (throttled function, missing function, permissions). */
  INTEGRATION_FAILURE: { status: 500, errorType: 'InternalServerErrorException', message: 'Internal server error' },
  /** The function failed or returned a malformed proxy response (note the lower-case "server error"). */
  BAD_GATEWAY: { status: 502, errorType: 'InternalServerErrorException', message: 'Internal server error' },
  /** The integration did not answer within its timeout. */
  INTEGRATION_TIMEOUT: {
    status: 504,
    errorType: 'InternalServerErrorException',
    message: 'Endpoint request timed out',
  },
} as const;

/** The kind of a gateway response. */
export type GatewayResponseType = keyof typeof GATEWAY_RESPONSES;

/** Ids every API Gateway response carries. */
export interface ResponseIds {
  /** `x-amzn-RequestId` (the event's `requestContext.requestId`). */
  readonly requestId: string;
  /** `x-amz-apigw-id` (the event's `requestContext.extendedRequestId`). */
  readonly apigwId: string;
}

/** The headers API Gateway adds to every response. */
export function gatewayHeaders(ids: ResponseIds): Record<string, string> {
  return { 'x-amzn-RequestId': ids.requestId, 'x-amz-apigw-id': ids.apigwId };
}

/** An API Gateway error response; `message` overrides the default body message. */
export function gatewayError(type: GatewayResponseType, ids: ResponseIds, message?: string): ServiceResponse {
  const spec = GATEWAY_RESPONSES[type];
  return {
    status: spec.status,
    headers: {
      'content-type': 'application/json',
      ...gatewayHeaders(ids),
      'x-amzn-ErrorType': spec.errorType,
    },
    body: JSON.stringify({ message: message ?? spec.message }),
  };
}
