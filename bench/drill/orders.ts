/**
 * The drill's orders: plain orders (see lambda/shared/order.ts) whose id says which run, source,
 * ordering key and position they have, and whose `drill` field makes a fraction fail once
 * (`error-once`) or always (`error`, the poison).
 */

/** Every source the drill can load. */
export const SOURCES = ['sqs', 'fifo', 'kinesis', 'dynamodb', 'api', 's3', 'sns'] as const;
export type DrillSource = (typeof SOURCES)[number];

/** Orders per source by default: the polled sources take the backlog, the others a steady stream. */
export const DEFAULT_EVENTS: Readonly<Record<DrillSource, number>> = {
  sqs: 10_000,
  fifo: 1_000,
  kinesis: 10_000,
  dynamodb: 10_000,
  api: 1_000,
  s3: 1_000,
  sns: 1_000,
};

/** Ordering keys per source: Kinesis partition keys, FIFO message groups. */
export const ORDER_KEYS = 8;

/** One order the drill sends. */
export interface DrillOrder {
  readonly orderId: string;
  readonly item: string;
  readonly quantity: number;
  readonly drill?: 'error' | 'error-once';
  /** Kinesis partition key, FIFO group, or the item key for DynamoDB. */
  readonly key: string;
  /** Position in the send order. */
  readonly index: number;
}

/** The order as its source carries it (the function's schema rejects any other field). */
export function payloadOf(order: DrillOrder): string {
  const { orderId, item, quantity, drill } = order;
  return JSON.stringify({ orderId, item, quantity, ...(drill ? { drill } : {}) });
}

/** A small deterministic generator (mulberry32), so a run can be repeated order for order. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `n` orders for a source: a fraction `poison` carries drill `error`, a fraction `transient` drill
 * `error-once`, the rest none; keys rotate over {@link ORDER_KEYS}.
 */
export function makeOrders(
  runId: string,
  source: DrillSource,
  n: number,
  transient: number,
  poison: number,
  seed = 1,
): DrillOrder[] {
  const next = random(seed + SOURCES.indexOf(source) * 7919);
  return Array.from({ length: n }, (_, index) => {
    const r = next();
    const drill = r < poison ? 'error' : r < poison + transient ? 'error-once' : undefined;
    const key = `k${index % ORDER_KEYS}`;
    return {
      orderId: `${runId}-${source}-${key}-${String(index).padStart(6, '0')}`,
      item: 'drill-widget',
      quantity: 1 + (index % 9),
      ...(drill ? { drill } : {}),
      key,
      index,
    } as DrillOrder;
  });
}
