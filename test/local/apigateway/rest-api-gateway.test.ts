import type { APIGatewayProxyEvent } from 'aws-lambda';
import { RestApiGateway } from '../../../local/apigateway/rest-api-gateway';
import { ScaledClock } from '../../../local/core/clock';
import type { InvocationOutcome } from '../../../local/core/contracts';
import { Timeline } from '../../../local/core/timeline';
import type { ServiceResponse } from '../../../local/endpoint/types';
import { failure, FakeInvoker, namedError, success, type RecordedCall } from '../async/fakes';
import { ordersApi, request } from './fixtures';

function setup(answer: (call: RecordedCall) => InvocationOutcome | Promise<InvocationOutcome>, scale = 1) {
  const clock = new ScaledClock(scale);
  const timeline = new Timeline(clock);
  const invoker = new FakeInvoker(clock, answer);
  const gateway = new RestApiGateway({ apis: [ordersApi()], invoker, clock, timeline, accountId: '123456789012' });
  return { gateway, invoker, timeline };
}

const ok = (value: unknown) => () => success(value);

function bodyOf(response: ServiceResponse): unknown {
  return JSON.parse(Buffer.from(response.body ?? '').toString('utf8'));
}

function eventOf(call: RecordedCall): APIGatewayProxyEvent {
  return JSON.parse(call.payload) as APIGatewayProxyEvent;
}

