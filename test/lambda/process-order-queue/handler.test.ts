import '../lambda-env';
import { isFifoQueueArn, readMessage } from '../../../lambda/process-order-queue/core';
import { createHandler, handler } from '../../../lambda/process-order-queue/handler';
import { ACCOUNT, REGION, lambdaContext, sqsEvent } from '../events';
import { createFakeRuntime } from '../fakes';

const order = (fields: Record<string, unknown>) => JSON.stringify({ item: 'pen', quantity: 1, ...fields });
const fifoArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders.fifo`;

describe('process-order-queue core', () => {
  test('gives an order without an id the message id', () => {
    expect(readMessage(order({}), 'm-1', { maxQuantity: 10 })).toEqual({
      ok: true,
      order: { orderId: 'queue-m-1', item: 'pen', quantity: 1 },
    });
  });

  test.each([
    [fifoArn, true],
    [`arn:aws:sqs:${REGION}:${ACCOUNT}:orders`, false],
    [undefined, false],
  ])('tells whether %p is a FIFO queue', (arn, expected) => {
    expect(isFifoQueueArn(arn)).toBe(expected);
  });
});

describe('process-order-queue handler', () => {
  test('is wired as the bundle entry point', () => {
    expect(typeof handler).toBe('function');
  });

  test('reports only the failed messages of a standard queue batch; the others are recorded', async () => {
    const fake = createFakeRuntime();
    const response = await createHandler(fake.runtime)(
      sqsEvent([
        { messageId: 'm-1', body: order({}) },
        { messageId: 'm-2', body: order({ drill: 'error' }) },
        { messageId: 'm-3', body: 'not json' },
        { messageId: 'm-4', body: order({ orderId: 'o-4' }) },
      ]),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }] });
    expect([...fake.orders.keys()]).toEqual(['queue-m-1', 'o-4']);
  });

  test('records a redelivered message once', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    await handle(sqsEvent([{ messageId: 'm-1', body: order({}) }]), lambdaContext());
    await expect(
      handle(sqsEvent([{ messageId: 'm-1', body: order({}), receiveCount: 2 }]), lambdaContext()),
    ).resolves.toEqual({ batchItemFailures: [] });
    expect(fake.saveCalls()).toBe(1);
  });

  test('succeeds on the second receive of a message with drill "error-once"', async () => {
    const fake = createFakeRuntime();
    const handle = createHandler(fake.runtime);
    const batch = (receiveCount: number) =>
      sqsEvent([
        { messageId: 'm-0', body: order({}) },
        { messageId: 'm-1', body: order({ drill: 'error-once' }), receiveCount },
      ]);
    await expect(handle(batch(1), lambdaContext())).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-1' }],
    });
    await expect(handle(batch(2), lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
    expect([...fake.orders.keys()]).toEqual(['queue-m-0', 'queue-m-1']);
  });

  test('on a FIFO queue, holds back the rest of a failed message group while other groups go on', async () => {
    const fake = createFakeRuntime();
    const response = await createHandler(fake.runtime)(
      sqsEvent(
        [
          { messageId: 'a-1', body: order({ orderId: 'a-1' }), messageGroupId: 'a' },
          { messageId: 'a-2', body: order({ orderId: 'a-2', drill: 'error' }), messageGroupId: 'a' },
          { messageId: 'b-1', body: order({ orderId: 'b-1' }), messageGroupId: 'b' },
          { messageId: 'a-3', body: order({ orderId: 'a-3' }), messageGroupId: 'a' },
          { messageId: 'b-2', body: order({ orderId: 'b-2' }), messageGroupId: 'b' },
        ],
        { queueArn: fifoArn },
      ),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'a-2' }, { itemIdentifier: 'a-3' }] });
    expect([...fake.orders.values()].map((o) => [o.orderId, o.source])).toEqual([
      ['a-1', 'fifo-queue'],
      ['b-1', 'fifo-queue'],
      ['b-2', 'fifo-queue'],
    ]);
  });

  test('keeps running past the deadline on drill "timeout"', async () => {
    const fake = createFakeRuntime();
    const started = Date.now();
    await createHandler(fake.runtime)(
      sqsEvent([{ messageId: 'm-t', body: order({ drill: 'timeout' }) }]),
      lambdaContext({ remainingTimeMs: 20 }),
    ).catch(() => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
    expect(fake.orders.size).toBe(0);
  });
});
