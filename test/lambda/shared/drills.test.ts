import { signOrder } from '../../../lambda/shared/receipt';
import { DrillError, needsAttemptCount, planDrill } from '../../../lambda/shared/drills';
import type { Drill } from '../../../lambda/shared/order';
import {
  attemptKey,
  recordOrder,
  runDrill,
  type RecordingPorts,
  type StoredOrder,
} from '../../../lambda/shared/record-order';

describe('planDrill', () => {
  test.each<[Drill | undefined, number, string]>([
    [undefined, 1, 'proceed'],
    ['error', 1, 'fail'],
    ['error', 5, 'fail'],
    ['error-once', 1, 'fail'],
    ['error-once', 2, 'proceed'],
    ['error-once', 3, 'proceed'],
    ['timeout', 1, 'hang'],
    ['timeout', 2, 'hang'],
  ])('drill %s on attempt %i: %s', (drill, attempt, kind) => {
    expect(planDrill(drill, attempt).kind).toBe(kind);
  });

  test('only error-once needs the attempt counter', () => {
    expect([undefined, 'error', 'error-once', 'timeout'].filter((d) => needsAttemptCount(d as Drill))).toEqual([
      'error-once',
    ]);
  });
});

/** Ports over maps, with a hang that resolves nothing but is observable. */
function memoryPorts(): RecordingPorts & { saved: StoredOrder[]; counters: Map<string, number>; hangs: number } {
  const state = { saved: [] as StoredOrder[], counters: new Map<string, number>(), hangs: 0 };
  return {
    ...state,
    get hangs() {
      return state.hangs;
    },
    async countAttempt(key) {
      const next = (state.counters.get(key) ?? 0) + 1;
      state.counters.set(key, next);
      return next;
    },
    async saveOrder(order) {
      state.saved.push(order);
      return 'recorded';
    },
    async hang() {
      state.hangs += 1;
      throw new DrillError('hung');
    },
    async receiptKey() {
      return 'key';
    },
  };
}

describe('recordOrder', () => {
  test('stores an order without a drill with its source', async () => {
    const ports = memoryPorts();
    await expect(recordOrder({ orderId: 'o-1', item: 'pen', quantity: 1 }, 'queue', ports)).resolves.toEqual({
      orderId: 'o-1',
      source: 'queue',
      status: 'recorded',
    });
    expect(ports.saved).toEqual([
      {
        orderId: 'o-1',
        item: 'pen',
        quantity: 1,
        source: 'queue',
        signature: signOrder({ orderId: 'o-1', item: 'pen', quantity: 1 }, 'key'),
      },
    ]);
  });

  test('error-once fails the first attempt and stores on the second, counting per source and order', async () => {
    const ports = memoryPorts();
    const order = { orderId: 'o-2', item: 'pen', quantity: 1, drill: 'error-once' as const };
    await expect(recordOrder(order, 'stream', ports)).rejects.toThrow(DrillError);
    expect(ports.saved).toHaveLength(0);
    await expect(recordOrder(order, 'stream', ports)).resolves.toMatchObject({ status: 'recorded' });
    expect(ports.counters.get(attemptKey('stream', 'o-2'))).toBe(2);
  });

  test('timeout hands control to the hang port and stores nothing', async () => {
    const ports = memoryPorts();
    await expect(
      recordOrder({ orderId: 'o-3', item: 'pen', quantity: 1, drill: 'timeout' }, 'api', ports),
    ).rejects.toThrow('hung');
    expect(ports.hangs).toBe(1);
    expect(ports.saved).toHaveLength(0);
  });

  test('runDrill without a drill neither counts nor fails', async () => {
    const ports = memoryPorts();
    await runDrill(undefined, 'get#o-4', ports);
    expect(ports.counters.size).toBe(0);
  });
});
