/**
 * Issue 5, the request/response pattern end to end: the project's `RequestResponse` stack deployed on the
 * engine, called over real HTTP through the local REST API, with the real AWS SDK to look at DynamoDB and
 * the Lambda configuration.
 *
 * @see docs/aws-semantics.md §A.5 (no retries for synchronous callers), §A.6 (API Gateway error mapping)
 */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TimelineEvent } from '../../local/core/contracts';
import { E2E_CDK_OUT, E2E_OWNER } from './assembly';
import { startLab, type Lab } from './harness';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ timeScale: 120 });
}, 180_000);

afterAll(async () => {
  await lab?.stop();
});

interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  /** `x-amzn-RequestId`: the gateway's request id, also on the event's timeline. */
  readonly requestId: string;
  readonly ms: number;
}

const ordersEndpoint = (): string => lab.outputs.RequestResponse.OrdersEndpoint!;

async function call(url: string, init: RequestInit = {}): Promise<ApiResponse> {
  const started = Date.now();
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, requestId: res.headers.get('x-amzn-requestid') ?? '', ms: Date.now() - started };
}

/** `POST /orders` with a JSON body (a string is sent as is). */
function postOrder(order: unknown): Promise<ApiResponse> {
  return call(ordersEndpoint(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof order === 'string' ? order : JSON.stringify(order),
  });
}

const getOrder = (orderId: string): Promise<ApiResponse> => call(`${ordersEndpoint()}/${orderId}`);

/** The timeline event the gateway opened for one request. */
async function timelineOf(requestId: string): Promise<TimelineEvent> {
  const events = await lab.events({ source: 'apigateway', limit: '1000' });
  const event = events.find((e) => e.steps[0]?.detail?.['requestId'] === requestId);
  if (!event) throw new Error(`no timeline event for API request ${requestId}`);
  return event;
}

const attemptsOf = (event: TimelineEvent) => event.steps.filter((s) => s.kind === 'attempt');

describe('POST /orders', () => {
  it('records a valid order with 201 and stores it in the orders table', async () => {
    // GIVEN a new order
    const orderId = `rr-${randomUUID()}`;
    // WHEN it is posted
    const res = await postOrder({ orderId, item: 'pen', quantity: 2 });
    // THEN 201 with the function's body, and the order is in the stack's table
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ orderId, source: 'api', status: 'recorded' });
    const stored = await lab.dynamodb.send(
      new GetCommand({ TableName: lab.outputs.RequestResponse.OrdersTableName, Key: { orderId } }),
    );
    expect(stored.Item).toMatchObject({ orderId, item: 'pen', quantity: 2, source: 'api' });
  });

  it('answers the same order id again with 200 duplicate', async () => {
    // GIVEN a recorded order
    const orderId = `rr-dup-${randomUUID()}`;
    const first = await postOrder({ orderId, item: 'cup', quantity: 1 });
    // WHEN it is posted again
    const second = await postOrder({ orderId, item: 'cup', quantity: 1 });
    // THEN the first is 201, the second 200 and marked duplicate
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ orderId, source: 'api', status: 'duplicate' });
  });

  it.each([
    ['without quantity', { item: 'pen' }],
    ['with quantity 0', { item: 'pen', quantity: 0 }],
    ['with a fractional quantity', { item: 'pen', quantity: 1.5 }],
    ['with an unknown key', { item: 'pen', quantity: 1, colour: 'red' }],
    ['with an unknown drill', { item: 'pen', quantity: 1, drill: 'explode' }],
    ['that is not JSON', '{"item": "pen",'],
  ])('answers a body %s with 400 Invalid request body before any function runs', async (_what, body) => {
    // WHEN the body fails the API's Order model
    const res = await postOrder(body);
    // THEN API Gateway's request validator answers, and the timeline shows no invocation
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid request body' });
    const event = await timelineOf(res.requestId);
    expect(attemptsOf(event)).toHaveLength(0);
    expect(event.steps.at(-1)).toMatchObject({ kind: 'response', detail: { statusCode: 400 } });
  });

  it('answers drill "error" with 502 Internal server error after exactly one attempt', async () => {
    // WHEN an order asks the function to throw
    const res = await postOrder({ item: 'pen', quantity: 1, drill: 'error' });
    // THEN API Gateway maps the function error to 502 with its own body (lower-case "server error")
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ message: 'Internal server error' });
    // AND nobody retried: one attempt, which failed with the function's error type
    const attempts = attemptsOf(await timelineOf(res.requestId));
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      outcome: 'error',
      errorType: 'DrillError',
      functionName: lab.outputs.RequestResponse.CreateOrderFunctionName,
    });
  });

  it('answers drill "error-once" with 502, then 201 when the client sends the same order again', async () => {
    // GIVEN an order that fails its first attempt only
    const order = { orderId: `rr-once-${randomUUID()}`, item: 'lamp', quantity: 1, drill: 'error-once' };
    // WHEN the client posts it twice (API Gateway never retries for it)
    const first = await postOrder(order);
    const second = await postOrder(order);
    // THEN the first request failed and the client's own retry recorded it
    expect(first.status).toBe(502);
    expect(attemptsOf(await timelineOf(first.requestId))).toHaveLength(1);
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ orderId: order.orderId, source: 'api', status: 'recorded' });
  });

  it('answers drill "timeout" with 502 when the function times out before the integration timeout', async () => {
    // GIVEN the function's timeout from its configuration
    const { Timeout = 0 } = await lab.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: lab.outputs.RequestResponse.CreateOrderFunctionName }),
    );
    // WHEN an order keeps the function busy past it
    const res = await postOrder({ item: 'clock', quantity: 1, drill: 'timeout' });
    // THEN the function's timeout (3 s) comes long before API Gateway's 29 s integration timeout, so Lambda
    // ends the invocation with a Sandbox.Timedout function error and API Gateway answers 502, as for any
    // function error; a 504 would need the integration timeout to pass first (§A.6).
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ message: 'Internal server error' });
    expect(res.ms).toBeGreaterThanOrEqual(Timeout * 1000 - 50);
    expect(res.ms).toBeLessThan(29_000);
    const [attempt] = attemptsOf(await timelineOf(res.requestId));
    expect(attempt).toMatchObject({ outcome: 'timeout', errorType: 'Sandbox.Timedout' });
  }, 30_000);
});

