/**
 * `npm run verify`: every pattern × drill the README promises, sent with unique order ids, checked from what a
 * student can see, all at once (a drill whose batch would fail its neighbours waits for them), cleaned up after.
 */
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { Clients } from '../clients';
import { payloadFor, sendOnce, type Delivery } from '../send';
import { outputOf, SOURCE_INFO, type StackOutputs } from '../sources';
import type { Target } from '../target';
import type { RunWatch } from '../watch';
import { checkWaits, expectationFor, type Expectation, type VerifyDrill, type VerifySource } from './expectations';

/** What a verify run needs. */
export interface VerifyContext {
  readonly target: Target;
  readonly clients: Clients;
  readonly outputs: StackOutputs;
  readonly watch: RunWatch;
  /** Prefix of every order id of the run: unique, so the run never touches a student's data. */
  readonly runToken: string;
  /** Virtual seconds per real second on the target (1 on AWS). */
  readonly timeScale: number;
  /** Real ms between polling rounds. */
  readonly pollMs: number;
  /** Real ms one check may take before it fails. */
  readonly caseTimeoutMs: number;
  /**
   * Checks running at once. On AWS every check runs at once, so the run takes as long as its slowest path;
   * locally function code and timeouts run in real time on this machine's CPUs, so fewer at once keep
   * cold starts from pushing functions past their timeouts. @default all
   */
  readonly concurrency?: number;
  /** Called when a check starts and when it ends. */
  readonly onProgress?: (event: {
    readonly kind: 'start' | 'done';
    readonly result?: CaseResult;
    readonly source: VerifySource;
    readonly drill: VerifyDrill;
  }) => void;
}

