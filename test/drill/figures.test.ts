import { figuresOf, orderCheck } from '../../bench/drill/figures';
import { makeOrders, type DrillOrder } from '../../bench/drill/orders';

const order = (index: number, key: string, drill?: DrillOrder['drill']): DrillOrder => ({
  orderId: `o-${index}`,
  item: 'w',
  quantity: 1,
  key,
  index,
  ...(drill ? { drill } : {}),
});

const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

describe('drill figures', () => {
  it('counts an order neither recorded nor on a failure path as lost', () => {
    // GIVEN two orders, one recorded
    const orders = [order(0, 'a'), order(1, 'a')];
    // WHEN the figures are computed
    const f = figuresOf(
      'sqs',
      orders,
      { recorded: new Map([['o-0', at(1)]]), failed: new Map() },
      {
        ordered: false,
        wallMs: 1000,
      },
    );
    // THEN one is lost
    expect([f.recorded, f.lost]).toEqual([1, 1]);
  });

  it('counts an order recorded and also named on a failure path as a double effect', () => {
    // GIVEN an order recorded and in a DLQ
    const orders = [order(0, 'a')];
    const failed = new Map([['o-0', [{ orderId: 'o-0', reason: 'DLQ' }]]]);
    // WHEN the figures are computed
    const f = figuresOf('sqs', orders, { recorded: new Map([['o-0', at(1)]]), failed }, { ordered: false, wallMs: 1 });
    // THEN it is a double effect
    expect(f.doubleEffects).toBe(1);
  });

  it('does not count a recorded order inside a given-up stream range as a double effect', () => {
    // GIVEN an order recorded before its batch was given up
    const orders = [order(0, 'a')];
    const failed = new Map([['o-0', [{ orderId: 'o-0', reason: 'RetryAttemptsExhausted', inRange: true }]]]);
    // WHEN the figures are computed
    const f = figuresOf(
      'kinesis',
      orders,
      { recorded: new Map([['o-0', at(1)]]), failed },
      {
        ordered: true,
        wallMs: 1,
      },
    );
    // THEN there is no double effect
    expect(f.doubleEffects).toBe(0);
  });

  it('finds poison on the failure path with its reason', () => {
    // GIVEN a poison order in the DLQ
    const orders = [order(0, 'a', 'error')];
    const failed = new Map([['o-0', [{ orderId: 'o-0', reason: 'RetriesExhausted' }]]]);
    // WHEN the figures are computed
    const f = figuresOf('s3', orders, { recorded: new Map(), failed }, { ordered: false, wallMs: 1 });
    // THEN it is found, with the reason
    expect([f.poison, f.poisonFound, f.poisonReason]).toEqual([1, 1, 'RetriesExhausted']);
  });

  it.each([
    ['in order', [at(1), at(2), at(3)], 0],
    ['out of order', [at(1), at(3), at(2)], 1],
  ])('checks the recorded order per key: %s', (_name, times, broken) => {
    // GIVEN three orders of one key recorded at the given times
    const orders = [order(0, 'a'), order(1, 'a'), order(2, 'a')];
    const recorded = new Map(times.map((t, i) => [`o-${i}`, t]));
    // WHEN the order is checked
    // THEN the key is broken or not
    expect(orderCheck(orders, recorded)).toEqual({ keys: 1, broken });
  });

  it('leaves orders with a drill out of the order check (a retried record comes after the ones behind it)', () => {
    // GIVEN an error-once order recorded after the order behind it
    const orders = [order(0, 'a', 'error-once'), order(1, 'a')];
    const recorded = new Map([
      ['o-0', at(5)],
      ['o-1', at(1)],
    ]);
    // WHEN the order is checked
    // THEN nothing is broken
    expect(orderCheck(orders, recorded).broken).toBe(0);
  });

  it('makes the same orders for the same run, with about the asked fractions of drills', () => {
    // GIVEN 10,000 orders with 10 % error-once and 1 % poison
    const orders = makeOrders('run', 'sqs', 10_000, 0.1, 0.01);
    // WHEN they are counted and made again
    const poison = orders.filter((o) => o.drill === 'error').length;
    const transient = orders.filter((o) => o.drill === 'error-once').length;
    // THEN the fractions are close and the orders repeat exactly
    expect(poison).toBeGreaterThan(50);
    expect(poison).toBeLessThan(150);
    expect(transient).toBeGreaterThan(800);
    expect(transient).toBeLessThan(1200);
    expect(makeOrders('run', 'sqs', 10_000, 0.1, 0.01)).toEqual(orders);
  });
});
