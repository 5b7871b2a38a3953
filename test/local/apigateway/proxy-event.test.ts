import { buildApiGatewayProxyEvent, formatRequestTime, isBinaryMediaType } from '../../../local/apigateway/proxy-event';
import { RestApiRouter, parseStageRequestPath } from '../../../local/apigateway/router';
import { API_ID, ordersApi, request } from './fixtures';

const NOW = Date.UTC(2020, 2, 4, 19, 15, 17, 135);
const CTX = {
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  now: NOW,
  accountId: '123456789012',
  region: 'eu-west-1',
};
const router = new RestApiRouter([ordersApi()]);

function eventFor(req: ReturnType<typeof request>) {
  const match = router.route(req.method, parseStageRequestPath(req.path)!);
  if (!match) throw new Error('no route');
  return buildApiGatewayProxyEvent(req, match, CTX);
}

describe('buildApiGatewayProxyEvent', () => {
  it('builds the REST v1 proxy event of a GET with path parameters', () => {
    // GIVEN GET /orders/42 WHEN its event is built
    const event = eventFor(request('GET', '/orders/42'));
    // THEN resource, path, parameters and the request context are API Gateway's
    expect(event).toMatchObject({
      resource: '/orders/{orderId}',
      path: '/orders/42',
      httpMethod: 'GET',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { orderId: '42' },
      stageVariables: { env: 'local' },
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012',
        apiId: API_ID,
        httpMethod: 'GET',
        path: '/prod/orders/42',
        protocol: 'HTTP/1.1',
        requestId: CTX.requestId,
        requestTime: '04/Mar/2020:19:15:17 +0000',
        requestTimeEpoch: NOW,
        resourceId: expect.stringMatching(/^[a-z0-9]{6}$/),
        resourcePath: '/orders/{orderId}',
        stage: 'prod',
        extendedRequestId: expect.stringMatching(/^[A-Za-z0-9]{15}=$/),
        identity: { sourceIp: '127.0.0.1', userAgent: 'jest', caller: null, user: null, apiKey: null },
      },
    });
  });

  it('has the single last value and all values of repeated query parameters', () => {
    // GIVEN ?tag=a&tag=b&limit=5 WHEN the event is built
    const event = eventFor(request('GET', '/orders?tag=a&tag=b&limit=5'));
    // THEN single values are the last ones, multi values all of them
    expect(event.queryStringParameters).toEqual({ tag: 'b', limit: '5' });
    expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b'], limit: ['5'] });
  });

  it('carries every header in headers and multiValueHeaders, plus the forwarding headers', () => {
    // GIVEN a request with an Accept header WHEN the event is built
    const event = eventFor(request('GET', '/orders', { headers: { accept: 'application/json' } }));
    // THEN both header maps have it and X-Forwarded-For names the caller
    expect(event.headers.accept).toBe('application/json');
    expect(event.multiValueHeaders.accept).toEqual(['application/json']);
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('leaves Content-Length and Connection out of the headers, as API Gateway does', () => {
    // GIVEN a POST whose client sent Content-Length and Connection WHEN the event is built
    const event = eventFor(
      request('POST', '/orders', {
        headers: { 'content-type': 'application/json', 'content-length': '14', connection: 'keep-alive' },
        body: '{"item":"pen"}',
      }),
    );
    // THEN neither reaches the function, the other headers do
    expect(event.headers).not.toHaveProperty('content-length');
    expect(event.headers).not.toHaveProperty('connection');
    expect(event.multiValueHeaders).not.toHaveProperty('content-length');
    expect(event.headers['content-type']).toBe('application/json');
  });

  it('passes a text body as is', () => {
    // GIVEN a JSON POST WHEN the event is built THEN the body is the text
    const event = eventFor(
      request('POST', '/orders', { headers: { 'content-type': 'application/json' }, body: '{"item":"pen"}' }),
    );
    expect(event.body).toBe('{"item":"pen"}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('base64-encodes a body whose Content-Type is a binary media type', () => {
    // GIVEN a PNG upload through {proxy+} WHEN the event is built THEN the body is base64
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const event = eventFor(request('PUT', '/files/a/b.png', { headers: { 'content-type': 'image/png' }, body: png }));
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(png);
    expect(event.pathParameters).toEqual({ proxy: 'a/b.png' });
    expect(event.resource).toBe('/files/{proxy+}');
  });

  it('sets stageVariables to null when the stage has none', () => {
    // GIVEN a stage without variables WHEN the event is built THEN stageVariables is null
    const api = ordersApi();
    const bare = new RestApiRouter([{ ...api, stages: [{ ...api.stages[0]!, variables: {} }] }]);
    const req = request('GET', '/orders');
    const event = buildApiGatewayProxyEvent(req, bare.route('GET', parseStageRequestPath(req.path)!)!, CTX);
    expect(event.stageVariables).toBeNull();
  });
});

describe('isBinaryMediaType', () => {
  it.each([
    ['image/png', ['image/png'], true],
    ['image/png; charset=binary', ['image/png'], true],
    ['image/jpeg', ['image/*'], true],
    ['application/json', ['*/*'], true],
    ['application/octet-stream', ['application~1octet-stream'], true],
    ['application/json', ['image/png'], false],
    [undefined, ['*/*'], false],
  ])('%s with %j → %s', (type, types, expected) => {
    // GIVEN a content type and the API's binary types WHEN compared THEN wildcards and ~1 escapes count
    expect(isBinaryMediaType(type, types)).toBe(expected);
  });
});

describe('formatRequestTime', () => {
  it('formats like 04/Mar/2020:19:15:17 +0000', () => {
    // GIVEN an instant WHEN formatted THEN it is the CLF time API Gateway uses
    expect(formatRequestTime(Date.UTC(2020, 2, 4, 19, 15, 17))).toBe('04/Mar/2020:19:15:17 +0000');
  });
});
