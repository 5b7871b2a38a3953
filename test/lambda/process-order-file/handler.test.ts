import '../lambda-env';
import { decodeObjectKey, fileId, readOrdersFromFile } from '../../../lambda/process-order-file/core';
import { createHandler, handler, type ObjectReader } from '../../../lambda/process-order-file/handler';
import { lambdaContext, s3ObjectCreatedEvent } from '../events';
import { createFakeRuntime } from '../fakes';

const limits = { maxQuantity: 100 };

describe('process-order-file core', () => {
  test.each([
    ['orders/a.json', 'orders/a.json'],
    ['orders/red+flower.json', 'orders/red flower.json'],
    ['orders/caf%C3%A9.json', 'orders/café.json'],
  ])('decodes the event key %p as %p', (key, expected) => {
    expect(decodeObjectKey(key)).toBe(expected);
  });

  test('derives the file id from the key and the sequencer, else the ETag', () => {
    expect(fileId('orders/a b.json', '00AB', 'etag')).toBe('file-orders_a_b.json-00AB');
    expect(fileId('orders/a.json', undefined, 'etag')).toBe('file-orders_a.json-etag');
  });

  test.each([
    ['one order', '{"item":"pen","quantity":1}', [{ ok: true, order: { orderId: 'f-0', item: 'pen', quantity: 1 } }]],
    [
      'an array of orders',
      '[{"item":"pen","quantity":1},{"orderId":"mine","item":"ink","quantity":2}]',
      [
        { ok: true, order: { orderId: 'f-0', item: 'pen', quantity: 1 } },
        { ok: true, order: { orderId: 'mine', item: 'ink', quantity: 2 } },
      ],
    ],
    ['an empty array', '[]', [{ ok: false, reason: 'invalid order: the file holds an empty array' }]],
    ['text that is not JSON', 'pen,1', [{ ok: false, reason: 'invalid order: the payload is not valid JSON' }]],
  ])('reads a file holding %s', (_name, text, expected) => {
    expect(readOrdersFromFile(text, 'f', limits)).toEqual(expected);
  });
});

/** An S3 stand-in holding one object per key. */
function bucketWith(objects: Record<string, string>): ObjectReader & { reads: string[] } {
  const reads: string[] = [];
  const read = async (bucket: string, key: string) => {
    reads.push(`${bucket}/${key}`);
    const body = objects[key];
    if (body === undefined) throw new Error(`NoSuchKey: ${key}`);
    return body;
  };
  return Object.assign(read, { reads });
}

describe('process-order-file handler', () => {
  test('is wired as the bundle entry point', () => {
    expect(typeof handler).toBe('function');
  });

  test('reads the object under its decoded key and records every order in it', async () => {
    const fake = createFakeRuntime();
    const bucket = bucketWith({
      'orders/two orders.json': '[{"item":"pen","quantity":1},{"item":"ink","quantity":2}]',
    });
    const summary = await createHandler(fake.runtime, bucket)(
      s3ObjectCreatedEvent({ key: 'orders/two+orders.json', sequencer: '0A' }),
      lambdaContext(),
    );
    expect(bucket.reads).toEqual(['test-bucket/orders/two orders.json']);
    expect(summary.failures).toEqual([]);
    expect([...fake.orders.keys()]).toEqual(['file-orders_two_orders.json-0A-0', 'file-orders_two_orders.json-0A-1']);
  });

  test('records a redelivered notification once', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime, bucketWith({ 'orders/a.json': '{"item":"pen","quantity":1}' }));
    const event = s3ObjectCreatedEvent({ key: 'orders/a.json' });
    await handle(event, lambdaContext());
    const again = await handle(event, lambdaContext());
    expect(again.recorded.map((r) => r.status)).toEqual(['duplicate']);
    expect(fake.saveCalls()).toBe(1);
  });

  test('records the valid orders, then fails the event naming each invalid one', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(
      fake.runtime,
      bucketWith({ 'orders/mixed.json': '[{"item":"pen","quantity":1},{"item":"ink","quantity":-1}]' }),
    );
    await expect(handle(s3ObjectCreatedEvent({ key: 'orders/mixed.json' }), lambdaContext())).rejects.toThrow(
      '1 of 2 orders in s3://test-bucket/orders/mixed.json failed: #1: invalid order: quantity: must be a positive integer',
    );
    expect(fake.orders.size).toBe(1);
  });

  test('fails every attempt of drill "error", so Lambda retries and then uses the on-failure destination', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(
      fake.runtime,
      bucketWith({ 'orders/e.json': '{"orderId":"o-e","item":"pen","quantity":1,"drill":"error"}' }),
    );
    const event = s3ObjectCreatedEvent({ key: 'orders/e.json' });
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await expect(handle(event, lambdaContext())).rejects.toThrow('drill "error"');
    }
    expect(fake.orders.size).toBe(0);
  });

  test('succeeds on Lambda\'s retry of drill "error-once" without recording the other orders twice', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(
      fake.runtime,
      bucketWith({
        'orders/once.json':
          '[{"orderId":"o-a","item":"pen","quantity":1},{"orderId":"o-b","item":"ink","quantity":1,"drill":"error-once"}]',
      }),
    );
    const event = s3ObjectCreatedEvent({ key: 'orders/once.json' });
    await expect(handle(event, lambdaContext())).rejects.toThrow('o-b: drill "error-once"');
    const retry = await handle(event, lambdaContext());
    expect(retry.recorded.map((r) => [r.orderId, r.status])).toEqual([
      ['o-a', 'duplicate'],
      ['o-b', 'recorded'],
    ]);
    expect(fake.saveCalls()).toBe(2);
  });

  test('keeps running past the deadline on drill "timeout"', async () => {
    const fake = createFakeRuntime();
    const started = Date.now();
    await expect(
      createHandler(fake.runtime, bucketWith({ 'orders/t.json': '{"item":"pen","quantity":1,"drill":"timeout"}' }))(
        s3ObjectCreatedEvent({ key: 'orders/t.json' }),
        lambdaContext({ remainingTimeMs: 20 }),
      ),
    ).rejects.toThrow('drill "timeout"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
    expect(fake.orders.size).toBe(0);
  });
});
