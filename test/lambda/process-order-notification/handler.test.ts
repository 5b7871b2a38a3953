import '../lambda-env';
import { readNotification } from '../../../lambda/process-order-notification/core';
import { createHandler, handler } from '../../../lambda/process-order-notification/handler';
import { lambdaContext, snsEvent } from '../events';
import { createFakeRuntime } from '../fakes';

describe('process-order-notification core', () => {
  test('gives an order without an id the SNS message id', () => {
    expect(readNotification('{"item":"pen","quantity":1}', 'm-1', { maxQuantity: 10 })).toEqual({
      ok: true,
      order: { orderId: 'sns-m-1', item: 'pen', quantity: 1 },
    });
  });
});

describe('process-order-notification handler', () => {
  test('is wired as the bundle entry point', () => {
    expect(typeof handler).toBe('function');
  });

  test('records the order of a message and returns the summary for the invocation record', async () => {
    const fake = createFakeRuntime();
    const summary = await createHandler(fake.runtime)(
      snsEvent({ message: '{"item":"pen","quantity":3}', messageId: 'm-1' }),
      lambdaContext(),
    );
    expect(summary).toEqual({
      recorded: [{ orderId: 'sns-m-1', source: 'notification', status: 'recorded' }],
      failures: [],
    });
    expect(fake.orders.get('sns-m-1')).toMatchObject({ quantity: 3 });
  });

  test('records a message delivered twice once', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    const event = snsEvent({ message: '{"orderId":"o-1","item":"pen","quantity":1}' });
    await handle(event, lambdaContext());
    await expect(handle(event, lambdaContext())).resolves.toMatchObject({
      recorded: [{ orderId: 'o-1', status: 'duplicate' }],
    });
    expect(fake.saveCalls()).toBe(1);
  });

  test('fails an invalid message with the reason, so it ends in the dead-letter queue', async () => {
    const fake = createFakeRuntime();
    await expect(
      createHandler(fake.runtime)(snsEvent({ message: '{"item":"pen"}', messageId: 'm-2' }), lambdaContext()),
    ).rejects.toThrow('1 of 1 orders in SNS message m-2 failed: #0: invalid order: quantity: is required');
  });

  test('fails drill "error" on every attempt and "error-once" only on the first', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    const always = snsEvent({ message: '{"item":"pen","quantity":1,"drill":"error"}', messageId: 'm-e' });
    await expect(handle(always, lambdaContext())).rejects.toThrow('drill "error"');
    await expect(handle(always, lambdaContext())).rejects.toThrow('drill "error"');
    const once = snsEvent({ message: '{"item":"pen","quantity":1,"drill":"error-once"}', messageId: 'm-o' });
    await expect(handle(once, lambdaContext())).rejects.toThrow('drill "error-once"');
    await expect(handle(once, lambdaContext())).resolves.toMatchObject({ failures: [] });
    expect([...fake.orders.keys()]).toEqual(['sns-m-o']);
  });

  test('keeps running past the deadline on drill "timeout"', async () => {
    const started = Date.now();
    await expect(
      createHandler(createFakeRuntime().runtime)(
        snsEvent({ message: '{"item":"pen","quantity":1,"drill":"timeout"}' }),
        lambdaContext({ remainingTimeMs: 20 }),
      ),
    ).rejects.toThrow('drill "timeout"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
  });
});
