/**
 * `npm run drill -- [--events N] [--transient P] [--poison Q] [--sources a,b] [--endpoint URL] [--time-scale X]`
 *
 * The fault drill: sends orders through every pipeline of the deployed stacks — a fraction failing
 * once, a fraction failing always — and reports per source what was recorded, lost, recorded twice,
 * where the poison went, whether order was kept, how fast, and the engine's memory. It starts an engine
 * (owner `drill`, `cdk.out.drill`) unless `--endpoint` names a running one. See README, "Reliability drill".
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { PROJECT_DIR, rssMb, startEngineProcess, type EngineProcess } from './engine-process';
import { formatTable } from './figures';
import { DEFAULT_EVENTS, SOURCES, type DrillSource } from './orders';
import { runDrill } from './run-drill';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function fraction(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!(value >= 0 && value <= 1)) fail(`--${name} must be a fraction 0-1 (given ${text})`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      transient: { type: 'string' },
      poison: { type: 'string' },
      sources: { type: 'string' },
      endpoint: { type: 'string' },
      'time-scale': { type: 'string' },
    },
    strict: true,
  });
  const events = values.events === undefined ? undefined : Number(values.events);
  if (events !== undefined && !(Number.isInteger(events) && events > 0))
    fail(`--events must be a positive integer (given ${values.events})`);
  const sources = (values.sources?.split(',') ?? [...SOURCES]) as DrillSource[];
  const unknown = sources.filter((s) => !SOURCES.includes(s));
  if (unknown.length > 0) fail(`--sources must be some of ${SOURCES.join(', ')} (given ${unknown.join(', ')})`);
  const transient = fraction('transient', values.transient, 0.1);
  const poison = fraction('poison', values.poison, 0.01);

  let engine: EngineProcess | undefined;
  const url =
    values.endpoint ??
    (engine = await startEngineProcess({
      owner: 'drill',
      cdkOut: path.join(PROJECT_DIR, 'cdk.out.drill'),
      timeScale: values['time-scale'] === undefined ? 60 : Number(values['time-scale']),
    })).url;
  const started = Date.now();
  try {
    const results = await runDrill({
      url,
      sources,
      events: (s) => events ?? DEFAULT_EVENTS[s],
      transient,
      poison,
      rss: engine ? () => rssMb(engine!.pid) : undefined,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`\n${formatTable(results)}\n\nTotal ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
    const expired =
      engine
        ?.output()
        .split('\n')
        .filter((l) => l.startsWith('Expired by age')) ?? [];
    if (expired.length > 0) process.stdout.write(`\nThe engine reported:\n${expired.join('\n')}\n`);
  } finally {
    await engine?.stop();
  }
}

void main().catch((err: unknown) => fail(`drill failed: ${(err as Error).stack ?? String(err)}`));
