import { existsSync } from 'node:fs';
import path from 'node:path';
import { type ErrorPayload, type LambdaRuntime, RESPONSE_LIMIT_BYTES } from '../../../local/runtime';
import { engineRuntime, fixtureFunction, parsed, removeTempDirs, sleep, tempDir } from './helpers';

let runtime: LambdaRuntime;

beforeEach(() => {
  runtime = engineRuntime();
});

afterEach(async () => {
  await runtime.stop();
  removeTempDirs();
});

describe('errors the handler returns', () => {
  it('reports a thrown Error with its name, message and stack lines, and keeps the environment', async () => {
    // GIVEN a handler that throws a TypeError
    const fn = fixtureFunction('index.throwError');
    runtime.register(fn);

    // WHEN it is invoked twice
    const first = await runtime.invoke(fn.name, { payload: '{}' });
    const second = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN the error payload is the runtime's shape and the warm environment served the second call
    expect(first.outcome).toBe('error');
    expect(first.functionError).toBe('Unhandled');
    const error = parsed<ErrorPayload>(first.payload);
    expect(error.errorType).toBe('TypeError');
    expect(error.errorMessage).toBe('boom');
    expect(error.trace?.[0]).toBe('TypeError: boom');
    expect(error.trace?.[1]).toMatch(/^ {4}at .*fixtures\/cjs\/index\.js:\d+:\d+\)?$/);
    expect(first.logs).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"boom"/);
    expect(second.coldStart).toBe(false);
    expect(second.environmentId).toBe(first.environmentId);
  });

  it('reports a thrown non-Error value with its typeof and an empty trace', async () => {
    // GIVEN a handler that throws a string WHEN it is invoked
    const fn = fixtureFunction('index.throwString');
    runtime.register(fn);
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN errorType is "string"
    expect(parsed(result.payload)).toEqual({ errorType: 'string', errorMessage: 'plain failure', trace: [] });
  });

  it('reports a rejected promise like a thrown error', async () => {
    // GIVEN a handler that returns a rejected promise WHEN it is invoked
    const fn = fixtureFunction('index.rejectError');
    runtime.register(fn);
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN the rejection reason is the error
    expect(result.outcome).toBe('error');
    expect(result.error).toMatchObject({ errorType: 'RangeError', errorMessage: 'rejected' });
  });

  it('reports a result that JSON cannot represent as Runtime.JSONStringifyError', async () => {
    // GIVEN a handler that returns a circular object WHEN it is invoked
    const fn = fixtureFunction('index.circular');
    runtime.register(fn);
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN the runtime's error is returned
    expect(result.error).toMatchObject({
      errorType: 'Runtime.JSONStringifyError',
      errorMessage: 'Unable to stringify response body',
    });
  });

  it('reports a result over 6,291,556 bytes as Function.ResponseSizeTooLarge', async () => {
    // GIVEN a handler whose JSON result is 2 bytes over the limit (the quotes)
    const fn = fixtureFunction('index.tooLarge');
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN Lambda's error replaces the result
    expect(result.functionError).toBe('Unhandled');
    expect(parsed(result.payload)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`,
    });
  });
});

describe('timeouts', () => {
  it('stops a handler at its timeout, answers Sandbox.Timedout and replaces the environment', async () => {
    // GIVEN a 1 s function whose handler would write a file 300 ms after its deadline
    const dir = tempDir('runtime-timeout-');
    const file = path.join(dir, 'late-side-effect');
    const fn = fixtureFunction('index.sideEffectAfter', { timeoutSeconds: 1 });
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, {
      payload: JSON.stringify({ file, afterMs: 1300 }),
      requestId: 'req-timeout',
    });

    // THEN the caller gets the current timeout error after ~1 s
    expect(result.outcome).toBe('timeout');
    expect(result.functionError).toBe('Unhandled');
    expect(parsed(result.payload)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: req-timeout Error: Task timed out after 1.00 seconds',
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.durationMs).toBeLessThan(2500);
    expect(result.logs).toMatch(/\n\d{4}-\d{2}-\d{2}T[\d:.]+Z req-timeout Task timed out after 1\.00 seconds\nEND /);
    expect(result.logs).toMatch(/\tStatus: timeout\n$/);

    // AND the handler really stopped: its later side effect never happens
    await sleep(500);
    expect(existsSync(file)).toBe(false);

    // AND the next invocation runs in a new environment
    const next = await runtime.invoke(fn.name, { payload: JSON.stringify({ file, afterMs: 0 }) });
    expect(next.coldStart).toBe(true);
    expect(next.environmentId).not.toBe(result.environmentId);
  });

  it('stops an infinite loop at the timeout without blocking the host', async () => {
    // GIVEN a 1 s function that spins forever
    const fn = fixtureFunction('index.loop', { timeoutSeconds: 1 });
    runtime.register(fn);

    // WHEN it is invoked while the host keeps a timer running
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 50);
    const result = await runtime.invoke(fn.name, { payload: '{}' });
    clearInterval(ticker);

    // THEN it timed out and the host's event loop kept turning
    expect(result.outcome).toBe('timeout');
    expect(result.error?.errorType).toBe('Sandbox.Timedout');
    expect(ticks).toBeGreaterThan(10);
  });
});

describe('crashes', () => {
  it('reports process.exit as Runtime.ExitError and replaces the environment', async () => {
    // GIVEN a handler that calls process.exit(3)
    const fn = fixtureFunction('index.exit');
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, { payload: '{}', requestId: 'req-exit' });

    // THEN the caller gets Lambda's exit error and the environment is gone
    expect(result.outcome).toBe('crash');
    expect(parsed(result.payload)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: req-exit Error: Runtime exited with error: exit status 3',
    });
    expect(result.logs).toContain(
      'RequestId: req-exit Error: Runtime exited with error: exit status 3\nRuntime.ExitError\n',
    );
    expect(runtime.stats(fn.name)?.environments).toBe(0);
  });

  it('reports running out of memory as Runtime.OutOfMemory', async () => {
    // GIVEN a 128 MB function that allocates without end
    const fn = fixtureFunction('index.oom', { memorySizeMb: 128, timeoutSeconds: 10 });
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, { payload: '{}', requestId: 'req-oom' });

    // THEN the environment died of memory, reported as Lambda does
    expect(result.outcome).toBe('crash');
    expect(parsed(result.payload)).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: 'RequestId: req-oom Error: Runtime exited with error: signal: killed',
    });
    expect(result.maxMemoryUsedMb).toBe(128);
    expect(result.logs).toMatch(/\tStatus: error\tError Type: Runtime\.OutOfMemory\n$/);
  });

  it('reports an exception thrown outside the handler promise and replaces the environment', async () => {
    // GIVEN a handler whose timer throws while it waits
    const fn = fixtureFunction('index.uncaught');
    runtime.register(fn);

    // WHEN it is invoked, then a healthy function is invoked
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN the uncaught error is the answer and the environment is gone
    expect(result.outcome).toBe('crash');
    expect(result.error).toMatchObject({ errorType: 'Error', errorMessage: 'thrown from a timer' });
    expect(result.logs).toMatch(
      /\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"thrown from a timer"/,
    );
    expect(runtime.stats(fn.name)?.environments).toBe(0);
  });
});
