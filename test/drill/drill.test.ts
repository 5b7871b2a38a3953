import { startEngineProcess, type EngineProcess } from '../../bench/drill/engine-process';
import type { DrillSource } from '../../bench/drill/orders';
import { runDrill, type SourceResult } from '../../bench/drill/run-drill';
import { E2E_CDK_OUT, E2E_OWNER, ensureE2eAssembly } from '../e2e/assembly';

/**
 * A small run of the fault drill (`npm run drill`, README "Reliability drill") against an engine started as
 * `npm start` starts it: sixty orders per polled source and ten per other source, 10 % failing once
 * and 5 % always, at the default time scale.
 */
const EVENTS: Readonly<Record<DrillSource, number>> = {
  sqs: 60,
  fifo: 60,
  kinesis: 60,
  dynamodb: 60,
  api: 10,
  s3: 10,
  sns: 10,
};

let engine: EngineProcess;
let results: ReadonlyMap<DrillSource, SourceResult>;

beforeAll(async () => {
  await ensureE2eAssembly();
  engine = await startEngineProcess({ owner: E2E_OWNER, cdkOut: E2E_CDK_OUT });
  const all = await runDrill({
    url: engine.url,
    sources: Object.keys(EVENTS) as DrillSource[],
    events: (source) => EVENTS[source],
    transient: 0.1,
    poison: 0.05,
    quietMs: 20_000,
  });
  results = new Map(all.map((r) => [r.source, r]));
}, 600_000);

afterAll(async () => {
  await engine?.stop();
});

const ALL = Object.keys(EVENTS) as DrillSource[];

describe('the fault drill on the default time scale', () => {
  it.each(ALL)('loses no order of %s: each is recorded or on the failure path', (source) => {
    expect(results.get(source)?.lostOrderIds).toEqual([]);
  });

  /** Orders one timed-out invocation can leave recorded and failed: a batch (10 in every mapping here). */
  const PER_TIMEOUT = 10;

  it.each(ALL)('has no double effect on %s but what its function timeouts explain', (source) => {
    // A batch that times out (a starved machine) after recording part of its orders sends them to the failure
    // path although recorded, as on AWS; the drill reports the timeouts. Without timeouts there is none.
    const result = results.get(source)!;
    expect(result.doubleEffects).toBeLessThanOrEqual((result.functionTimeouts ?? 0) * PER_TIMEOUT);
  });

  it.each(ALL)('finds every poison order of %s on its failure path', (source) => {
    const result = results.get(source)!;
    expect(result.poisonFound).toBe(result.poison);
  });

  it.each(ALL.filter((s) => s !== 'fifo'))('records every order of %s that is not poison', (source) => {
    // (FIFO is left out: the messages behind a poison message in its group and batch are received as often
    // as it is and follow it to the DLQ, on AWS too.)
    // (Save for orders of invocations that timed out on a starved machine, see above.)
    const result = results.get(source)!;
    expect(result.sent - result.poison - result.recorded).toBeLessThanOrEqual(
      (result.functionTimeouts ?? 0) * PER_TIMEOUT,
    );
  });

  it.each(['fifo', 'kinesis', 'dynamodb'] as const)('keeps the order of %s per key', (source) => {
    const order = results.get(source)!.order!;
    expect(order.keys).toBeGreaterThan(0);
    expect(order.broken).toBe(0);
  });
});
