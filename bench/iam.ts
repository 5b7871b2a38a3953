/**
 * Benchmark of the local IAM on the hot path:
 * - warm Invoke round trip p50/p99 of get-order (a GetItem on the orders table through the endpoint,
 *   with the function's own role credentials) with IAM enforced and with `--no-iam`, in the same run:
 *   two engines side by side, measured in alternating rounds so machine load hits both alike;
 * - the guard alone: the time the endpoint spends deciding one DynamoDB GetItem (decision cached);
 * - how many policy statements the project's four stacks give the engine to evaluate.
 *
 * Run: `node --import tsx bench/iam.ts [invokes per round]` (default 200, 5 rounds). Owner `bench`.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as path from 'node:path';
import { startEngine, type Engine } from '../local/engine/engine';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const PER_ROUND = Number(process.argv[2] ?? 200);
const ROUNDS = 5;
const PROJECT = path.resolve(__dirname, '..');

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

function getOrder(engine: Engine): string {
  const fn = engine.model?.stacks.flatMap((s) => s.functions).find((f) => f.logicalId.startsWith('GetOrder'));
  if (!fn) throw new Error('no GetOrder function');
  return fn.name;
}

async function main(): Promise<void> {
  const engines = {
    on: await startEngine({ port: 0, owner: 'bench', projectDir: PROJECT }),
    off: await startEngine({ port: 0, owner: 'bench', projectDir: PROJECT, iam: false }),
  };
  const payload = Buffer.from(
    JSON.stringify({ pathParameters: { orderId: 'missing' }, requestContext: { requestId: 'b' } }),
  );
  const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const clients = {
    on: new LambdaClient({
      endpoint: engines.on.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    off: new LambdaClient({
      endpoint: engines.off.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  };
  for (const mode of ['on', 'off'] as const) {
    for (let i = 0; i < 50; i++)
      await clients[mode].send(new InvokeCommand({ FunctionName: getOrder(engines[mode]), Payload: payload }));
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const name = getOrder(engines[mode]);
      for (let i = 0; i < PER_ROUND; i++) {
        const t = performance.now();
        const out = await clients[mode].send(new InvokeCommand({ FunctionName: name, Payload: payload }));
        times[mode].push(performance.now() - t);
        if (out.FunctionError)
          throw new Error(`get-order failed with IAM ${mode}: ${Buffer.from(out.Payload ?? []).toString()}`);
      }
    }
  }
  for (const mode of ['on', 'off'] as const) {
    const sorted = [...times[mode]].sort((a, b) => a - b);
    console.log(
      `warm Invoke of get-order (GetItem), IAM ${mode === 'on' ? 'enforced' : 'off     '} (${sorted.length}): p50 ${pct(sorted, 0.5).toFixed(2)} ms, p99 ${pct(sorted, 0.99).toFixed(2)} ms`,
    );
  }

  const iam = engines.on.iam!;
  const role = engines.on.model!.stacks.flatMap((s) => s.functions).find((f) => f.logicalId.startsWith('GetOrder'))!;
  const table = engines.on.model!.stacks.find((s) => s.stackName.endsWith('RequestResponse'))!.tables[0]!;
  const creds = iam.credentialsFor(role.name)!;
  const req = {
    method: 'POST',
    path: '/',
    rawQuery: '',
    query: new URLSearchParams(),
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${creds.AWS_ACCESS_KEY_ID}/20261208/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      'x-amz-target': 'DynamoDB_20120810.GetItem',
    },
    body: Buffer.from(JSON.stringify({ TableName: table.name, Key: { orderId: { S: 'x' } } })),
    service: 'dynamodb',
    region: 'us-east-1',
  };
  if (iam.guard(req)) throw new Error('the guard denied get-order its GetItem');
  const n = 100_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) iam.guard(req);
  console.log(`guard decision for one GetItem (cached, ${n}): ${(((performance.now() - t) / n) * 1000).toFixed(2)} µs`);

  const statements = iam.statements();
  const distinct = new Set(statements.map((s) => JSON.stringify({ ...s, source: undefined }))).size;
  console.log(`policy statements the four stacks give the engine: ${statements.length} (${distinct} distinct)`);

  for (const c of Object.values(clients)) c.destroy();
  await engines.on.stop();
  await engines.off.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
