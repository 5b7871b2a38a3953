import path from 'node:path';
import { type LambdaRuntime, UnsupportedRuntimeError } from '../../../local/runtime';
import { engineRuntime, FIXTURES, fixtureFunction, parsed } from './helpers';

const PROCESS_FIXTURE = path.join(FIXTURES, 'process');

let runtime: LambdaRuntime;

beforeEach(() => {
  runtime = engineRuntime();
});

afterEach(async () => {
  await runtime.stop();
});

async function invokeProcessFixture<T>(handler: string, overrides: Parameters<typeof fixtureFunction>[1] = {}) {
  const fn = fixtureFunction(handler, { codeDir: PROCESS_FIXTURE, ...overrides });
  runtime.register(fn);
  const result = await runtime.invoke(fn.name, { payload: '{}' });
  return { result, body: parsed<T>(result.payload) };
}

describe("an execution environment's process", () => {
  it.each([
    ['nodejs24.x', 'v24.'],
    ['nodejs22.x', 'v22.'],
    ['nodejs20.x', 'v20.'],
  ])('runs a %s function on Node.js %s', async (runtimeId, majorPrefix) => {
    // GIVEN a function of that runtime WHEN it reports process.version
    const { body } = await invokeProcessFixture<{ version: string }>('index.version', { runtime: runtimeId });

    // THEN it runs on the runtime's own Node.js major, whatever the host runs
    expect(body.version.startsWith(majorPrefix)).toBe(true);
  });

  it('caps the heap by the memory size with the flags of the Node.js bootstrap', async () => {
    // GIVEN a 512 MB function WHEN it reports its Node.js flags
    const { body } = await invokeProcessFixture<{ execArgv: string[] }>('index.version', { memorySizeMb: 512 });

    // THEN they are the heap limits and nothing of the host's (no tsx loader)
    expect(body.execArgv).toEqual(['--max-semi-space-size=25', '--max-old-space-size=461']);
  });

  it('starts in the code folder, as Lambda starts in LAMBDA_TASK_ROOT', async () => {
    // GIVEN a function WHEN it reports its working directory
    const { body } = await invokeProcessFixture<{ cwd: string }>('index.cwd');

    // THEN it is the function's code folder
    expect(body.cwd).toBe(PROCESS_FIXTURE);
  });

  it("applies the environment's TZ to the function's clock", async () => {
    // GIVEN a function whose template sets TZ (an unreserved variable) to Tokyo
    const { body } = await invokeProcessFixture<{ offsetMinutes: number }>('index.timezoneOffset', {
      environment: { TZ: 'Asia/Tokyo' },
    });

    // THEN local time is UTC+9 inside the function
    expect(body.offsetMinutes).toBe(-540);
  });

  it("sees none of the host's own variables", async () => {
    // GIVEN a variable set in the host process only
    process.env.HOST_ONLY_SETTING = 'host';
    try {
      // WHEN a function reads its process.env
      const { body } = await invokeProcessFixture<Record<string, string>>('index.env');

      // THEN the host's variable is not there
      expect(body).not.toHaveProperty('HOST_ONLY_SETTING');
    } finally {
      delete process.env.HOST_ONLY_SETTING;
    }
  });

  it('hides the IPC channel from the function, which has none on Lambda', async () => {
    // GIVEN a function WHEN it looks for process.send THEN there is none
    const { body } = await invokeProcessFixture<{ send: string }>('index.hasIpcChannel');
    expect(body.send).toBe('undefined');
  });

  it("reports the process's peak resident memory as Max Memory Used", async () => {
    // GIVEN a 512 MB function WHEN it keeps 100 MiB of touched memory
    const fn = fixtureFunction('index.allocate', { codeDir: PROCESS_FIXTURE, memorySizeMb: 512 });
    runtime.register(fn);
    const result = await runtime.invoke(fn.name, { payload: '{"mb":100}' });

    // THEN Max Memory Used counts it, as Lambda's REPORT does
    expect(result.outcome).toBe('success');
    expect(result.maxMemoryUsedMb).toBeGreaterThan(100);
    expect(result.logs).toContain(`Max Memory Used: ${result.maxMemoryUsedMb} MB`);
  });
});

describe('runtime identifiers', () => {
  it.each(['nodejs18.x', 'nodejs16.x'])(
    'rejects %s at registration with the InvalidParameterValueException of a deprecated runtime',
    (runtimeId) => {
      // GIVEN a function on a runtime Lambda no longer accepts WHEN it is registered THEN Lambda's error names it
      const fn = fixtureFunction('index.version', { codeDir: PROCESS_FIXTURE, runtime: runtimeId });
      expect(() => runtime.register(fn)).toThrow(UnsupportedRuntimeError);
      expect(() => runtime.register(fn)).toThrow(
        `The runtime parameter of ${runtimeId} is no longer supported for creating or updating AWS Lambda functions.`,
      );
    },
  );

  it('rejects a runtime the engine does not run, naming the ones it does', () => {
    // GIVEN a Python function WHEN it is registered THEN the error lists the supported runtimes
    const fn = fixtureFunction('index.handler', { codeDir: PROCESS_FIXTURE, runtime: 'python3.13' });
    expect(() => runtime.register(fn)).toThrow(
      expect.objectContaining({
        name: 'InvalidParameterValueException',
        message: expect.stringContaining('nodejs20.x, nodejs22.x, nodejs24.x') as unknown,
      }) as Error,
    );
  });
});
