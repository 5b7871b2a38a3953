import { parseStageRequestPath, RestApiRouter } from '../../../local/apigateway/router';
import { API_ID, ordersApi, route } from './fixtures';

describe('parseStageRequestPath', () => {
  it.each([
    [`/restapis/${API_ID}/prod/_user_request_/orders`, { apiId: API_ID, stage: 'prod', rawPath: '/orders' }],
    [`/restapis/${API_ID}/prod/_user_request_/`, { apiId: API_ID, stage: 'prod', rawPath: '/' }],
    [`/restapis/${API_ID}/prod/_user_request_`, { apiId: API_ID, stage: 'prod', rawPath: '/' }],
    [`/restapis/${API_ID}/prod/orders`, undefined],
    ['/orders', undefined],
  ])('splits %s', (path, expected) => {
    // GIVEN a request path WHEN split THEN api, stage and API path come out (or nothing)
    expect(parseStageRequestPath(path)).toEqual(expected);
  });
});

describe('RestApiRouter', () => {
  const router = new RestApiRouter([
    ordersApi({
      routes: [
        route('/', 'GET', { functionName: 'root' }),
        route('/orders', 'GET', { functionName: 'list' }),
        route('/orders/{orderId}', 'GET', { functionName: 'get' }),
        route('/orders/{orderId}', 'DELETE', { functionName: 'delete' }),
        route('/orders/recent', 'GET', { functionName: 'recent' }),
        route('/catalog/{id}/items/{itemId}', 'GET', { functionName: 'item' }),
        route('/{proxy+}', 'ANY', { functionName: 'fallback' }),
      ],
    }),
  ]);
  const match = (method: string, rawPath: string, stage = 'prod') =>
    router.route(method, { apiId: API_ID, stage, rawPath });

  it.each([
    ['GET', '/', 'root', '/', null],
    ['GET', '/orders', 'list', '/orders', null],
    ['GET', '/orders/', 'list', '/orders', null],
    ['GET', '/orders/42', 'get', '/orders/{orderId}', { orderId: '42' }],
    ['DELETE', '/orders/42', 'delete', '/orders/{orderId}', { orderId: '42' }],
    ['GET', '/orders/recent', 'recent', '/orders/recent', null],
    ['GET', '/orders/a%20b', 'get', '/orders/{orderId}', { orderId: 'a b' }],
    ['GET', '/catalog/7/items/9', 'item', '/catalog/{id}/items/{itemId}', { id: '7', itemId: '9' }],
    ['GET', '/orders/42/extra', 'fallback', '/{proxy+}', { proxy: 'orders/42/extra' }],
    ['PATCH', '/anything/deep/path', 'fallback', '/{proxy+}', { proxy: 'anything/deep/path' }],
  ])('routes %s %s to %s (%s) with path parameters %j', (method, path, fn, resource, params) => {
    // GIVEN the resource tree WHEN a request is routed THEN the most specific resource and method win
    const m = match(method, path);
    expect(m?.route.functionName).toBe(fn);
    expect(m?.route.resourcePath).toBe(resource);
    expect(m?.pathParameters).toEqual(params);
  });

  it.each([
    ['/orders/', '/orders/', null],
    ['/orders/42/extra/', '/orders/42/extra/', { proxy: 'orders/42/extra' }],
    ['/orders', '/orders', null],
  ])('keeps the trailing slash of %s in the event path, not in path parameters', (raw, path, params) => {
    // GIVEN a request path WHEN routed THEN `path` is as requested (AWS sends "/proxy-value/")
    const m = match('GET', raw);
    expect(m?.path).toBe(path);
    expect(m?.pathParameters).toEqual(params);
  });

  it('answers nothing for a method the matched resource lacks, without falling back to {proxy+}', () => {
    // GIVEN /orders has GET only WHEN POST /orders is routed THEN there is no match (403 upstream)
    expect(match('POST', '/orders')).toBeUndefined();
  });

  it('answers nothing for an unknown stage or API', () => {
    // GIVEN a valid path WHEN the stage or the API is unknown THEN there is no match
    expect(match('GET', '/orders', 'dev')).toBeUndefined();
    expect(router.route('GET', { apiId: 'nope', stage: 'prod', rawPath: '/orders' })).toBeUndefined();
  });

  it('answers nothing for a path without a resource when there is no greedy resource', () => {
    // GIVEN an API without {proxy+}
    const strict = new RestApiRouter([ordersApi({ routes: [route('/orders', 'GET')] })]);
    // WHEN an unknown path is routed THEN there is no match
    expect(strict.route('GET', { apiId: API_ID, stage: 'prod', rawPath: '/nothing' })).toBeUndefined();
  });
});