/** The outcome of one pattern × drill. */
export interface CaseResult {
  readonly source: VerifySource;
  readonly drill: VerifyDrill;
  readonly pass: boolean;
  /** What did not match, one phrase each. */
  readonly problems: readonly string[];
  /** Attempts observed; undefined where the target does not show them. */
  readonly attempts?: number;
  /** Observed waits before each retry, in target ms (virtual locally). */
  readonly waits: readonly number[];
  /** Expected waits, in target ms. */
  readonly expectedWaits: readonly number[];
  /** Real ms from the first send to the verdict. */
  readonly elapsedMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the checks of `sources` × `drills`; a drill marked exclusive starts once its source's others are done. */
export async function runVerify(
  ctx: VerifyContext,
  sources: readonly VerifySource[],
  drills: readonly VerifyDrill[],
): Promise<CaseResult[]> {
  const slot = limiter(ctx.concurrency ?? Number.POSITIVE_INFINITY);
  const one = (source: VerifySource, drill: VerifyDrill): Promise<CaseResult> =>
    slot(() => runCase(ctx, source, drill, caseNumber(sources, drills, source, drill)));
  const results = await Promise.all(
    sources.map(async (source) => {
      const plain = drills.filter((d) => !expectationFor(source, d).exclusive);
      const exclusive = drills.filter((d) => expectationFor(source, d).exclusive);
      // Timeouts first: they wait longest, in real time, whatever the time scale.
      const ordered = [...plain].sort((a, b) => Number(b === 'timeout') - Number(a === 'timeout'));
      const first: CaseResult[] = [];
      if (source === 'api') {
        // One request after another, as a client would send them: each check of the API lasts a few seconds at
        // most, and locally one warm execution environment then serves them all instead of several cold ones
        // racing the function's 3 s timeout.
        for (const drill of ordered) first.push(await one(source, drill));
      } else {
        first.push(...(await Promise.all(ordered.map((drill) => one(source, drill)))));
      }
      const second = await Promise.all(exclusive.map((drill) => one(source, drill)));
      return [...first, ...second];
    }),
  );
  const order = (r: CaseResult): number => sources.indexOf(r.source) * 100 + drills.indexOf(r.drill);
  return results.flat().sort((a, b) => order(a) - order(b));
}

/** Runs at most `max` tasks at once, in the order they ask. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** A case's number, two digits: no order id of a run is then a prefix of another (`…-sqs-error` of `…-sqs-error-once`). */
function caseNumber(
  sources: readonly VerifySource[],
  drills: readonly VerifyDrill[],
  source: VerifySource,
  drill: VerifyDrill,
): string {
  return String(sources.indexOf(source) * drills.length + drills.indexOf(drill)).padStart(2, '0');
}

/** Sends one pattern × drill, waits until it settles or times out, checks it and cleans up. */
export async function runCase(
  ctx: VerifyContext,
  source: VerifySource,
  drill: VerifyDrill,
  number = '00',
): Promise<CaseResult> {
  ctx.onProgress?.({ kind: 'start', source, drill });
  const started = Date.now();
  const expected = expectationFor(source, drill);
  const orderId = `${ctx.runToken}-${number}-${source}-${drill}`;
  const payload = payloadFor({ orderId, item: 'verify', quantity: 1 }, drill === 'success' ? undefined : drill);
  const deliveries: Delivery[] = [];
  let result: CaseResult;
  try {
    for (let copy = 0; copy < expected.sends; copy++) {
      deliveries.push(
        await sendOnce(source, payload, ctx.outputs, ctx.clients, {
          copy,
          group: `${ctx.runToken}-${drill}`,
          drill: drill === 'success' ? undefined : drill,
        }),
      );
    }
    const expectedWaits = await expectedWaitsOf(ctx, source, expected);
    const observed = await observe(ctx, expected, deliveries, started);
    result = judge(
      source,
      drill,
      expected,
      observed,
      expectedWaits,
      Date.now() - started,
      ctx.target.kind,
      ctx.timeScale,
    );
  } catch (err) {
    result = {
      source,
      drill,
      pass: false,
      problems: [err instanceof Error ? err.message : String(err)],
      waits: [],
      expectedWaits: [],
      elapsedMs: Date.now() - started,
    };
  }
  await cleanUp(ctx, source, orderId, deliveries).catch(() => undefined);
  ctx.onProgress?.({ kind: 'done', source, drill, result });
  return result;
}

/** What the target showed for one case. */
interface Observed {
  readonly statuses: number[];
  readonly recorded: boolean;
  readonly failure?: { readonly body: string; readonly attributes: Readonly<Record<string, string>> };
  readonly success?: { readonly body: string };
  readonly attempts: ReadonlyArray<{ readonly at: number; readonly outcome: string }>;
  readonly counter: number;
  readonly settled: boolean;
}

async function observe(
  ctx: VerifyContext,
  expected: Expectation,
  deliveries: readonly Delivery[],
  started: number,
): Promise<Observed> {
  const { watch } = ctx;
  const first = deliveries[0]!;
  let failure: Observed['failure'];
  let success: Observed['success'];
  for (;;) {
    await watch.refresh(deliveries);
    if (expected.failurePath || !isStream(first)) failure ??= await findFirst(deliveries, (d) => watch.failure(d));
    success ??= await findFirst(deliveries, (d) => watch.success(d));
    noteRequestId(watch, first, failure, success);
    const recorded = await watch.recorded(first);
    const attempts = deliveries.flatMap((d) => watch.attempts(d)).sort((a, b) => a.at - b.at);
    const counter = expected.counterAtLeast ? await watch.attemptCounter(first) : 0;
    const timeline = deliveries.map((d) => watch.timelineSettled(d));
    const wanted =
      (!expected.recorded || recorded) &&
      (!expected.failurePath || failure !== undefined) &&
      (!expected.successRecord || success !== undefined) &&
      (expected.counterAtLeast === undefined || counter >= expected.counterAtLeast);
    // Locally the timeline says when an event has ended, so absence (no row, no DLQ message) can be asserted;
    // on AWS what was wanted having arrived is the end.
    const settled = wanted && timeline.every((t) => t !== false);
    const timedOut = Date.now() - started > ctx.caseTimeoutMs;
    if (settled || timedOut) {
      const statuses = deliveries.flatMap((d) => (d.status === undefined ? [] : [d.status]));
      return { statuses, recorded, failure, success, attempts, counter, settled };
    }
    await sleep(ctx.pollMs);
  }
}

const isStream = (d: Delivery): boolean => d.source === 'kinesis' || d.source === 'dynamodb';

async function findFirst<T>(
  deliveries: readonly Delivery[],
  find: (d: Delivery) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (const d of deliveries) {
    const found = await find(d);
    if (found) return found;
  }
  return undefined;
}

/** An asynchronous event keeps its request id on every retry: the destination records name it. */
function noteRequestId(
  watch: RunWatch,
  delivery: Delivery,
  failure: Observed['failure'],
  success: Observed['success'],
): void {
  const fromAttributes = failure?.attributes['RequestID'];
  if (fromAttributes) return watch.noteRequestId(delivery, fromAttributes);
  for (const body of [failure?.body, success?.body]) {
    const id = parseJson(body)?.['requestContext'] as { requestId?: string } | undefined;
    if (id?.requestId) return watch.noteRequestId(delivery, id.requestId);
  }
}

async function expectedWaitsOf(ctx: VerifyContext, source: VerifySource, expected: Expectation): Promise<number[]> {
  const waits = expected.waits ?? [];
  if (waits.length === 0) return [];
  const info = SOURCE_INFO[source];
  const visibility = waits.some((w) => w.kind === 'visibility')
    ? (await ctx.watch.visibilityTimeout(info.pattern, source === 'sqs-fifo' ? 'FifoQueueUrl' : 'QueueUrl')) * 1000
    : 0;
  return waits.map((w) => (w.kind === 'async' ? w.ms : visibility));
}

/** Compares what was observed with what was expected. */
export function judge(
  source: VerifySource,
  drill: VerifyDrill,
  expected: Expectation,
  observed: Observed,
  expectedWaits: readonly number[],
  elapsedMs: number,
  target: Target['kind'],
  /** Virtual seconds per real second: attempt times are wall-clock times, expected waits virtual. */
  timeScale = 1,
): CaseResult {
  const problems: string[] = [];
  if (!observed.settled) problems.push('did not settle in time');
  if (expected.statuses && observed.statuses.join(',') !== expected.statuses.join(',')) {
    problems.push(`HTTP ${observed.statuses.join(', ')}, expected ${expected.statuses.join(', ')}`);
  }
  if (observed.recorded !== expected.recorded) {
    problems.push(expected.recorded ? 'not in the orders table' : 'in the orders table, expected not');
  }
  if (expected.failurePath && !observed.failure) problems.push(`nothing on ${SOURCE_INFO[source].failureQueue}`);
  const stream = source === 'kinesis' || source === 'dynamodb';
  if (!expected.failurePath && !stream && observed.failure) {
    problems.push(`unexpected message on ${SOURCE_INFO[source].failureQueue}`);
  }
  if (observed.failure) problems.push(...checkFailureShape(source, observed.failure, expected));
  if (expected.successRecord && !observed.success) problems.push(`no record on ${SOURCE_INFO[source].successQueue}`);
  if (expected.counterAtLeast !== undefined && observed.counter < expected.counterAtLeast) {
    problems.push(`attempt counter ${observed.counter}, expected at least ${expected.counterAtLeast}`);
  }
  // On AWS a timed-out or rejected batch item leaves no log line naming the order: its attempts are not visible.
  const attemptsVisible =
    target === 'local' || !((drill === 'timeout' || drill === 'invalid') && source !== 's3' && source !== 'sns');
  const count = observed.attempts.length;
  if (attemptsVisible) {
    const want = expected.attempts;
    if ('exactly' in want ? count !== want.exactly : count < want.min) {
      problems.push(`${count} attempts, expected ${'exactly' in want ? want.exactly : `at least ${want.min}`}`);
    }
  }
  const waits = observed.attempts.slice(1).map((a, i) => (a.at - observed.attempts[i]!.at) * timeScale);
  if (attemptsVisible && expectedWaits.length > 0) {
    const wrong = checkWaits(waits, expectedWaits);
    if (wrong) problems.push(wrong);
  }
  return {
    source,
    drill,
    pass: problems.length === 0,
    problems,
    ...(attemptsVisible ? { attempts: count } : {}),
    waits: attemptsVisible ? waits : [],
    expectedWaits,
    elapsedMs,
  };
}

/** The record shapes of each failure path. */
function checkFailureShape(
  source: VerifySource,
  failure: NonNullable<Observed['failure']>,
  expected: Expectation,
): string[] {
  const body = parseJson(failure.body);
  switch (source) {
    case 's3': {
      const context = body?.['requestContext'] as { condition?: string; approximateInvokeCount?: number } | undefined;
      if (context?.condition !== 'RetriesExhausted')
        return [`on-failure record condition ${context?.condition}, expected RetriesExhausted`];
      if ('exactly' in expected.attempts && context.approximateInvokeCount !== expected.attempts.exactly) {
        return [`on-failure record approximateInvokeCount ${context.approximateInvokeCount}`];
      }
      return body?.['requestPayload'] ? [] : ['on-failure record without requestPayload'];
    }
    case 'sns':
      return failure.attributes['ErrorMessage'] ? [] : ['dead letter without an ErrorMessage attribute'];
    case 'kinesis':
      return body?.['KinesisBatchInfo'] ? [] : ['on-failure record without KinesisBatchInfo'];
    case 'dynamodb':
      return body?.['DDBStreamBatchInfo'] ? [] : ['on-failure record without DDBStreamBatchInfo'];
    default:
      return [];
  }
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes what the case created: its order and attempt rows, its intake item, its objects. */
async function cleanUp(
  ctx: VerifyContext,
  source: VerifySource,
  orderId: string,
  deliveries: readonly Delivery[],
): Promise<void> {
  const info = SOURCE_INFO[source];
  const { dynamodb, s3 } = ctx.clients;
  const table = (key: string): string => outputOf(ctx.outputs, info.pattern, key);
  await dynamodb.send(new DeleteItemCommand({ TableName: table('OrdersTableName'), Key: { orderId: { S: orderId } } }));
  await dynamodb.send(
    new DeleteItemCommand({
      TableName: table('AttemptsTableName'),
      Key: { attemptKey: { S: `${info.orderSource}#${orderId}` } },
    }),
  );
  if (source === 'dynamodb') {
    await dynamodb.send(
      new DeleteItemCommand({ TableName: table('IntakeTableName'), Key: { orderId: { S: orderId } } }),
    );
  }
  if (source === 's3') {
    for (const d of deliveries) await s3.send(new DeleteObjectCommand({ Bucket: table('BucketName'), Key: d.eventId }));
  }
}
