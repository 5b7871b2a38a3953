import '../lambda-env';
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { readStreamRecord } from '../../../lambda/process-order-stream/core';
import { createHandler, handler } from '../../../lambda/process-order-stream/handler';
import { kinesisEvent, lambdaContext } from '../events';
import { createFakeRuntime } from '../fakes';

const order = (fields: Record<string, unknown>) => JSON.stringify({ item: 'pen', quantity: 1, ...fields });

describe('process-order-stream core', () => {
  test.each([
    ['a JSON order', order({}), { ok: true, order: { orderId: 'stream-49', item: 'pen', quantity: 1 } }],
    ['data that is not JSON', 'pen', { ok: false, reason: 'invalid order: the payload is not valid JSON' }],
  ])('decodes %s from base64', (_name, text, expected) => {
    expect(readStreamRecord(Buffer.from(text).toString('base64'), '49', { maxQuantity: 10 })).toEqual(expected);
  });
});

describe('process-order-stream handler', () => {
  test('is wired as the bundle entry point', () => {
    expect(typeof handler).toBe('function');
  });

  test('records every record of a good batch and reports no failures', async () => {
    const fake = createFakeRuntime();
    const response = await createHandler(fake.runtime)(
      kinesisEvent([
        { data: order({}), sequenceNumber: '101' },
        { data: order({ orderId: 'o-2' }), sequenceNumber: '102' },
      ]),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect([...fake.orders.keys()]).toEqual(['stream-101', 'o-2']);
  });

  test('reports only the record with drill "error" or an invalid payload; the rest of the batch is recorded', async () => {
    const fake = createFakeRuntime();
    const response = await createHandler(fake.runtime)(
      kinesisEvent([
        { data: order({ orderId: 'o-1' }), sequenceNumber: '101' },
        { data: order({ orderId: 'o-2', drill: 'error' }), sequenceNumber: '102' },
        { data: '{"item":"pen","quantity":0}', sequenceNumber: '103' },
        { data: order({ orderId: 'o-4' }), sequenceNumber: '104' },
      ]),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '102' }, { itemIdentifier: '103' }] });
    expect([...fake.orders.keys()]).toEqual(['o-1', 'o-4']);
  });

  test('records the same order id twice in a stream once', async () => {
    const fake = createFakeRuntime();
    const response = await createHandler(fake.runtime)(
      kinesisEvent([
        { data: order({ orderId: 'o-1' }), sequenceNumber: '101' },
        { data: order({ orderId: 'o-1' }), sequenceNumber: '102' },
      ]),
      lambdaContext(),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(fake.saveCalls()).toBe(1);
  });

  test('fails the whole batch when every record fails, so Lambda bisects and retries it', async () => {
    const handle = createHandler(createFakeRuntime().runtime);
    await expect(
      handle(kinesisEvent([{ data: order({ drill: 'error' }), sequenceNumber: '101' }]), lambdaContext()),
    ).rejects.toThrow(FullBatchFailureError);
  });

  test('succeeds on the retry of a record with drill "error-once"', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    const batch = kinesisEvent([
      { data: order({ orderId: 'o-1' }), sequenceNumber: '101' },
      { data: order({ orderId: 'o-2', drill: 'error-once' }), sequenceNumber: '102' },
    ]);
    await expect(handle(batch, lambdaContext())).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '102' }] });
    await expect(handle(batch, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
    expect(fake.saveCalls()).toBe(2);
  });

  test('keeps running past the deadline on drill "timeout"', async () => {
    const fake = createFakeRuntime();
    const started = Date.now();
    await createHandler(fake.runtime)(
      kinesisEvent([{ data: order({ drill: 'timeout' }), sequenceNumber: '101' }]),
      lambdaContext({ remainingTimeMs: 20 }),
    ).catch(() => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
    expect(fake.orders.size).toBe(0);
  });
});
