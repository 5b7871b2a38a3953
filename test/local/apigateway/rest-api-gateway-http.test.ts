import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REST_API_REQUEST_LIMITS, RestApiGateway } from '../../../local/apigateway/rest-api-gateway';
import { REST_API_PREFIX } from '../../../local/apigateway/router';
import { ScaledClock } from '../../../local/core/clock';
import { TimelineInvoker } from '../../../local/engine/invoker';
import { Timeline } from '../../../local/core/timeline';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { LambdaRuntime } from '../../../local/runtime';
import { API_ID, ordersApi, route } from './fixtures';

const HANDLER = `
exports.handler = async (event) => {
  if (event.path === '/boom') throw new Error('boom');
  if (event.path === '/slow') await new Promise((r) => setTimeout(r, 500));
  if (event.path === '/plain') return { hello: 'world' };
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json', 'X-Resource': event.resource },
    multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
    body: JSON.stringify({
      pathParameters: event.pathParameters,
      query: event.multiValueQueryStringParameters,
      body: event.body,
      requestId: event.requestContext.requestId,
    }),
  };
};
`;

/**
 * The REST API emulation mounted on the real endpoint, calling a real function in the local
 * runtime over real HTTP.
 */
describe('REST API through the local endpoint', () => {
  let endpoint: Endpoint;
  let runtime: LambdaRuntime;
  let codeDir: string;
  let timeline: Timeline;
  let base: string;

  beforeAll(async () => {
    codeDir = mkdtempSync(path.join(os.tmpdir(), 'apigw-test-'));
    writeFileSync(path.join(codeDir, 'index.js'), HANDLER);
    runtime = new LambdaRuntime({ region: 'eu-west-1', accountId: '123456789012' });
    runtime.register({
      name: 'orders-api',
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api',
      handler: 'index.handler',
      codeDir,
      runtime: 'nodejs22.x',
      timeoutSeconds: 3,
      memorySizeMb: 128,
      environment: {},
    });
    const clock = new ScaledClock(1);
    timeline = new Timeline(clock);
    const api = ordersApi();
    const gateway = new RestApiGateway({
      apis: [
        {
          ...api,
          routes: [...api.routes, route('/boom', 'GET'), route('/plain', 'GET')],
        },
      ],
      invoker: new TimelineInvoker(runtime, timeline),
      clock,
      timeline,
      accountId: '123456789012',
    });
    endpoint = await startEndpoint({ port: 0, region: 'eu-west-1', accountId: '123456789012' });
    endpoint.addRoute(REST_API_PREFIX, (req) => gateway.handle(req), REST_API_REQUEST_LIMITS);
    base = `${endpoint.url}/restapis/${API_ID}/prod/_user_request_`;
  });

  afterAll(async () => {
    await endpoint.stop();
    await runtime.stop();
    rmSync(codeDir, { recursive: true, force: true });
  });

  it('answers with the function response, cookies as separate headers and API Gateway ids', async () => {
    // GIVEN a deployed function behind GET /orders/{orderId}
    // WHEN a client calls it over HTTP with repeated query values
    const response = await fetch(`${base}/orders/o-42?tag=a&tag=b`);
    // THEN it gets the function's status, headers and body, and the request id it was given
    expect(response.status).toBe(200);
    expect(response.headers.get('x-resource')).toBe('/orders/{orderId}');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const body = (await response.json()) as { pathParameters: unknown; query: unknown; requestId: string };
    expect(body.pathParameters).toEqual({ orderId: 'o-42' });
    expect(body.query).toEqual({ tag: ['a', 'b'] });
    expect(response.headers.get('x-amzn-requestid')).toBe(body.requestId);
    expect(response.headers.get('x-amz-apigw-id')).toMatch(/=$/);
  });

  it('answers 502 when the function throws', async () => {
    // GIVEN a function that throws on /boom WHEN called THEN 502 Internal server error
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
  });

  it('answers 502 when the function returns something that is not a proxy response', async () => {
    // GIVEN a function returning a plain object WHEN called THEN 502
    const response = await fetch(`${base}/plain`);
    expect(response.status).toBe(502);
  });

  it('answers 504 when the function outlasts the integration timeout', async () => {
    // GIVEN /slow has a 50 ms integration timeout and the function takes 500 ms WHEN called THEN 504
    const response = await fetch(`${base}/slow`);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: 'Endpoint request timed out' });
  });

  it('answers 403 Missing Authentication Token for an unknown path', async () => {
    // GIVEN no resource /nope WHEN called THEN 403 with the error type header
    const response = await fetch(`${base}/nope`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('answers 400 for an invalid body before the function runs', async () => {
    // GIVEN POST /orders validates its body WHEN an invalid order is posted THEN 400
    const response = await fetch(`${base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: '' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'Invalid request body' });
  });

  it('records the attempt of the real function on the request timeline', async () => {
    // GIVEN a call WHEN it completes THEN the timeline shows the attempt and the 200 response
    await fetch(`${base}/orders/o-1`);
    const event = timeline.list({ source: 'apigateway' }).find((e) => e.summary === 'GET /orders/o-1');
    expect(event?.steps.map((s) => s.kind)).toEqual(['received', 'attempt', 'response']);
    expect(event?.status).toBe('succeeded');
  });
});
