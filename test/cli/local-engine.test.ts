/**
 * Issue 10 against the local engine: the project's four stacks on one engine, driven by the command line as a
 * student would run it (`verify --local`, `trigger <source> --follow --json`), over real HTTP with the real SDK.
 *
 * `verify` runs once in `beforeAll` (its checks run concurrently); each test then checks one pattern × drill, so
 * the suite that verifies a real account is itself tested here. The trigger tests run first: besides their own
 * checks they warm the functions, whose cold starts on a loaded two-core machine can approach a 3 s timeout.
 */
import { VERIFY_DRILLS, VERIFY_SOURCES } from '../../cli/verify/expectations';
import type { CaseResult } from '../../cli/verify/run-verify';
import { SOURCES } from '../../cli/sources';
import { E2E_OWNER } from '../e2e/assembly';
import { startLab, type Lab } from '../e2e/harness';
import { runCli, type CliRun } from './run-cli';

/** `npm start`'s default: retry waits of 1 and 2 minutes take 1 and 2 seconds, as a student sees them. */
const TIME_SCALE = 60;

let lab: Lab;
const target = (): string[] => ['--local', '--endpoint', lab.url, '--owner', E2E_OWNER];

beforeAll(async () => {
  lab = await startLab({ timeScale: TIME_SCALE });
}, 120_000);

afterAll(async () => {
  await lab?.stop();
});

describe('trigger <source> --follow --json', () => {
  it.each(SOURCES)(
    'prints one JSON document describing what happened to a %s order',
    async (source) => {
      // WHEN a plain order is sent and followed
      const { code, stdout, stderr } = await runCli([
        'trigger',
        source,
        ...target(),
        '--follow',
        '--json',
        '--timeout',
        '60',
      ]);
      // THEN stdout is one JSON document with the delivery and where it ended
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as { deliveries: Array<Record<string, unknown>> };
      expect(report).toMatchObject({ target: 'local', source, drill: null });
      expect(report.deliveries).toHaveLength(1);
      const delivery = report.deliveries[0]!;
      expect(delivery).toMatchObject({ orderId: expect.stringMatching(/^cli-/), settled: true, failedTo: null });
      expect(typeof delivery['eventId']).toBe('string');
      expect(delivery['attempts']).toBeGreaterThanOrEqual(1);
      // A GET looks up an order nobody recorded; every other source records its order.
      expect(delivery['recorded']).toBe(source !== 'get');
      expect(delivery['steps']).toEqual(expect.arrayContaining(['received']));
    },
    90_000,
  );

  it('follows a drill to the failure path: an SQS error ends on the DLQ after 3 attempts', async () => {
    const { stdout } = await runCli(['trigger', 'sqs', ...target(), '--drill', 'error', '--follow', '--json']);
    const delivery = (JSON.parse(stdout) as { deliveries: Array<Record<string, unknown>> }).deliveries[0];
    expect(delivery).toMatchObject({ settled: true, attempts: 3, recorded: false, failedTo: 'DeadLetterQueue' });
  }, 90_000);

  it('sends a burst with --count, each order with its own id', async () => {
    const { stdout } = await runCli([
      'trigger',
      'sns',
      ...target(),
      '--count',
      '3',
      '--rate',
      '50',
      '--order-id',
      'burst',
      '--json',
    ]);
    const ids = (JSON.parse(stdout) as { deliveries: Array<{ orderId: string }> }).deliveries.map((d) => d.orderId);
    expect(ids).toEqual(['burst-1', 'burst-2', 'burst-3']);
  });
});

describe('verify --local --json', () => {
  let run: CliRun;
  let report: { target: string; timeScale: number; passed: number; failed: number; results: CaseResult[] };

  beforeAll(async () => {
    run = await runCli(['verify', ...target(), '--json']);
    report = JSON.parse(run.stdout) as typeof report;
  }, 600_000);

  it('reads the engine’s time scale from /_lab/engine', () => {
    expect(report).toMatchObject({ target: 'local', timeScale: TIME_SCALE });
  });

  it.each(VERIFY_SOURCES.flatMap((source) => VERIFY_DRILLS.map((drill) => [source, drill] as const)))(
    'passes %s × %s',
    (source, drill) => {
      const result = report.results.find((r) => r.source === source && r.drill === drill);
      expect(result).toBeDefined();
      expect(result?.problems).toEqual([]);
      expect(result?.pass).toBe(true);
    },
  );

  it('exits 0 when every check passed, with nothing but the JSON on stdout', () => {
    expect(report.failed).toBe(0);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('measures the async retry waits against Lambda’s 1 and 2 minutes', () => {
    const s3Error = report.results.find((r) => r.source === 's3' && r.drill === 'error');
    expect(s3Error?.expectedWaits).toEqual([60_000, 120_000]);
    expect(s3Error?.waits).toHaveLength(2);
  });
});

describe('stack errors', () => {
  it('lists the owners found when the given owner has no stacks', async () => {
    const { code, stderr } = await runCli(['trigger', 'sqs', '--local', '--endpoint', lab.url, '--owner', 'alice']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `error: No stacks for owner "alice" in the local engine at ${lab.url}; owners found: ${E2E_OWNER}. Pass --owner <name>\n`,
    );
  });
});
