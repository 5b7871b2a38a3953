/**
 * `npm run fuzz -- --seconds N --seed S [--concurrency C] [--mode full|slice]`: sends generated malformed
 * requests to an engine with the four stacks deployed for N seconds, probing `/_lab/health` all along,
 * and prints counts per protocol and outcome, wire-form checks, health latency and the first failures.
 * The engine runs as `npm start` does, in its own process, so the fuzzer's own work never delays it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { readAssembly } from '../../local/assembly/read-assembly';
import { E2E_CDK_OUT, E2E_OWNER, ensureE2eAssembly, PROJECT_DIR } from '../e2e/assembly';
import { exchange, isFailure, probeHealth, quantile, type Outcome } from './exchange';
import { requestArbitrary, targetsOf, type FuzzMode, type FuzzRequest } from './generators';

/** A request must be answered within this many real milliseconds (the slowest guard answers at 10 s). */
const ANSWER_BOUND_MS = 15_000;
/** The target for `/_lab/health` while the endpoint is under fuzz. */
const HEALTH_TARGET_MS = 100;
const BATCH = 64;

interface Options {
  readonly seconds: number;
  readonly seed: number;
  readonly concurrency: number;
  readonly mode: FuzzMode;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '30' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '4' },
      mode: { type: 'string', default: 'full' },
    },
  });
  const seconds = Number(values.seconds);
  const seed = Number(values.seed);
  const concurrency = Number(values.concurrency);
  if (!(seconds > 0)) throw new Error(`--seconds must be above 0 (given ${values.seconds})`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer (given ${values.seed})`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new Error(`--concurrency must be an integer 1-64 (given ${values.concurrency})`);
  }
  if (values.mode !== 'full' && values.mode !== 'slice')
    throw new Error(`--mode must be full or slice (given ${values.mode})`);
  return { seconds, seed, concurrency, mode: values.mode };
}

/** Counts by target and outcome. */
class Tally {
  readonly rows = new Map<string, Map<string, number>>();
  readonly failures = new Map<string, { req: FuzzRequest; outcome: Outcome; count: number }>();
  readonly latencies: number[] = [];

  add(req: FuzzRequest, outcome: Outcome): void {
    const row = this.rows.get(`${req.target} (${req.protocol})`) ?? new Map<string, number>();
    this.rows.set(`${req.target} (${req.protocol})`, row);
    const bump = (key: string): void => void row.set(key, (row.get(key) ?? 0) + 1);
    bump(outcome.kind);
    if (outcome.wire !== 'n/a') bump(`wire-${outcome.wire}`);
    this.latencies.push(outcome.ms);
    if (isFailure(req, outcome)) {
      const key = `${req.target} ${outcome.kind} ${outcome.status ?? ''} ${outcome.wire} ${req.note.split(';')[0]}`;
      const seen = this.failures.get(key);
      if (seen) seen.count += 1;
      else this.failures.set(key, { req, outcome, count: 1 });
    }
  }
}

/** Starts `bin/local.ts` on a free port with the end-to-end assembly; resolves once it is ready. */
async function startEngineProcess(): Promise<{ child: ChildProcess; url: string; port: number }> {
  await ensureE2eAssembly();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(PROJECT_DIR, 'bin', 'local.ts'),
      '--port',
      '0',
      '--owner',
      E2E_OWNER,
      '--cdk-out',
      E2E_CDK_OUT,
    ],
    { cwd: PROJECT_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const url = /Endpoint\s+(http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      if (url && output.includes('Ready in')) resolve({ child, url: url[1]!, port: Number(url[2]) });
    });
    child.on('exit', (code) => reject(new Error(`The engine exited (${code}) before it was ready:\n${output}`)));
  });
}

async function main(): Promise<void> {
  const opts = options();
  const engine = await startEngineProcess();
  const model = readAssembly(E2E_CDK_OUT, {
    region: 'us-east-1',
    accountId: '000000000000',
    endpointUrl: engine.url,
    owner: E2E_OWNER,
  });
  const arbitrary = requestArbitrary(targetsOf(model), opts.mode);
  const tally = new Tally();
  const health = probeHealth(engine.url, 50, 5_000);
  const deadline = Date.now() + opts.seconds * 1000;
  let batch = 0;
  try {
    while (Date.now() < deadline) {
      const requests = fc.sample(arbitrary, { seed: opts.seed + batch, numRuns: BATCH });
      batch += 1;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < requests.length && Date.now() < deadline) {
          const req = requests[next++]!;
          tally.add(req, await exchange(engine.port, req, ANSWER_BOUND_MS));
        }
      };
      await Promise.all(Array.from({ length: opts.concurrency }, worker));
    }
  } finally {
    const probe = await health.stop();
    engine.child.kill('SIGTERM');
    report(opts, tally, probe.latencies, probe.failures);
  }
}

function report(opts: Options, tally: Tally, health: readonly number[], healthFailures: readonly string[]): void {
  const columns = ['2xx', '3xx', '4xx', '5xx', 'timeout', 'no-answer', 'wire-ok', 'wire-bad'];
  const lines = [
    `Fuzzed for ${opts.seconds} s, seed ${opts.seed}, mode ${opts.mode}, concurrency ${opts.concurrency}: ${tally.latencies.length} requests.`,
    '',
    ['target (protocol)'.padEnd(32), ...columns.map((c) => c.padStart(9))].join(''),
  ];
  for (const [name, row] of [...tally.rows].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push([name.padEnd(32), ...columns.map((c) => String(row.get(c) ?? 0).padStart(9))].join(''));
  }
  const fmt = (xs: readonly number[], q: number): string => `${quantile(xs, q).toFixed(1)} ms`;
  const slowHealth = health.filter((ms) => ms > HEALTH_TARGET_MS).length;
  lines.push(
    '',
    `Answer time: p50 ${fmt(tally.latencies, 0.5)}, p99 ${fmt(tally.latencies, 0.99)}, max ${fmt(tally.latencies, 1)}`,
    `/_lab/health: ${health.length} probes, p50 ${fmt(health, 0.5)}, p99 ${fmt(health, 0.99)}, max ${fmt(health, 1)}; ` +
      `${slowHealth} over ${HEALTH_TARGET_MS} ms; ${healthFailures.length} unanswered or not 200`,
    '',
    `Failures (no answer, undocumented 5xx, foreign error form): ${[...tally.failures.values()].reduce((n, f) => n + f.count, 0)} in ${tally.failures.size} kinds`,
  );
  for (const { req, outcome, count } of [...tally.failures.values()].slice(0, 25)) {
    lines.push(
      `  ${count}× ${req.target} ${outcome.kind} ${outcome.status ?? ''} wire=${outcome.wire}: ${req.note.slice(0, 160)}`,
      `      ${outcome.excerpt.replace(/\r?\n/g, ' | ').slice(0, 200)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
