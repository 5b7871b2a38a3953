import type { DrillOrder, DrillSource } from './orders';

/** An order found on a failure path (DLQ, destination, on-failure queue, or an error to the API client). */
export interface FailedOrder {
  readonly orderId: string;
  /** Why, as the failure path says it (condition, error message, receive count…). */
  readonly reason: string;
  /**
   * True when the failure path names a range of records (a stream's on-failure record gives the first
   * and last sequence number of the batch given up), not this order: records of the range that the
   * function had already handled are in it too, as on AWS, so it is no double effect.
   */
  readonly inRange?: boolean;
}

/** What the drill observed of one source. */
export interface Observed {
  /** `recordedAt` (ISO) by order id, from the orders table. */
  readonly recorded: ReadonlyMap<string, string>;
  /** Orders on the failure path, by order id (an order may show up there more than once). */
  readonly failed: ReadonlyMap<string, readonly FailedOrder[]>;
}

/** The figures of one source. */
export interface SourceFigures {
  readonly source: DrillSource;
  readonly sent: number;
  readonly recorded: number;
  /**
   * Orders with two effects: recorded and also named on the failure path, or on the failure path twice.
   * Recording itself cannot happen twice (the orders table write is conditional on the order id being
   * new), so this is the double effect the tables can show.
   */
  readonly doubleEffects: number;
  /** Neither recorded nor on the failure path. */
  readonly lost: number;
  /** Orders without drill `error` that ended on the failure path instead of being recorded. */
  readonly goodFailed: number;
  readonly poison: number;
  /** Poison orders found on the failure path. */
  readonly poisonFound: number;
  /** The most common failure reason of the poison found. */
  readonly poisonReason?: string;
  /** Ordering keys checked and those whose orders were recorded out of order; undefined when nothing is promised. */
  readonly order?: { readonly keys: number; readonly broken: number };
  readonly wallMs: number;
  readonly rssBeforeMb?: number;
  readonly rssAfterMb?: number;
  /**
   * Invocations of the source's function that hit its timeout (or crashed) during the run: on a starved
   * machine a batch can time out after recording part of its orders, which then go to the failure path
   * although recorded, as they would on AWS.
   */
  readonly functionTimeouts?: number;
}

/**
 * Computes a source's figures from what was sent and what the tables and failure paths hold.
 * Order: for sources that promise it (`ordered`), orders without a drill of each key must have been
 * recorded in send order (`recordedAt` never going back). Orders with a drill are left out: a
 * failing record is retried after the records behind it were handled, as Lambda does.
 */
export function figuresOf(
  source: DrillSource,
  orders: readonly DrillOrder[],
  observed: Observed,
  extra: {
    readonly ordered: boolean;
    readonly wallMs: number;
    readonly rssBeforeMb?: number;
    readonly rssAfterMb?: number;
    readonly functionTimeouts?: number;
  },
): SourceFigures {
  let recorded = 0;
  let doubleEffects = 0;
  let lost = 0;
  let goodFailed = 0;
  let poison = 0;
  let poisonFound = 0;
  const reasons = new Map<string, number>();
  for (const order of orders) {
    const isRecorded = observed.recorded.has(order.orderId);
    const all = observed.failed.get(order.orderId) ?? [];
    // A recorded order inside a given-up range was handled before the batch failed (see FailedOrder.inRange).
    const failures = isRecorded ? all.filter((f) => !f.inRange) : all;
    if (isRecorded) recorded++;
    if ((isRecorded && failures.length > 0) || failures.length > 1) doubleEffects++;
    if (!isRecorded && failures.length === 0) lost++;
    if (order.drill === 'error') {
      poison++;
      if (failures.length > 0) {
        poisonFound++;
        const reason = failures[0]!.reason;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    } else if (!isRecorded && failures.length > 0) {
      goodFailed++;
    }
  }
  const poisonReason = [...reasons].sort((a, b) => b[1] - a[1])[0]?.[0];
  return {
    source,
    sent: orders.length,
    recorded,
    doubleEffects,
    lost,
    goodFailed,
    poison,
    poisonFound,
    ...(poisonReason ? { poisonReason } : {}),
    ...(extra.ordered ? { order: orderCheck(orders, observed.recorded) } : {}),
    wallMs: extra.wallMs,
    rssBeforeMb: extra.rssBeforeMb,
    rssAfterMb: extra.rssAfterMb,
    functionTimeouts: extra.functionTimeouts,
  };
}

/** Keys whose drill-free orders were recorded in send order, and those that were not. */
export function orderCheck(
  orders: readonly DrillOrder[],
  recorded: ReadonlyMap<string, string>,
): { readonly keys: number; readonly broken: number } {
  const last = new Map<string, string>();
  const broken = new Set<string>();
  for (const order of [...orders].sort((a, b) => a.index - b.index)) {
    if (order.drill) continue;
    const at = recorded.get(order.orderId);
    if (at === undefined) continue;
    const before = last.get(order.key);
    if (before !== undefined && at < before) broken.add(order.key);
    last.set(order.key, at);
  }
  return { keys: last.size, broken: broken.size };
}

/** The figures as a Markdown table. */
export function formatTable(rows: readonly SourceFigures[]): string {
  const header =
    '| source | sent | recorded | double effects | lost | good orders on failure path | poison found | failure reason | order kept | function timeouts | wall s | events/s | engine RSS MB before → after |';
  const rule = `|${header
    .split('|')
    .slice(1, -1)
    .map(() => '---')
    .join('|')}|`;
  const lines = rows.map((r) => {
    const rate = r.wallMs > 0 ? Math.round((r.sent * 1000) / r.wallMs) : 0;
    const order = r.order ? `${r.order.keys - r.order.broken}/${r.order.keys} keys` : 'not promised';
    const rss = r.rssBeforeMb === undefined ? 'n/a' : `${r.rssBeforeMb} → ${r.rssAfterMb ?? '?'}`;
    return `| ${r.source} | ${r.sent} | ${r.recorded} | ${r.doubleEffects} | ${r.lost} | ${r.goodFailed} | ${r.poisonFound}/${r.poison} | ${r.poisonReason ?? '-'} | ${order} | ${r.functionTimeouts ?? 'n/a'} | ${(r.wallMs / 1000).toFixed(1)} | ${rate} | ${rss} |`;
  });
  return [header, rule, ...lines].join('\n');
}
