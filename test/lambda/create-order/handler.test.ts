import '../lambda-env';
import { badRequestResponse, orderRecordedResponse, readOrderRequest } from '../../../lambda/create-order/core';
import { createHandler, handler } from '../../../lambda/create-order/handler';
import { DrillError } from '../../../lambda/shared/drills';
import { signOrder } from '../../../lambda/shared/receipt';
import { apiGatewayEvent, lambdaContext } from '../events';
import { createFakeRuntime, FAKE_RECEIPT_KEY } from '../fakes';

const post = (body: unknown, requestId = 'req-1') =>
  apiGatewayEvent({
    httpMethod: 'POST',
    resource: '/orders',
    path: '/orders',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    requestId,
  });

describe('create-order core', () => {
  test('gives an order without an id the request id', () => {
    expect(readOrderRequest('{"item":"pen","quantity":1}', 'r-9', { maxQuantity: 5 })).toEqual({
      ok: true,
      order: { orderId: 'api-r-9', item: 'pen', quantity: 1 },
    });
  });

  test.each([
    ['recorded', 201],
    ['duplicate', 200],
  ] as const)('answers a %s order with %i', (status, statusCode) => {
    expect(orderRecordedResponse({ orderId: 'o', source: 'api', status })).toEqual({
      statusCode,
      body: { orderId: 'o', source: 'api', status },
    });
  });

  test('answers a rejection with 400 and the reason', () => {
    expect(badRequestResponse('invalid order: x')).toEqual({ statusCode: 400, body: { message: 'invalid order: x' } });
  });
});

describe('create-order handler', () => {
  test('is wired as the bundle entry point', () => {
    expect(typeof handler).toBe('function');
  });

  test('records a valid order and answers 201 with JSON', async () => {
    const fake = createFakeRuntime();
    const response = await createHandler(fake.runtime)(
      post({ orderId: 'o-1', item: 'pen', quantity: 2 }),
      lambdaContext(),
    );
    expect(response).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'o-1', source: 'api', status: 'recorded' }),
    });
    expect(fake.orders.get('o-1')).toEqual({
      orderId: 'o-1',
      item: 'pen',
      quantity: 2,
      source: 'api',
      signature: signOrder({ orderId: 'o-1', item: 'pen', quantity: 2 }, FAKE_RECEIPT_KEY),
    });
  });

  test('answers a repeated POST of the same order id with 200 and records it once', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    await handle(post({ orderId: 'o-1', item: 'pen', quantity: 2 }, 'req-1'), lambdaContext());
    const second = await handle(post({ orderId: 'o-1', item: 'pen', quantity: 2 }, 'req-2'), lambdaContext());
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(second.body)).toEqual({ orderId: 'o-1', source: 'api', status: 'duplicate' });
    expect(fake.saveCalls()).toBe(1);
  });

  test.each([
    ['a body that is not JSON', 'not json', 'invalid order: the payload is not valid JSON'],
    ['a missing quantity', { item: 'pen' }, 'invalid order: quantity: is required'],
    [
      'a quantity above the Parameter Store maximum',
      { item: 'pen', quantity: 6 },
      'invalid order: quantity: 6 exceeds the maximum of 5',
    ],
  ])('answers %s with 400 and the reason, recording nothing', async (_name, body, message) => {
    const fake = createFakeRuntime({ maxQuantity: 5 });
    const response = await createHandler(fake.runtime)(post(body), lambdaContext());
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message });
    expect(fake.orders.size).toBe(0);
  });

  test('fails every attempt of drill "error", so API Gateway answers 502', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    const event = post({ orderId: 'o-e', item: 'pen', quantity: 1, drill: 'error' });
    await expect(handle(event, lambdaContext())).rejects.toThrow(DrillError);
    await expect(handle(event, lambdaContext())).rejects.toThrow(DrillError);
    expect(fake.orders.size).toBe(0);
  });

  test('fails the first attempt of drill "error-once" and records the order when the client retries', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    const event = post({ orderId: 'o-once', item: 'pen', quantity: 1, drill: 'error-once' });
    await expect(handle(event, lambdaContext())).rejects.toThrow('attempt 1 fails');
    await expect(handle(event, lambdaContext())).resolves.toMatchObject({ statusCode: 201 });
    expect(fake.attempts.get('api#o-once')).toBe(2);
  });

  test('keeps running past the deadline on drill "timeout" and records nothing', async () => {
    const fake = createFakeRuntime();
    const started = Date.now();
    await expect(
      createHandler(fake.runtime)(
        post({ orderId: 'o-t', item: 'pen', quantity: 1, drill: 'timeout' }),
        lambdaContext({ remainingTimeMs: 30 }),
      ),
    ).rejects.toThrow('drill "timeout"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(fake.orders.size).toBe(0);
  });
});
