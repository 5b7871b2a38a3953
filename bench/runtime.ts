/**
 * Benchmark of the local Lambda runtime: cold start (per runtime), warm invoke round trip, memory of the host and
 * its environments' processes.
 *
 * Run: `node --import tsx bench/runtime.ts [invokes]` (default 2,000 warm invokes).
 * Numbers are wall-clock on this machine; run it on a quiet machine before quoting them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LambdaRuntime, SUPPORTED_RUNTIMES } from '../local/runtime';
import { treeRssMb } from './process-tree';

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
  const definition = (name: string, runtimeId = 'nodejs24.x') => ({
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    handler: 'index.handler',
    codeDir,
    runtime: runtimeId,
    timeoutSeconds: 3,
    memorySizeMb: 128,
    environment: {},
  });

  try {
    // Cold starts: a new function each time, so each invoke starts a process and loads the module.
    const coldByRuntime = new Map<string, { cold: number[]; init: number[] }>();
    for (const runtimeId of [...SUPPORTED_RUNTIMES].reverse()) {
      const cold: number[] = [];
      const init: number[] = [];
      for (let i = 0; i < COLD_STARTS; i += 1) {
        const name = `cold-${runtimeId.replace('.', '-')}-${i}`;
        runtime.register(definition(name, runtimeId));
        const t0 = performance.now();
        const result = await runtime.invoke(name, { payload: '{"id":0}' });
        cold.push(performance.now() - t0);
        init.push(result.initDurationMs ?? Number.NaN);
        await runtime.unregister(name);
      }
      coldByRuntime.set(runtimeId, { cold: cold.sort((x, y) => x - y), init: init.sort((x, y) => x - y) });
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

    // Ten warm environments, to see what each environment costs in RSS (the host and its environments' processes).
    const rssBefore = treeRssMb(process.pid);
    runtime.register({ ...definition('wide'), localConcurrencyCap: 10 });
    await Promise.all(Array.from({ length: 10 }, () => runtime.invoke('wide', { payload: '{"id":0}' })));
    const rssWide = treeRssMb(process.pid);

    warm.sort((a, b) => a - b);
    const mb = (value: number) => `${value.toFixed(1)} MB`;
    console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(2)}`);
    for (const [runtimeId, { cold, init }] of coldByRuntime) {
      console.log(
        `cold start ${runtimeId} (invoke round trip, new process) p50 ${ms(percentile(cold, 50))}  max ${ms(cold.at(-1) ?? 0)}` +
          `  (Init Duration p50 ${ms(percentile(init, 50))})`,
      );
    }
    console.log(
      `warm invoke x${WARM_INVOKES}: p50 ${ms(percentile(warm, 50))}  p99 ${ms(percentile(warm, 99))}  max ${ms(warm.at(-1) ?? 0)}`,
    );
    console.log(
      `RSS (host + environments) with 1 warm environment: ${mb(rssBefore)}; with 11: ${mb(rssWide)} (+${mb((rssWide - rssBefore) / 10)} each)`,
    );
  } finally {
    await runtime.stop();
    rmSync(codeDir, { recursive: true, force: true });
  }
}

void main();