describe('GET /orders/{orderId}', () => {
  it('returns an order recorded by POST: the path parameter reaches the function', async () => {
    // GIVEN a recorded order
    const orderId = `rr-get-${randomUUID()}`;
    expect((await postOrder({ orderId, item: 'book', quantity: 3 })).status).toBe(201);
    // WHEN it is read back by id
    const res = await getOrder(orderId);
    // THEN the function found it by the id in the path
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ orderId, item: 'book', quantity: 3, source: 'api' });
  });

  it('answers an id nobody recorded with the function’s 404 naming the id', async () => {
    const orderId = `rr-missing-${randomUUID()}`;
    const res = await getOrder(orderId);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: `order ${orderId} not found` });
  });
});

describe('routing', () => {
  it.each([
    ['GET', 'customers'],
    ['DELETE', 'orders'],
    ['POST', 'orders/o-1'],
    ['GET', 'orders/o-1/items'],
  ])('answers %s /%s, which the API does not define, with 403 Missing Authentication Token', async (method, p) => {
    // WHEN a client calls a route the REST API does not have
    const res = await call(`${lab.outputs.RequestResponse.ApiUrl}${p}`, { method });
    // THEN REST APIs answer 403, not 404
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'Missing Authentication Token' });
  });
});

/** The stage's throttling limits as the synthesized template sets them (`MethodSettings` for `/*` `/*`). */
function templateStageLimits(): { rateLimit: number; burstLimit: number } {
  const file = path.join(E2E_CDK_OUT, `${E2E_OWNER}-RequestResponse.template.json`);
  const template = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: { MethodSettings?: Array<Record<string, unknown>> } }>;
  };
  const stage = Object.values(template.Resources).find((r) => r.Type === 'AWS::ApiGateway::Stage');
  const all = stage?.Properties?.MethodSettings?.find((m) => m['HttpMethod'] === '*' && m['ResourcePath'] === '/*');
  if (typeof all?.['ThrottlingRateLimit'] !== 'number' || typeof all['ThrottlingBurstLimit'] !== 'number') {
    throw new Error(`no stage-wide throttling in ${file}`);
  }
  return { rateLimit: all['ThrottlingRateLimit'], burstLimit: all['ThrottlingBurstLimit'] };
}

// Last in the file: it empties the POST /orders bucket.
describe('stage throttling', () => {
  it('answers requests beyond the stage burst with 429 Too Many Requests, at any time scale', async () => {
    // GIVEN the template's stage limits (dev: 10 requests/s, burst 20) on an engine at 120×
    const { rateLimit, burstLimit } = templateStageLimits();
    expect(lab.engine.clock.scale).toBeGreaterThan(1);
    // AND a full bucket: the earlier tests' requests have refilled after burst/rate real seconds
    await new Promise((resolve) => setTimeout(resolve, (burstLimit / rateLimit) * 1000));
    // WHEN a client sends five times the burst at once (bodies the validator rejects, so no function runs);
    // five, not two, so the refill during a slow send on a busy machine cannot cover the excess
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: burstLimit * 5 }, () => postOrder({ item: '' })));
    const elapsedSeconds = (Date.now() - started) / 1000;
    // THEN the burst (plus what refilled meanwhile, in real time) passed to the validator, the rest got 429
    const passed = responses.filter((r) => r.status !== 429);
    const throttled = responses.filter((r) => r.status === 429);
    expect(passed.every((r) => r.status === 400)).toBe(true);
    expect(passed.length).toBeGreaterThanOrEqual(burstLimit);
    expect(passed.length).toBeLessThanOrEqual(burstLimit + Math.ceil(elapsedSeconds * rateLimit) + 1);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]!.body).toEqual({ message: 'Too Many Requests' });
  });
});
