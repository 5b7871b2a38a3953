import fc from 'fast-check';
import { startLab, type Lab } from '../e2e/harness';
import { exchange, isFailure, probeHealth } from './exchange';
import { requestArbitrary, targetsOf, type FuzzRequest } from './generators';

/**
 * A short, seeded slice of the fuzz suite (`npm run fuzz` runs it for longer): malformed requests in
 * every protocol the endpoint speaks, against an engine with the four stacks deployed. The bounds are
 * generous on purpose: they tell a hang from load, not fast from slow.
 */
const SEED = 20261208;
const RUNS = 120;
const ANSWER_BOUND_MS = 15_000;
const HEALTH_BOUND_MS = 5_000;

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
}, 180_000);

afterAll(async () => {
  await lab?.stop();
});

function describeFailure(req: FuzzRequest, excerpt: string): string {
  return `${req.target} ${req.method} ${req.path.slice(0, 200)} (${req.note}) → ${excerpt.slice(0, 300)}`;
}

test('GIVEN malformed requests in every protocol WHEN they are sent THEN each gets an answer in its wire form, never an undocumented 5xx, and health keeps answering', async () => {
  const arbitrary = requestArbitrary(targetsOf(lab.engine.model), 'slice');
  const health = probeHealth(lab.url, 50, HEALTH_BOUND_MS);
  const seen = new Set<string>();

  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        seen.add(req.target);
        const outcome = await exchange(lab.engine.endpoint.port, req, ANSWER_BOUND_MS);
        if (isFailure(req, outcome)) {
          throw new Error(`${outcome.kind} wire=${outcome.wire}: ${describeFailure(req, outcome.excerpt)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  } finally {
    const probe = await health.stop();
    expect(probe.failures).toEqual([]);
    expect(probe.latencies.length).toBeGreaterThan(0);
  }
  expect([...seen].sort()).toEqual(
    [
      'apigateway',
      'cloudformation',
      'dynamodb',
      'dynamodbstreams',
      'kinesis',
      'lambda',
      's3',
      'sns',
      'sqs',
      'ssm',
      'unsigned',
    ].sort(),
  );
}, 180_000);
