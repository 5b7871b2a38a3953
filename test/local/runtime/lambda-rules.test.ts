import {
  billedDuration,
  buildEnvironment,
  type EnvironmentInputs,
  exitError,
  heapFlags,
  newLogStreamName,
  reportLine,
  timeoutError,
} from '../../../local/runtime/lambda-rules';

const inputs: EnvironmentInputs = {
  functionName: 'orders',
  handler: 'index.handler',
  runtime: 'nodejs24.x',
  memorySizeMb: 256,
  region: 'eu-west-1',
  logGroupName: '/aws/lambda/orders',
  logStreamName: '2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef',
  codeDir: '/project/cdk.out/asset.abc',
  runtimeDir: '/project/local/runtime/worker',
  nodeModulesDir: '/project/node_modules',
  functionEnvironment: {},
  engineEnvironment: {},
};

describe('buildEnvironment', () => {
  it.each([
    [
      'a reserved name in the template',
      { AWS_LAMBDA_FUNCTION_NAME: 'spoofed' },
      {},
      'AWS_LAMBDA_FUNCTION_NAME',
      'orders',
    ],
    [
      'an engine variable over the template',
      { AWS_ENDPOINT_URL: 'https://x' },
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
      'AWS_ENDPOINT_URL',
      'http://127.0.0.1:4566',
    ],
    ['engine credentials', {}, { AWS_ACCESS_KEY_ID: 'test' }, 'AWS_ACCESS_KEY_ID', 'test'],
    ['an unreserved default overridden by the template', { TZ: 'Europe/Paris' }, {}, 'TZ', 'Europe/Paris'],
  ])('resolves %s', (_case, functionEnvironment, engineEnvironment, name, expected) => {
    // GIVEN variables from the template and the engine WHEN the environment is built
    const env = buildEnvironment({ ...inputs, functionEnvironment, engineEnvironment });

    // THEN the winning value is the expected one
    expect(env[name]).toBe(expected);
  });

  it("gives the function its role's credentials over the engine's", () => {
    // GIVEN engine credentials and the function's role credentials
    const roleCredentials = {
      AWS_ACCESS_KEY_ID: 'ASIALABROLE',
      AWS_SECRET_ACCESS_KEY: 'role-secret',
      AWS_SESSION_TOKEN: 'role-token',
    };
    // WHEN the environment is built
    const env = buildEnvironment({ ...inputs, engineEnvironment: { AWS_ACCESS_KEY_ID: 'local' }, roleCredentials });
    // THEN the three variables are the role's
    expect([env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN]).toEqual([
      'ASIALABROLE',
      'role-secret',
      'role-token',
    ]);
  });

  it("puts the project's node_modules first on NODE_PATH, then the runtime and code dirs", () => {
    // GIVEN the inputs WHEN the environment is built THEN NODE_PATH mirrors Lambda's order
    expect(buildEnvironment(inputs).NODE_PATH).toBe(
      '/project/node_modules:/project/local/runtime/worker:/project/cdk.out/asset.abc',
    );
  });
});

describe('log stream names', () => {
  it('look like Lambda: date, [$LATEST] and 32 hex digits, unique per environment', () => {
    // GIVEN a fixed day WHEN two names are made
    const day = new Date('2026-03-04T05:06:07Z');
    const a = newLogStreamName(day);
    const b = newLogStreamName(day);

    // THEN both have the format and differ
    expect(a).toMatch(/^2026\/03\/04\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });
});

describe('heap limits', () => {
  it("split memory like the Node.js runtime's bootstrap (new space = memory / 10)", () => {
    // GIVEN 1024 MB WHEN the flags are computed THEN semi space is half the new space and old space the rest
    expect(heapFlags(1024)).toEqual(['--max-semi-space-size=51', '--max-old-space-size=922']);
  });
});

describe('REPORT lines', () => {
  it('show Lambda fields with two decimals and a status for failed environments', () => {
    // GIVEN a cold, timed-out invocation WHEN its REPORT line is written
    const line = reportLine({
      requestId: 'r1',
      durationMs: 1000.456,
      billedDurationMs: 1081,
      memorySizeMb: 128,
      maxMemoryUsedMb: 40,
      initDurationMs: 80.1,
      status: 'timeout',
    });

    // THEN the fields are tab-separated as on Lambda
    expect(line).toBe(
      'REPORT RequestId: r1\tDuration: 1000.46 ms\tBilled Duration: 1081 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 80.10 ms\tStatus: timeout\n',
    );
  });

  it('bill whole milliseconds, init included on a cold start', () => {
    // GIVEN durations WHEN billed THEN they round up, with init added
    expect(billedDuration(12.01)).toBe(13);
    expect(billedDuration(12.01, 80.5)).toBe(93);
    expect(billedDuration(0.2)).toBe(1);
  });
});

describe('runtime error payloads', () => {
  it('state the configured timeout with two decimals', () => {
    // GIVEN a 900 s timeout WHEN the error is built THEN the message uses the configured value
    expect(timeoutError('r1', 900_000).errorMessage).toBe('RequestId: r1 Error: Task timed out after 900.00 seconds');
  });

  it('tell exit status 0 apart from other exits', () => {
    // GIVEN exit codes 0 and 1 WHEN the errors are built THEN the messages differ as on Lambda
    expect(exitError('r1', 0).errorMessage).toBe('RequestId: r1 Error: Runtime exited without providing a reason');
    expect(exitError('r1', 1).errorMessage).toBe('RequestId: r1 Error: Runtime exited with error: exit status 1');
  });
});
