import '../lambda-env';
import { planChange } from '../../../lambda/process-order-changes/core';
import { createHandler, handler } from '../../../lambda/process-order-changes/handler';
import { dynamoDbStreamEvent, lambdaContext } from '../events';
import { createFakeRuntime } from '../fakes';

const limits = { maxQuantity: 10 };

describe('process-order-changes core', () => {
  test.each([
    [
      'an insert',
      { eventName: 'INSERT' as const, newImage: { orderId: 'o-1', item: 'pen', quantity: 1 }, sequenceNumber: '1' },
      { kind: 'order', validation: { ok: true, order: { orderId: 'o-1', item: 'pen', quantity: 1 } } },
    ],
    [
      'a removal',
      { eventName: 'REMOVE' as const, newImage: undefined, sequenceNumber: '2' },
      { kind: 'skip', reason: 'item removed' },
    ],
    [
      'a change without a new image',
      { eventName: 'MODIFY' as const, newImage: undefined, sequenceNumber: '3' },
      { kind: 'order', validation: { ok: false, reason: 'invalid order: the stream record has no NewImage' } },
    ],
  ])('plans %s', (_name, change, expected) => {
    expect(planChange(change, limits)).toEqual(expected);
  });
});

describe('process-order-changes handler', () => {
  test('is wired as the bundle entry point', () => {
    expect(typeof handler).toBe('function');
  });

  test('records inserted orders, skips removals and reports only the failing records', async () => {
    const fake = createFakeRuntime();
    const response = await createHandler(fake.runtime)(
      dynamoDbStreamEvent([
        {
          eventName: 'INSERT',
          keys: { orderId: 'o-1' },
          newImage: { orderId: 'o-1', item: 'pen', quantity: 2 },
          sequenceNumber: '100',
        },
        {
          eventName: 'INSERT',
          keys: { orderId: 'o-2' },
          newImage: { orderId: 'o-2', item: 'pen', quantity: '2' },
          sequenceNumber: '200',
        },
        {
          eventName: 'INSERT',
          keys: { orderId: 'o-3' },
          newImage: { orderId: 'o-3', item: 'pen', quantity: 1, drill: 'error' },
          sequenceNumber: '300',
        },
        {
          eventName: 'REMOVE',
          keys: { orderId: 'o-0' },
          oldImage: { orderId: 'o-0', item: 'pen', quantity: 1 },
          sequenceNumber: '400',
        },
      ]),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }, { itemIdentifier: '300' }] });
    expect(fake.orders.get('o-1')).toMatchObject({ orderId: 'o-1', item: 'pen', quantity: 2, source: 'table-stream' });
    expect(fake.orders.size).toBe(1);
  });

  test('treats a modification of a recorded order as a duplicate', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    const image = { orderId: 'o-1', item: 'pen', quantity: 1 };
    await handle(
      dynamoDbStreamEvent([{ eventName: 'INSERT', keys: { orderId: 'o-1' }, newImage: image, sequenceNumber: '1' }]),
      lambdaContext(),
    );
    const response = await handle(
      dynamoDbStreamEvent([
        { eventName: 'MODIFY', keys: { orderId: 'o-1' }, newImage: image, oldImage: image, sequenceNumber: '2' },
      ]),
      lambdaContext(),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(fake.saveCalls()).toBe(1);
  });

  test('succeeds on the retry of a record with drill "error-once"', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    const batch = dynamoDbStreamEvent([
      {
        eventName: 'INSERT',
        keys: { orderId: 'o-0' },
        newImage: { orderId: 'o-0', item: 'pen', quantity: 1 },
        sequenceNumber: '1',
      },
      {
        eventName: 'INSERT',
        keys: { orderId: 'o-1' },
        newImage: { orderId: 'o-1', item: 'pen', quantity: 1, drill: 'error-once' },
        sequenceNumber: '2',
      },
    ]);
    await expect(handle(batch, lambdaContext())).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    await expect(handle(batch, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
    expect([...fake.orders.keys()]).toEqual(['o-0', 'o-1']);
  });

  test('keeps running past the deadline on drill "timeout"', async () => {
    const started = Date.now();
    await createHandler(createFakeRuntime().runtime)(
      dynamoDbStreamEvent([
        {
          eventName: 'INSERT',
          keys: { orderId: 'o-t' },
          newImage: { orderId: 'o-t', item: 'pen', quantity: 1, drill: 'timeout' },
          sequenceNumber: '1',
        },
      ]),
      lambdaContext({ remainingTimeMs: 20 }),
    ).catch(() => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
  });
});
