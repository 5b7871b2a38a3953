/**
 * Benchmark of `npm start` and the Lambda Invoke API on the project's own stacks:
 * - `npm start` to ready with an up-to-date `cdk.out`, and with a forced synth (what a fresh clone
 *   after `npm ci` pays, minus npm itself);
 * - cold start (first invoke of a function after start: round trip and the REPORT Init Duration);
 * - warm Invoke round trip p50/p99 through the endpoint with the real `@aws-sdk/client-lambda`;
 * - RSS with all four stacks deployed: the engine and its execution environments' processes.
 *
 * Run: `node --import tsx bench/engine.ts [invokes]` (default 2,000). It starts the engine as a
 * child process on a free port (owner `bench`) and stops it at the end.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { treeRssMb } from './process-tree';

const INVOKES = Number(process.argv[2] ?? 2000);
const PROJECT = path.resolve(__dirname, '..');

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly readyMs: number;
  readonly output: string;
}

function startEngine(extra: string[]): Promise<Started> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/local.ts', '--port', '0', '--owner', 'bench', ...extra],
    {
      cwd: PROJECT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = /Endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url && output.includes('Ready in')) resolve({ child, url, readyMs: Date.now() - started, output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`engine exited with ${code}:\n${output}`)));
  });
}

async function stopEngine(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function main(): Promise<void> {
  const synth = await startEngine(['--synth']);
  console.log(`npm start to ready, forced synth:       ${synth.readyMs} ms`);
  await stopEngine(synth.child);

  const engine = await startEngine([]);
  console.log(`npm start to ready, cdk.out up to date: ${engine.readyMs} ms`);
  const lambda = new LambdaClient({
    endpoint: engine.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const name = /λ (bench-RequestResponse-GetOrder\S+)/.exec(engine.output)?.[1];
  if (!name) throw new Error('no GetOrder function in the engine output');
  const payload = Buffer.from(
    JSON.stringify({ pathParameters: { orderId: 'missing' }, requestContext: { requestId: 'b' } }),
  );

  const coldStarted = performance.now();
  const cold = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload, LogType: 'Tail' }));
  const coldMs = performance.now() - coldStarted;
  const init = /Init Duration: ([\d.]+) ms/.exec(Buffer.from(cold.LogResult ?? '', 'base64').toString())?.[1];
  console.log(`cold start: round trip ${coldMs.toFixed(1)} ms, Init Duration ${init ?? '?'} ms`);

  // A request the handler rejects before any I/O (no order id): the engine's own round trip.
  const noIo = Buffer.from(
    JSON.stringify({
      resource: '/orders/{orderId}',
      path: '/orders/',
      httpMethod: 'GET',
      headers: {},
      pathParameters: null,
      requestContext: { requestId: 'bench' },
    }),
  );
  for (const [label, body] of [
    ['handler without I/O (400 path)', noIo],
    ['handler reading DynamoDB (404 path)', payload],
  ] as const) {
    for (let i = 0; i < 50; i++) await lambda.send(new InvokeCommand({ FunctionName: name, Payload: body }));
    const times: number[] = [];
    for (let i = 0; i < INVOKES; i++) {
      const t = performance.now();
      await lambda.send(new InvokeCommand({ FunctionName: name, Payload: body }));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `warm Invoke round trip, ${label} (${INVOKES}): p50 ${pct(times, 0.5).toFixed(2)} ms, p99 ${pct(times, 0.99).toFixed(2)} ms`,
    );
  }
  console.log(
    `RSS with all stacks deployed (engine + environments, after the invokes above): ${treeRssMb(engine.child.pid!).toFixed(0)} MB`,
  );
  lambda.destroy();
  await stopEngine(engine.child);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
