import type { RestApiModel, RestApiRouteModel } from '../../../local/assembly/model';
import type { ServiceRequest } from '../../../local/endpoint/types';

export const API_ID = 'a1b2c3d4e5';

export function route(
  resourcePath: string,
  httpMethod: string,
  overrides: Partial<RestApiRouteModel> = {},
): RestApiRouteModel {
  return {
    resourcePath,
    httpMethod,
    integrationType: 'AWS_PROXY',
    functionName: 'orders-api',
    timeoutInMillis: 29_000,
    authorizationType: 'NONE',
    apiKeyRequired: false,
    validateRequestBody: false,
    validateRequestParameters: false,
    requestParameters: {},
    requestModels: {},
    ...overrides,
  };
}

export const ORDER_MODEL = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Order',
  type: 'object',
  required: ['item', 'quantity'],
  properties: {
    item: { type: 'string', minLength: 1 },
    quantity: { type: 'integer', minimum: 1 },
  },
};

/** The RequestResponse stack's API, plus routes for each gateway behaviour. */
export function ordersApi(overrides: Partial<RestApiModel> = {}): RestApiModel {
  return {
    logicalId: 'OrdersApi',
    id: API_ID,
    name: 'orders',
    binaryMediaTypes: ['image/png'],
    stages: [
      {
        name: 'prod',
        url: `http://127.0.0.1:4566/restapis/${API_ID}/prod/_user_request_/`,
        variables: { env: 'local' },
        methodThrottling: { 'GET /limited': { rateLimit: 1, burstLimit: 2 } },
      },
    ],
    routes: [
      route('/orders', 'GET'),
      route('/orders', 'POST', {
        validateRequestBody: true,
        validateRequestParameters: true,
        requestParameters: { 'method.request.header.x-client-id': false },
        requestModels: { 'application/json': ORDER_MODEL },
      }),
      route('/orders/{orderId}', 'GET'),
      route('/orders/{orderId}/items/{itemId}', 'GET'),
      route('/search', 'GET', {
        validateRequestParameters: true,
        requestParameters: { 'method.request.querystring.q': true, 'method.request.header.x-tenant': true },
      }),
      route('/files/{proxy+}', 'ANY'),
      route('/slow', 'GET', { timeoutInMillis: 50 }),
      route('/limited', 'GET'),
      route('/mock', 'GET', { integrationType: 'MOCK', functionName: undefined }),
    ],
    ...overrides,
  };
}

/** A request as the endpoint hands it to a route handler. */
export function request(
  method: string,
  pathAndQuery: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer; stage?: string } = {},
): ServiceRequest {
  const [path, rawQuery = ''] = pathAndQuery.split('?') as [string, string | undefined];
  return {
    method,
    path: `/restapis/${API_ID}/${opts.stage ?? 'prod'}/_user_request_${path}`,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers: { host: '127.0.0.1:4566', 'user-agent': 'jest', ...opts.headers },
    body: typeof opts.body === 'string' ? Buffer.from(opts.body) : (opts.body ?? Buffer.alloc(0)),
    service: '',
    region: 'eu-west-1',
    sourceIp: '127.0.0.1',
    baseUrl: 'http://127.0.0.1:4566',
  };
}
