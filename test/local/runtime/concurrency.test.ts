import { type InvokeResult, type LambdaRuntime, ThrottledError } from '../../../local/runtime';
import { engineRuntime, fixtureFunction, sleep } from './helpers';

let runtime: LambdaRuntime;

beforeEach(() => {
  runtime = engineRuntime({ localConcurrencyCap: 10 });
});

afterEach(async () => {
  await runtime.stop();
});

/** Wall-clock end of an invocation. */
function endOf(result: InvokeResult): number {
  return result.startedAt + result.durationMs;
}

describe('reserved concurrency', () => {
  it('throttles an invocation beyond the reserved concurrency with TooManyRequestsException', async () => {
    // GIVEN a function with reserved concurrency 1 that is busy
    const fn = fixtureFunction('index.sleep', { reservedConcurrency: 1 });
    runtime.register(fn);
    const running = runtime.invoke(fn.name, { payload: '{"ms":300}' });

    // WHEN a second invocation arrives meanwhile
    const second = runtime.invoke(fn.name, { payload: '{"ms":1}' });

    // THEN it is throttled with the reason the Invoke API returns, and the first still succeeds
    await expect(second).rejects.toThrow(ThrottledError);
    await expect(second).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      functionName: fn.name,
      reservedConcurrency: 1,
    });
    expect((await running).outcome).toBe('success');
    expect(runtime.stats(fn.name)).toMatchObject({ throttles: 1, invocations: 1 });
  });

  it('admits a new invocation once the reserved concurrency is free again', async () => {
    // GIVEN a function with reserved concurrency 1 that has finished an invocation
    const fn = fixtureFunction('index.counter', { reservedConcurrency: 1 });
    runtime.register(fn);
    await runtime.invoke(fn.name, { payload: '{}' });

    // WHEN it is invoked again THEN it runs
    expect((await runtime.invoke(fn.name, { payload: '{}' })).payload).toBe('2');
  });

  it('throttles every invocation of a function with reserved concurrency 0', async () => {
    // GIVEN a function reserved at 0 WHEN it is invoked THEN it is throttled
    const fn = fixtureFunction('index.counter', { reservedConcurrency: 0 });
    runtime.register(fn);
    await expect(runtime.invoke(fn.name, { payload: '{}' })).rejects.toThrow(ThrottledError);
  });
});

describe('local concurrency cap', () => {
  it('scales out to one environment per concurrent invocation', async () => {
    // GIVEN a function under the default cap
    const fn = fixtureFunction('index.sleep');
    runtime.register(fn);

    // WHEN three invocations overlap
    const results = await Promise.all([1, 2, 3].map(() => runtime.invoke(fn.name, { payload: '{"ms":100}' })));

    // THEN three cold environments served them
    expect(new Set(results.map((r) => r.environmentId)).size).toBe(3);
    expect(results.every((r) => r.coldStart)).toBe(true);
    expect(runtime.stats(fn.name)).toMatchObject({ environments: 3, idle: 3, coldStarts: 3 });
  });

  it('makes invocations beyond the local cap wait for a free environment instead of throttling', async () => {
    // GIVEN a function capped at one local environment
    const fn = fixtureFunction('index.sleep', { localConcurrencyCap: 1 });
    runtime.register(fn);

    // WHEN two invocations arrive together
    const first = runtime.invoke(fn.name, { payload: '{"ms":200}' });
    const second = runtime.invoke(fn.name, { payload: '{"ms":1}' });
    await sleep(50);
    const whileWaiting = runtime.stats(fn.name);
    const [a, b] = await Promise.all([first, second]);

    // THEN the second waited, then ran warm in the same environment after the first ended
    expect(whileWaiting).toMatchObject({ waiting: 1, inFlight: 2, environments: 1 });
    expect(a.outcome).toBe('success');
    expect(b.outcome).toBe('success');
    expect(b.environmentId).toBe(a.environmentId);
    expect(b.coldStart).toBe(false);
    expect(b.startedAt).toBeGreaterThanOrEqual(Math.floor(endOf(a)));
  });

  it('gives a waiting invocation a new environment when the busy one failed', async () => {
    // GIVEN a function capped at one environment whose first invocation exits the process
    const exiting = fixtureFunction('index.exit', { localConcurrencyCap: 1 });
    runtime.register(exiting);

    // WHEN two invocations arrive together
    const [a, b] = await Promise.all([
      runtime.invoke(exiting.name, { payload: '{}' }),
      runtime.invoke(exiting.name, { payload: '{}' }),
    ]);

    // THEN each crashed in its own environment: a failed environment is never reused
    expect([a.outcome, b.outcome]).toEqual(['crash', 'crash']);
    expect(b.environmentId).not.toBe(a.environmentId);
    expect(b.coldStart).toBe(true);
  });
});
