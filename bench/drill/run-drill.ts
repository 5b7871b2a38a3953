import { randomBytes } from 'node:crypto';
import { connect, recordedOrders, type DrillClients } from './clients';
import { figuresOf, type FailedOrder, type SourceFigures } from './figures';
import { makeOrders, type DrillOrder, type DrillSource } from './orders';
import { driverFor, type SourceDriver } from './sources';

/** Settings of one drill run. */
export interface DrillOptions {
  /** The engine's endpoint. */
  readonly url: string;
  /** Sources to load, one after the other. */
  readonly sources: readonly DrillSource[];
  /** Orders per source. */
  readonly events: (source: DrillSource) => number;
  /** Fraction of orders with drill `error-once`. */
  readonly transient: number;
  /** Fraction of orders with drill `error` (poison). */
  readonly poison: number;
  /** Real ms without progress (nothing newly settled, nothing in flight) after which a source counts as settled. @default 30000 */
  readonly quietMs?: number;
  /** Real ms after which a source counts as settled whatever happens. @default 900000 */
  readonly settleTimeoutMs?: number;
  /** The engine's RSS in MB, when the drill can see its process. */
  readonly rss?: () => number | undefined;
  /** Progress lines. @default silent */
  readonly log?: (line: string) => void;
}

/** Figures of one source, plus the orders that were lost (for a closer look). */
export interface SourceResult extends SourceFigures {
  readonly lostOrderIds: readonly string[];
}

/**
 * Runs the drill: for each source, sends its orders through the deployed stack, waits until every
 * order is either recorded or on the failure path (or nothing moves for `quietMs`), and computes the
 * figures. Talks to the engine only through its endpoint, with the real SDK.
 */
export async function runDrill(options: DrillOptions): Promise<SourceResult[]> {
  const clients = await connect(options.url);
  const runId = `drill-${randomBytes(3).toString('hex')}`;
  const log = options.log ?? (() => undefined);
  const results: SourceResult[] = [];
  try {
    for (const source of options.sources) {
      const orders = makeOrders(runId, source, options.events(source), options.transient, options.poison);
      results.push(await drillSource(clients, driverFor(source, clients), orders, options, log));
    }
  } finally {
    clients.destroy();
  }
  return results;
}

/** Whether the engine's timeline has an event of the source still in flight. */
async function inFlight(url: string, source: string): Promise<boolean> {
  const res = await fetch(`${url}/_lab/events?source=${source}&status=in-flight&limit=1`);
  const body = (await res.json()) as { events?: unknown[] };
  return (body.events?.length ?? 0) > 0;
}

/** Timeouts plus crashes of a function so far, from `/_lab/functions`. */
async function timeoutsOf(url: string, functionName: string): Promise<number> {
  const res = await fetch(`${url}/_lab/functions`);
  const stats = (await res.json()) as Array<{ name: string; timeouts?: number; crashes?: number }>;
  const fn = stats.find((s) => s.name === functionName);
  return (fn?.timeouts ?? 0) + (fn?.crashes ?? 0);
}

async function drillSource(
  clients: DrillClients,
  driver: SourceDriver,
  orders: readonly DrillOrder[],
  options: DrillOptions,
  log: (line: string) => void,
): Promise<SourceResult> {
  const table = clients.output(driver.stack, 'OrdersTableName');
  const prefix = orders[0]?.orderId.replace(/-k\d+-\d+$/, '-') ?? 'none';
  const rssBeforeMb = options.rss?.();
  const functionName = clients.output(driver.stack, driver.functionOutput);
  const timeoutsBefore = await timeoutsOf(clients.url, functionName);
  const started = Date.now();
  log(`${driver.source}: sending ${orders.length} orders…`);
  await driver.send(orders);
  log(`${driver.source}: sent in ${Date.now() - started} ms; waiting for the pipeline to settle…`);
  const quietMs = options.quietMs ?? 30_000;
  let recorded = new Map<string, string>();
  let failed: ReadonlyMap<string, readonly FailedOrder[]> = new Map();
  let settledAt = Date.now();
  let lastProgress = Date.now();
  let done = 0;
  for (;;) {
    failed = await driver.failures();
    recorded = await recordedOrders(clients.ddb, table, prefix);
    const nowDone = orders.filter((o) => recorded.has(o.orderId) || failed.has(o.orderId)).length;
    if (nowDone > done) {
      done = nowDone;
      lastProgress = settledAt = Date.now();
    } else if (await inFlight(clients.url, driver.timelineSource)) {
      // Still working (a cold start, a retry on the virtual schedule): not quiet yet.
      lastProgress = Date.now();
    }
    if (done === orders.length || Date.now() - lastProgress > quietMs) break;
    if (Date.now() - started > (options.settleTimeoutMs ?? 900_000)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const wallMs = settledAt - started;
  const figures = figuresOf(
    driver.source,
    orders,
    { recorded, failed },
    {
      ordered: driver.ordered,
      wallMs,
      rssBeforeMb,
      rssAfterMb: options.rss?.(),
      functionTimeouts: (await timeoutsOf(clients.url, functionName)) - timeoutsBefore,
    },
  );
  log(`${driver.source}: ${figures.recorded} recorded, ${figures.lost} lost, ${(wallMs / 1000).toFixed(1)} s`);
  const lostOrderIds = orders.filter((o) => !recorded.has(o.orderId) && !failed.has(o.orderId)).map((o) => o.orderId);
  return { ...figures, lostOrderIds };
}
