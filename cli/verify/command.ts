/** `npm run verify`: the course's behaviour checked end to end on a target, with live progress and a table. */
import Table from 'cli-table3';
import { InvalidArgumentError } from 'commander';
import { colours, progress, type Io } from '../io';
import { openSession } from '../session';
import { SOURCE_INFO, type Pattern } from '../sources';
import type { TargetOptions } from '../target';
import { runToken } from '../trigger';
import { RunWatch } from '../watch';
import { seconds, VERIFY_DRILLS, VERIFY_SOURCES, type VerifySource } from './expectations';
import { runVerify, type CaseResult } from './run-verify';

/** Options of `verify`, as parsed. */
export interface VerifyOptions extends TargetOptions {
  readonly only?: readonly VerifySource[];
  /** Seconds one check may take. */
  readonly timeout?: number;
  readonly json?: boolean;
  /** Checks at once. */
  readonly concurrency?: number;
}

/** Checks at once on the local engine: its functions share this machine's CPUs. */
export const LOCAL_CONCURRENCY = 6;

const PATTERN_NAMES: Readonly<Record<string, readonly VerifySource[]>> = {
  'request-response': ['api'],
  requestresponse: ['api'],
  async: ['s3', 'sns'],
  'async-events': ['s3', 'sns'],
  asyncevents: ['s3', 'sns'],
  streams: ['kinesis', 'dynamodb'],
  'stream-polling': ['kinesis', 'dynamodb'],
  streampolling: ['kinesis', 'dynamodb'],
  queues: ['sqs', 'sqs-fifo'],
  'queue-polling': ['sqs', 'sqs-fifo'],
  queuepolling: ['sqs', 'sqs-fifo'],
};

/** `--only api,sqs` or `--only QueuePolling`: sources, or patterns standing for their sources. */
export function parseOnly(value: string): VerifySource[] {
  const out = new Set<VerifySource>();
  for (const raw of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const name = raw.toLowerCase();
    const source = VERIFY_SOURCES.find((s) => s === name);
    const group = PATTERN_NAMES[name];
    if (source) out.add(source);
    else if (group) group.forEach((s) => out.add(s));
    else {
      throw new InvalidArgumentError(
        `--only takes sources (${VERIFY_SOURCES.join(', ')}) or patterns (RequestResponse, AsyncEvents, StreamPolling, QueuePolling) (given ${raw})`,
      );
    }
  }
  if (out.size === 0) throw new InvalidArgumentError('--only needs at least one source or pattern');
  return VERIFY_SOURCES.filter((s) => out.has(s));
}

/** Runs `verify`; returns the exit code: 0 only when every check passed. */
export async function verify(opts: VerifyOptions, io: Io): Promise<number> {
  const sources = opts.only ?? [...VERIFY_SOURCES];
  const patterns = [...new Set(sources.map((s) => SOURCE_INFO[s].pattern))] as Pattern[];
  const session = await openSession(opts, io.env, patterns);
  const { target, clients, outputs } = session;
  const startedAt = Date.now();
  try {
    const timeScale = target.kind === 'local' ? await readTimeScale(target.endpoint) : 1;
    const token = runToken('verify');
    const total = sources.length * VERIFY_DRILLS.length;
    const c = colours(io, 'stderr');
    if (!opts.json) {
      io.stderr.write(
        `Verifying ${total} checks on ${target.kind === 'local' ? `the local engine (time scale ${timeScale})` : 'AWS'}, owner ${target.owner}, order ids ${token}-…\n`,
      );
    }
    const bar = progress(io, total, 'verify');
    let done = 0;
    const results = await runVerify(
      {
        target,
        clients,
        outputs,
        watch: new RunWatch({ target, clients, outputs, runToken: token, startedAt }),
        runToken: token,
        timeScale,
        pollMs: target.kind === 'local' ? 200 : 5000,
        concurrency: opts.concurrency ?? (target.kind === 'local' ? LOCAL_CONCURRENCY : undefined),
        caseTimeoutMs: (opts.timeout ?? (target.kind === 'local' ? 120 : 600)) * 1000,
        onProgress: ({ kind, result }) => {
          if (kind !== 'done' || !result) return;
          done += 1;
          bar.update(done, `${result.source} × ${result.drill}`);
          if (!opts.json && io.stderr.isTTY !== true) {
            const verdict = result.pass ? c.green('pass') : c.red('FAIL');
            io.stderr.write(
              `${verdict} ${result.source} × ${result.drill}${result.pass ? '' : `: ${result.problems.join('; ')}`}\n`,
            );
          }
        },
      },
      sources,
      VERIFY_DRILLS,
    );
    bar.stop();
    const elapsedMs = Date.now() - startedAt;
    const passed = results.filter((r) => r.pass).length;
    if (opts.json) {
      io.stdout.write(
        `${JSON.stringify({ target: target.kind, timeScale, elapsedMs, passed, failed: results.length - passed, results }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(`${resultTable(results, timeScale, io)}\n`);
      io.stdout.write(`${passed} passed, ${results.length - passed} failed in ${seconds(elapsedMs)}\n`);
    }
    return passed === results.length ? 0 : 1;
  } catch (err) {
    throw session.explain(err);
  } finally {
    clients.destroy();
  }
}

/** The engine's time scale, from its read-only `/_lab/engine` view. */
async function readTimeScale(endpoint: string): Promise<number> {
  const res = await fetch(`${endpoint}/_lab/engine`);
  if (!res.ok) return 1;
  const body = (await res.json()) as { timeScale?: unknown };
  return typeof body.timeScale === 'number' && body.timeScale > 0 ? body.timeScale : 1;
}

/** Pattern × drill → pass/fail, attempts, and the waits between attempts against the expected ones. */
export function resultTable(results: readonly CaseResult[], timeScale: number, io: Io): string {
  const c = colours(io);
  const scaled = (ms: number): string =>
    timeScale === 1 ? seconds(ms) : `${seconds(ms)} (${seconds(ms / timeScale)} real)`;
  const table = new Table({
    head: ['pattern', 'source', 'drill', 'result', 'attempts', 'waits observed', 'waits expected', 'problems'],
    style: { head: [], border: [] },
  });
  for (const r of results) {
    table.push([
      SOURCE_INFO[r.source].pattern,
      r.source,
      r.drill,
      r.pass ? c.green('pass') : c.red('FAIL'),
      r.attempts === undefined ? 'n/a' : String(r.attempts),
      r.waits.map(scaled).join(', ') || '-',
      r.expectedWaits.map(scaled).join(', ') || '-',
      r.problems.join('; '),
    ]);
  }
  return table.toString();
}
