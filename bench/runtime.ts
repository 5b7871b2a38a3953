/**
 * Benchmark of the local Lambda runtime: cold start, warm invoke round trip, memory.
 *
 * Run: `node --import tsx bench/runtime.ts [invokes]` (default 2,000 warm invokes).
 * Numbers are wall-clock on this machine; run it on a quiet machine before quoting them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LambdaRuntime } from '../local/runtime';

const WARM_INVOKES = Number(process.argv[2] ?? 2000);
const COLD_STARTS = 20;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}

async function main(): Promise<void> {
  const codeDir = mkdtempSync(path.join(os.tmpdir(), 'bench-runtime-'));
  writeFileSync(
    path.join(codeDir, 'index.js'),
    'let n = 0;\nexports.handler = async (event) => ({ n: ++n, id: event.id });\n',
  );
  const runtime = new LambdaRuntime({ region: 'us-east-1', accountId: '000000000000' });
  const definition = (name: string) => ({
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    handler: 'index.handler',
    codeDir,
    runtime: 'nodejs24.x',
    timeoutSeconds: 3,
    memorySizeMb: 128,
    environment: {},
  });

  try {
    // Cold starts: a new function each time, so each invoke starts a worker and loads the module.
    const cold: number[] = [];
    const init: number[] = [];
    for (let i = 0; i < COLD_STARTS; i += 1) {
      runtime.register(definition(`cold-${i}`));
      const t0 = performance.now();
      const result = await runtime.invoke(`cold-${i}`, { payload: '{"id":0}' });
      cold.push(performance.now() - t0);
      init.push(result.initDurationMs ?? Number.NaN);
      await runtime.unregister(`cold-${i}`);
    }

    // Warm invokes: one environment, sequential round trips through the public API.
    runtime.register(definition('warm'));
    await runtime.invoke('warm', { payload: '{"id":0}' });
    for (let i = 0; i < 200; i += 1) await runtime.invoke('warm', { payload: '{"id":0}' });
    const warm: number[] = [];
    for (let i = 0; i < WARM_INVOKES; i += 1) {
      const t0 = performance.now();
      await runtime.invoke('warm', { payload: `{"id":${i}}` });
      warm.push(performance.now() - t0);
    }

    // Ten warm environments, to see what each environment costs in RSS.
    const rssBefore = process.memoryUsage().rss;
    runtime.register({ ...definition('wide'), localConcurrencyCap: 10 });
    await Promise.all(Array.from({ length: 10 }, () => runtime.invoke('wide', { payload: '{"id":0}' })));
    const rssWide = process.memoryUsage().rss;

    cold.sort((a, b) => a - b);
    init.sort((a, b) => a - b);
    warm.sort((a, b) => a - b);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(2)}`);
    console.log(
      `cold start (invoke round trip, new worker) p50 ${ms(percentile(cold, 50))}  max ${ms(cold.at(-1) ?? 0)}`,
    );
    console.log(`  of which Init Duration p50 ${ms(percentile(init, 50))}`);
    console.log(
      `warm invoke x${WARM_INVOKES}: p50 ${ms(percentile(warm, 50))}  p99 ${ms(percentile(warm, 99))}  max ${ms(warm.at(-1) ?? 0)}`,
    );
    console.log(
      `RSS with 1 warm environment: ${mb(rssBefore)}; with 11: ${mb(rssWide)} (+${mb((rssWide - rssBefore) / 10)} each)`,
    );
  } finally {
    await runtime.stop();
    rmSync(codeDir, { recursive: true, force: true });
  }
}

void main();