describe('RestApiGateway', () => {
  it('returns the function status, headers and body with the API Gateway ids', async () => {
    // GIVEN a function answering 201 with a Location header
    const { gateway } = setup(ok({ statusCode: 201, headers: { Location: '/orders/o-1' }, body: '{"orderId":"o-1"}' }));
    // WHEN a client posts a valid order
    const response = await gateway.handle(
      request('POST', '/orders', {
        headers: { 'content-type': 'application/json' },
        body: '{"item":"pen","quantity":1}',
      }),
    );
    // THEN the client gets the function's response plus x-amzn-RequestId and x-amz-apigw-id
    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({
      Location: ['/orders/o-1'],
      'Content-Type': ['application/json'],
      'x-amzn-RequestId': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'x-amz-apigw-id': expect.stringMatching(/=$/),
    });
    expect(bodyOf(response)).toEqual({ orderId: 'o-1' });
  });

  it('stamps requestTimeEpoch with the wall clock on a scaled clock', async () => {
    // GIVEN a gateway on a 3,600× clock that has run 100 ms (6 virtual minutes)
    const { gateway, invoker } = setup(ok({ statusCode: 200, body: '' }), 3600);
    await new Promise((r) => setTimeout(r, 100));
    const before = Date.now();
    // WHEN a client calls it
    await gateway.handle(request('GET', '/orders'));
    // THEN the event's request time is real time
    const epoch = eventOf(invoker.calls[0]!).requestContext.requestTimeEpoch;
    expect(epoch).toBeGreaterThanOrEqual(before);
    expect(epoch).toBeLessThanOrEqual(Date.now());
  });

  it('merges headers and multiValueHeaders into the HTTP response', async () => {
    // GIVEN a function returning both header maps
    const { gateway } = setup(
      ok({ statusCode: 200, headers: { 'X-One': '1' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: '' }),
    );
    // WHEN a client calls it
    const response = await gateway.handle(request('GET', '/orders'));
    // THEN both are in the response, the cookie twice
    expect(response.headers).toMatchObject({ 'X-One': ['1'], 'Set-Cookie': ['a=1', 'b=2'] });
  });

  it('sends the decoded bytes of a base64 body of a binary media type', async () => {
    // GIVEN a function returning a base64 PNG
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
    const { gateway } = setup(
      ok({
        statusCode: 200,
        headers: { 'Content-Type': 'image/png' },
        body: png.toString('base64'),
        isBase64Encoded: true,
      }),
    );
    // WHEN a client fetches the file
    const response = await gateway.handle(request('GET', '/files/logo.png', { headers: { accept: 'image/png' } }));
    // THEN it gets the bytes
    expect(response.body).toEqual(png);
  });

  it('answers 502 Internal server error when the function fails, without retrying', async () => {
    // GIVEN a failing function
    const { gateway, invoker, timeline } = setup(() => failure('boom'));
    // WHEN a client calls it
    const response = await gateway.handle(request('GET', '/orders'));
    // THEN API Gateway's 502 body comes back after a single invocation
    expect(response.status).toBe(502);
    expect(bodyOf(response)).toEqual({ message: 'Internal server error' });
    expect(response.headers).toMatchObject({ 'x-amzn-ErrorType': 'InternalServerErrorException' });
    expect(invoker.calls).toHaveLength(1);
    expect(timeline.list({ source: 'apigateway' })[0]?.status).toBe('failed');
  });

  it('answers 502 when the function returns a malformed proxy response', async () => {
    // GIVEN a function returning a plain object
    const { gateway, timeline } = setup(ok({ hello: 'world' }));
    // WHEN a client calls it
    const response = await gateway.handle(request('GET', '/orders'));
    // THEN 502, and the reason is on the timeline only
    expect(response.status).toBe(502);
    expect(bodyOf(response)).toEqual({ message: 'Internal server error' });
    const step = timeline.list({ source: 'apigateway' })[0]?.steps.at(-1);
    expect(String(step?.detail?.reason)).toContain('Malformed Lambda proxy response');
  });

  it('answers 504 Endpoint request timed out when the function outlasts the integration timeout', async () => {
    // GIVEN a route with a 50 ms integration timeout and a function taking 300 ms
    const { gateway } = setup(() => new Promise((r) => setTimeout(() => r(success({ statusCode: 200 })), 300)));
    // WHEN a client calls it
    const started = Date.now();
    const response = await gateway.handle(request('GET', '/slow'));
    // THEN 504 comes back after about 50 ms, not 300
    expect(response.status).toBe(504);
    expect(bodyOf(response)).toEqual({ message: 'Endpoint request timed out' });
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('answers 500 when Lambda rejects the invoke (throttled function)', async () => {
    // GIVEN a function whose reserved concurrency is exhausted
    const { gateway } = setup(() => Promise.reject(namedError('TooManyRequestsException', 'Rate Exceeded.')));
    // WHEN a client calls it
    const response = await gateway.handle(request('GET', '/orders'));
    // THEN API Gateway answers 500 Internal server error
    expect(response.status).toBe(500);
    expect(bodyOf(response)).toEqual({ message: 'Internal server error' });
  });

  it.each([
    ['an unknown path', 'GET', '/nothing/here'],
    ['a method the resource lacks', 'DELETE', '/orders'],
    ['an unknown stage', 'GET', '/orders?stage=dev'],
  ])('answers 403 Missing Authentication Token for %s', async (_what, method, path) => {
    // GIVEN the API WHEN a client calls something it does not define
    const { gateway, invoker } = setup(ok({ statusCode: 200 }));
    const stage = path.includes('stage=dev') ? 'dev' : 'prod';
    const response = await gateway.handle(request(method, path.split('?')[0]!, { stage }));
    // THEN 403 with API Gateway's body and error type, and no invocation
    expect(response.status).toBe(403);
    expect(bodyOf(response)).toEqual({ message: 'Missing Authentication Token' });
    expect(response.headers).toMatchObject({ 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' });
    expect(invoker.calls).toHaveLength(0);
  });

  it('answers 400 Invalid request body when the body fails the model', async () => {
    // GIVEN POST /orders validates its body WHEN a client posts an order without quantity
    const { gateway, invoker } = setup(ok({ statusCode: 200 }));
    const response = await gateway.handle(
      request('POST', '/orders', { headers: { 'content-type': 'application/json' }, body: '{"item":"pen"}' }),
    );
    // THEN 400 and the function is not called
    expect(response.status).toBe(400);
    expect(bodyOf(response)).toEqual({ message: 'Invalid request body' });
    expect(response.headers).toMatchObject({ 'x-amzn-ErrorType': 'BadRequestException' });
    expect(invoker.calls).toHaveLength(0);
  });

  it('answers 400 Missing required request parameters naming them', async () => {
    // GIVEN GET /search requires ?q and X-Tenant WHEN a client sends neither
    const { gateway } = setup(ok({ statusCode: 200 }));
    const response = await gateway.handle(request('GET', '/search'));
    // THEN 400 lists both
    expect(response.status).toBe(400);
    expect(bodyOf(response)).toEqual({ message: 'Missing required request parameters: [q, x-tenant]' });
  });

  it('answers 429 Too Many Requests beyond the method burst', async () => {
    // GIVEN GET /limited allows a burst of 2 at 1 request per second
    const { gateway, invoker } = setup(ok({ statusCode: 200, body: 'ok' }));
    // WHEN a client sends 3 requests at once
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await gateway.handle(request('GET', '/limited'))).status);
    // THEN the third is throttled before reaching the function
    expect(statuses).toEqual([200, 200, 429]);
    expect(invoker.calls).toHaveLength(2);
  });

  it('refills the throttling bucket in real time, whatever the time scale', async () => {
    // GIVEN GET /limited allows a burst of 2 at 1 request per second, on an engine clock at 1000×
    const clock = new ScaledClock(1000);
    const timeline = new Timeline(clock);
    const invoker = new FakeInvoker(clock, () => success({ statusCode: 200, body: 'ok' }));
    const gateway = new RestApiGateway({ apis: [ordersApi()], invoker, clock, timeline });
    // WHEN a client sends 2 requests, then a third 50 ms later (50 virtual seconds)
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await gateway.handle(request('GET', '/limited'))).status);
    await new Promise((resolve) => setTimeout(resolve, 50));
    statuses.push((await gateway.handle(request('GET', '/limited'))).status);
    // THEN the third is still throttled: the client's rate is real requests per real second
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('applies the stage-wide limits to each method separately', async () => {
    // GIVEN a stage throttled at burst 1 for every method
    const api = ordersApi();
    const clock = new ScaledClock(1);
    const timeline = new Timeline(clock);
    const invoker = new FakeInvoker(clock, () => success({ statusCode: 200 }));
    const gateway = new RestApiGateway({
      apis: [{ ...api, stages: [{ ...api.stages[0]!, throttling: { rateLimit: 0.001, burstLimit: 1 } }] }],
      invoker,
      clock,
      timeline,
    });
    // WHEN two different methods are called twice each
    const statuses: number[] = [];
    for (const path of ['/orders', '/orders', '/orders/1', '/orders/1']) {
      statuses.push((await gateway.handle(request('GET', path))).status);
    }
    // THEN each method passes once and is throttled once
    expect(statuses).toEqual([200, 429, 200, 429]);
  });

  it('answers 413 for a payload over 10 MB', async () => {
    // GIVEN the API WHEN a client posts 10 MB + 1 byte THEN 413 and no invocation
    const { gateway, invoker } = setup(ok({ statusCode: 200 }));
    const response = await gateway.handle(
      request('PUT', '/files/big.bin', { body: Buffer.alloc(10 * 1024 * 1024 + 1) }),
    );
    expect(response.status).toBe(413);
    expect(invoker.calls).toHaveLength(0);
  });

  it('sends the function path parameters, query values and stage variables', async () => {
    // GIVEN a function WHEN a client calls a nested resource with repeated query values
    const { gateway, invoker } = setup(ok({ statusCode: 200 }));
    await gateway.handle(request('GET', '/orders/o-7/items/3?fields=a&fields=b'));
    // THEN the event carries them
    const event = eventOf(invoker.calls[0]!);
    expect(event.pathParameters).toEqual({ orderId: 'o-7', itemId: '3' });
    expect(event.multiValueQueryStringParameters).toEqual({ fields: ['a', 'b'] });
    expect(event.queryStringParameters).toEqual({ fields: 'b' });
    expect(event.stageVariables).toEqual({ env: 'local' });
  });

  it('routes any method under a greedy {proxy+} resource with the rest of the path as proxy', async () => {
    // GIVEN ANY /files/{proxy+} WHEN a client deletes a nested file
    const { gateway, invoker } = setup(ok({ statusCode: 204 }));
    const response = await gateway.handle(request('DELETE', '/files/2026/01/report.pdf'));
    // THEN the function gets proxy = the rest of the path
    expect(response.status).toBe(204);
    const event = eventOf(invoker.calls[0]!);
    expect(event.httpMethod).toBe('DELETE');
    expect(event.resource).toBe('/files/{proxy+}');
    expect(event.pathParameters).toEqual({ proxy: '2026/01/report.pdf' });
  });

  it('answers 500 for an integration that is not a Lambda proxy integration', async () => {
    // GIVEN a MOCK integration WHEN a client calls it THEN the local gateway says it cannot serve it
    const { gateway, timeline } = setup(ok({ statusCode: 200 }));
    const response = await gateway.handle(request('GET', '/mock'));
    expect(response.status).toBe(500);
    expect(String(timeline.list({ source: 'apigateway' })[0]?.steps.at(-1)?.detail?.reason)).toContain('MOCK');
  });

  it('records the request and the response status on the timeline', async () => {
    // GIVEN a function WHEN a client calls it
    const { gateway, timeline } = setup(ok({ statusCode: 200, body: 'ok' }));
    await gateway.handle(request('GET', '/orders/9'));
    // THEN the event shows the route and the 200
    const [event] = timeline.list({ source: 'apigateway' });
    expect(event).toMatchObject({ summary: 'GET /orders/9', functionName: 'orders-api', status: 'succeeded' });
    expect(event?.steps.at(-1)).toMatchObject({ kind: 'response', detail: { statusCode: 200 } });
  });
});
