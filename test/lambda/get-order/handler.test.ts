import '../lambda-env';
import { orderResponse, readGetOrderRequest } from '../../../lambda/get-order/core';
import { createHandler, handler } from '../../../lambda/get-order/handler';
import { apiGatewayEvent, lambdaContext } from '../events';
import { signOrder } from '../../../lambda/shared/receipt';
import { createHandler as createOrderHandler } from '../../../lambda/create-order/handler';
import { createFakeRuntime, FAKE_RECEIPT_KEY } from '../fakes';

const get = (orderId: string, drill?: string) =>
  apiGatewayEvent({
    httpMethod: 'GET',
    resource: '/orders/{orderId}',
    path: `/orders/${orderId}`,
    pathParameters: { orderId },
    queryStringParameters: drill ? { drill } : null,
  });

describe('get-order core', () => {
  test.each([
    ['o-1', undefined, { ok: true, orderId: 'o-1' }],
    ['o-1', 'error', { ok: true, orderId: 'o-1', drill: 'error' }],
    ['o-1', 'boom', { ok: false, reason: 'drill must be one of error, error-once, timeout (given "boom")' }],
    [
      'o 1',
      undefined,
      { ok: false, reason: 'orderId must be 1-128 characters of letters, digits, ".", "_", ":" or "-"' },
    ],
  ])('reads order id %p with drill %p', (orderId, drill, expected) => {
    expect(readGetOrderRequest(orderId, drill)).toEqual(expected);
  });

  test('answers a missing order with 404 naming it', () => {
    expect(orderResponse('o-9', undefined, FAKE_RECEIPT_KEY)).toEqual({
      statusCode: 404,
      body: { message: 'order o-9 not found' },
    });
  });
});

describe('get-order handler', () => {
  test('is wired as the bundle entry point', () => {
    expect(typeof handler).toBe('function');
  });

  test('returns a recorded order with 200, its signature and that it verifies', async () => {
    const fake = createFakeRuntime();
    const signature = signOrder({ orderId: 'o-1', item: 'pen', quantity: 2 }, FAKE_RECEIPT_KEY);
    fake.orders.set('o-1', { orderId: 'o-1', item: 'pen', quantity: 2, source: 'api', signature });
    const response = await createHandler(fake.runtime)(get('o-1'), lambdaContext());
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      orderId: 'o-1',
      item: 'pen',
      quantity: 2,
      source: 'api',
      signature,
      signatureValid: true,
    });
  });

  test('says an order written without a signature does not verify', async () => {
    const fake = createFakeRuntime();
    fake.orders.set('o-1', { orderId: 'o-1', item: 'pen', quantity: 2, source: 'api' });
    const response = await createHandler(fake.runtime)(get('o-1'), lambdaContext());
    expect(JSON.parse(response.body)).toMatchObject({ signatureValid: false });
  });

  test('after a key change, verifies orders signed with the new key and not those signed with the old one', async () => {
    // GIVEN an order recorded with the first key
    const fake = createFakeRuntime();
    const post = (orderId: string) =>
      apiGatewayEvent({
        httpMethod: 'POST',
        resource: '/orders',
        path: '/orders',
        body: JSON.stringify({ orderId, item: 'pen', quantity: 1 }),
      });
    await createOrderHandler(fake.runtime)(post('o-old'), lambdaContext());
    // WHEN the key changes and another order is recorded
    fake.rotateReceiptKey('a-brand-new-key');
    await createOrderHandler(fake.runtime)(post('o-new'), lambdaContext());
    // THEN only the new order verifies with the current key
    const read = async (orderId: string): Promise<unknown> =>
      JSON.parse((await createHandler(fake.runtime)(get(orderId), lambdaContext())).body);
    await expect(read('o-new')).resolves.toMatchObject({ signatureValid: true });
    await expect(read('o-old')).resolves.toMatchObject({ signatureValid: false });
  });

  test('never puts the receipt key in the response', async () => {
    const fake = createFakeRuntime();
    fake.orders.set('o-1', { orderId: 'o-1', item: 'pen', quantity: 2, source: 'api' });
    const response = await createHandler(fake.runtime)(get('o-1'), lambdaContext());
    expect(response.body).not.toContain(FAKE_RECEIPT_KEY);
  });

  test('answers an unknown order with 404', async () => {
    const response = await createHandler(createFakeRuntime().runtime)(get('nope'), lambdaContext());
    expect(response.statusCode).toBe(404);
  });

  test('answers an unknown drill with 400', async () => {
    const response = await createHandler(createFakeRuntime().runtime)(get('o-1', 'boom'), lambdaContext());
    expect(response.statusCode).toBe(400);
  });

  test('fails on drill "error" and, for "error-once", only on the first request', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    await expect(handle(get('o-1', 'error'), lambdaContext())).rejects.toThrow('drill "error"');
    await expect(handle(get('o-2', 'error-once'), lambdaContext())).rejects.toThrow('attempt 1 fails');
    await expect(handle(get('o-2', 'error-once'), lambdaContext())).resolves.toMatchObject({ statusCode: 404 });
  });

  test('keeps running past the deadline on drill "timeout"', async () => {
    const started = Date.now();
    await expect(
      createHandler(createFakeRuntime().runtime)(get('o-1', 'timeout'), lambdaContext({ remainingTimeMs: 20 })),
    ).rejects.toThrow('drill "timeout"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
  });
});
