import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FunctionNotFoundError, type LambdaRuntime, logTail, RuntimeStoppedError } from '../../../local/runtime';
import {
  engineRuntime,
  FIXTURES,
  fixtureFunction,
  parsed,
  REGION,
  removeTempDirs,
  sleep,
  tempDir,
  waitFor,
} from './helpers';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LOG_STREAM = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;

let runtime: LambdaRuntime;

beforeEach(() => {
  runtime = engineRuntime();
});

afterEach(async () => {
  await runtime.stop();
  removeTempDirs();
});

describe('a successful invocation', () => {
  it('passes the event and a context with the fields of the Node.js runtime', async () => {
    // GIVEN a function with a 3 s timeout and 256 MB
    const fn = fixtureFunction('index.context', { timeoutSeconds: 3, memorySizeMb: 256 });
    runtime.register(fn);

    // WHEN it is invoked with an identity and a base64 client context
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'a' } })).toString('base64');
    const result = await runtime.invoke(fn.name, {
      payload: '{"orderId":7}',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      invokedFunctionArn: `${fn.arn}:live`,
      clientContext,
      identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' },
    });

    // THEN the handler saw Lambda's context object
    expect(result.outcome).toBe('success');
    expect(result.functionError).toBeUndefined();
    const seen = parsed<Record<string, unknown>>(result.payload);
    expect(seen).toMatchObject({
      event: { orderId: 7 },
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `${fn.arn}:live`,
      memoryLimitInMB: '256',
      awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: result.environmentId,
      callbackWaitsForEmptyEventLoop: true,
      identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' },
      clientContext: { custom: { tenant: 'a' } },
    });
    expect(seen.logStreamName).toMatch(LOG_STREAM);
    expect(seen.remainingTimeInMillis).toBeGreaterThan(2800);
    expect(seen.remainingTimeInMillis).toBeLessThanOrEqual(3000);
  });

  it('answers null when the handler returns undefined, with a fresh request id', async () => {
    // GIVEN a handler that returns nothing
    const fn = fixtureFunction('index.returnsUndefined');
    runtime.register(fn);

    // WHEN it is invoked without a request id
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN the payload is null and the request id is a UUID
    expect(result.payload).toBe('null');
    expect(result.requestId).toMatch(REQUEST_ID);
  });

  it('delivers an empty payload as an empty object', async () => {
    // GIVEN a function that echoes its event
    const fn = fixtureFunction('index.context');
    runtime.register(fn);

    // WHEN the payload is empty
    const result = await runtime.invoke(fn.name, { payload: '' });

    // THEN the event is {}
    expect(parsed<{ event: unknown }>(result.payload).event).toEqual({});
  });
});

describe('environment variables', () => {
  it("gives the function its own, the engine's and Lambda's variables, Lambda's reserved ones winning", async () => {
    // GIVEN a function whose template sets its own variables, one of them a reserved name
    const codeDir = path.join(FIXTURES, 'cjs');
    const fn = fixtureFunction('index.env', {
      codeDir,
      memorySizeMb: 512,
      runtime: 'nodejs24.x',
      environment: { TABLE_NAME: 'orders', AWS_REGION: 'us-west-2', POWERTOOLS_SERVICE_NAME: 'orders' },
    });
    runtime.register(fn);

    // WHEN it reads process.env
    const env = parsed<Record<string, string>>((await runtime.invoke(fn.name, { payload: '{}' })).payload);

    // THEN it sees all three sets, with the runtime's value of AWS_REGION
    expect(env).toMatchObject({
      TABLE_NAME: 'orders',
      POWERTOOLS_SERVICE_NAME: 'orders',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      _HANDLER: 'index.env',
      LAMBDA_TASK_ROOT: codeDir,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(LOG_STREAM);
    expect(env.AWS_SESSION_TOKEN).toEqual(expect.any(String));
    expect(env.LAMBDA_RUNTIME_DIR).toEqual(expect.any(String));
    expect(env.NODE_PATH?.split(':')[0]).toBe(path.resolve(__dirname, '..', '..', '..', 'node_modules'));
  });

  it('uses the log group name the definition gives', async () => {
    // GIVEN a function with its own log group
    const fn = fixtureFunction('index.env', { logGroupName: '/training/orders' });
    runtime.register(fn);

    // WHEN it reads its environment
    const env = parsed<Record<string, string>>((await runtime.invoke(fn.name, { payload: '{}' })).payload);

    // THEN AWS_LAMBDA_LOG_GROUP_NAME is that group
    expect(env.AWS_LAMBDA_LOG_GROUP_NAME).toBe('/training/orders');
  });

  it("leaves the host's process.env untouched when a function sets a variable", async () => {
    // GIVEN a function that writes to its process.env
    const fn = fixtureFunction('index.setEnv');
    runtime.register(fn);

    // WHEN it sets a variable
    const result = await runtime.invoke(fn.name, { payload: '{"name":"RUNTIME_TEST_LEAK","value":"inside"}' });

    // THEN the function saw it, the host did not
    expect(parsed<string>(result.payload)).toBe('inside');
    expect(process.env.RUNTIME_TEST_LEAK).toBeUndefined();
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
  });
});

describe('warm and cold starts', () => {
  it('keeps module state in a warm environment and reports the cold start once', async () => {
    // GIVEN a function with a module-level counter
    const fn = fixtureFunction('index.counter');
    runtime.register(fn);

    // WHEN it is invoked three times in a row
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await runtime.invoke(fn.name, { payload: '{}' }));

    // THEN one environment served all three, the counter grew, and only the first was cold
    expect(results.map((r) => parsed<number>(r.payload))).toEqual([1, 2, 3]);
    expect(results.map((r) => r.coldStart)).toEqual([true, false, false]);
    expect(new Set(results.map((r) => r.environmentId)).size).toBe(1);
    expect(results[0]?.initDurationMs).toBeGreaterThan(0);
    expect(results[1]?.initDurationMs).toBeUndefined();
    expect(results[0]?.logs).toMatch(/\tInit Duration: \d+\.\d{2} ms\n$/);
    expect(results[1]?.logs).not.toContain('Init Duration');
    expect(runtime.stats(fn.name)).toMatchObject({ invocations: 3, coldStarts: 1, environments: 1, idle: 1 });
  });

  it('stops idle environments after the idle time, so the next invocation is cold', async () => {
    // GIVEN a runtime that reaps environments idle for 50 ms
    const reaping = engineRuntime({ idleTimeoutMs: 50 });
    const fn = fixtureFunction('index.counter');
    reaping.register(fn);
    try {
      await reaping.invoke(fn.name, { payload: '{}' });

      expect(reaping.stats(fn.name)?.environments).toBe(1);

      // WHEN the function stays idle longer than that
      await sleep(100);

      // THEN its environment is gone and the next invocation starts from scratch
      await waitFor(() => reaping.stats(fn.name)?.environments === 0);
      const next = await reaping.invoke(fn.name, { payload: '{}' });
      expect(next.coldStart).toBe(true);
      expect(parsed<number>(next.payload)).toBe(1);
    } finally {
      await reaping.stop();
    }
  });
});

describe('logs', () => {
  it("frames the function's console lines with START, END and REPORT", async () => {
    // GIVEN a function that logs at every level and writes raw JSON to stdout
    const fn = fixtureFunction('index.logs', { memorySizeMb: 256 });
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, { payload: '{"name":"alpha"}', requestId: 'req-logs-1' });

    // THEN the log has Lambda's lines in order
    const lines = result.logs.trimEnd().split('\n');
    const iso = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
    expect(lines[0]).toBe('START RequestId: req-logs-1 Version: $LATEST');
    expect(lines[1]).toMatch(new RegExp(`^${iso}\treq-logs-1\tINFO\tlog from alpha$`));
    expect(lines[2]).toMatch(new RegExp(`^${iso}\treq-logs-1\tINFO\tinfo { name: 'alpha' }$`));
    expect(lines[3]).toMatch(new RegExp(`^${iso}\treq-logs-1\tWARN\twarn alpha$`));
    expect(lines[4]).toMatch(new RegExp(`^${iso}\treq-logs-1\tERROR\terror alpha$`));
    expect(lines[5]).toBe('{"raw":"alpha","requestId":"req-logs-1"}');
    expect(lines[6]).toBe('END RequestId: req-logs-1');
    expect(lines[7]).toMatch(
      /^REPORT RequestId: req-logs-1\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms$/,
    );
    expect(lines).toHaveLength(8);
  });

  it('attributes each line to its own invocation when two run at once', async () => {
    // GIVEN a function that logs before and after a delay
    const fn = fixtureFunction('index.logs');
    runtime.register(fn);

    // WHEN a slow and a fast invocation overlap
    const [slow, fast] = await Promise.all([
      runtime.invoke(fn.name, { payload: '{"name":"slow","delayMs":150}', requestId: 'req-slow' }),
      runtime.invoke(fn.name, { payload: '{"name":"fast","delayMs":5}', requestId: 'req-fast' }),
    ]);

    // THEN each log holds only its own lines, complete
    expect(slow?.environmentId).not.toBe(fast?.environmentId);
    for (const [result, own, other] of [
      [slow, 'slow', 'fast'],
      [fast, 'fast', 'slow'],
    ] as const) {
      expect(result.logs).toContain(`START RequestId: req-${own} `);
      expect(result.logs).toContain(`\treq-${own}\tERROR\terror ${own}\n`);
      expect(result.logs).toContain(`{"raw":"${own}","requestId":"req-${own}"}`);
      expect(result.logs).toContain(`END RequestId: req-${own}\nREPORT RequestId: req-${own}\t`);
      expect(result.logs).not.toContain(other);
    }
  });

  it("captures Powertools logger's JSON lines with the invocation", async () => {
    // GIVEN a function that logs with Powertools for AWS Lambda
    const fn = fixtureFunction('index.handler', { codeDir: path.join(FIXTURES, 'powertools') });
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, { payload: '{"orderId":"o-1"}', requestId: 'req-pt' });

    // THEN its structured line sits between START and END
    const line = result.logs.split('\n').find((l) => l.startsWith('{'));
    expect(JSON.parse(line ?? 'null')).toMatchObject({
      level: 'INFO',
      message: 'processed',
      service: 'runtime-test',
      orderId: 'o-1',
      function_request_id: 'req-pt',
      function_name: fn.name,
    });
    expect(result.logs.indexOf(line ?? '')).toBeLessThan(result.logs.indexOf('END RequestId: req-pt'));
  });

  it('gives the last 4 KB of a log as base64 for LogType=Tail', () => {
    // GIVEN a log longer than 4 KB
    const log = `${'a'.repeat(5000)}END`;

    // WHEN its tail is taken
    const tail = Buffer.from(logTail(log), 'base64').toString('utf8');

    // THEN it is exactly the last 4096 bytes
    expect(tail).toHaveLength(4096);
    expect(tail.endsWith('aEND')).toBe(true);
  });
});

describe('the AWS SDK the Lambda runtime provides', () => {
  let bundleDir: string;

  beforeEach(() => {
    bundleDir = tempDir('runtime-sdk-');
  });

  it("resolves require('@aws-sdk/client-sqs') from the project for a bundle outside it", async () => {
    // GIVEN a CommonJS bundle in a temp dir that keeps the SDK external
    writeFileSync(
      path.join(bundleDir, 'index.js'),
      "const { SQSClient } = require('@aws-sdk/client-sqs');\n" +
        "exports.handler = async () => ({ client: typeof SQSClient, from: require.resolve('@aws-sdk/client-sqs') });\n",
    );
    const fn = fixtureFunction('index.handler', { codeDir: bundleDir });
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN the SDK loaded from the project's node_modules
    expect(result.outcome).toBe('success');
    const projectModules = path.resolve(__dirname, '..', '..', '..', 'node_modules');
    expect(parsed<{ client: string; from: string }>(result.payload)).toEqual({
      client: 'function',
      from: expect.stringContaining(path.join(projectModules, '@aws-sdk', 'client-sqs')),
    });
  });

  it("resolves import '@aws-sdk/client-sqs' for an ES module bundle outside the project", async () => {
    // GIVEN an ES module bundle in a temp dir that imports the SDK
    writeFileSync(
      path.join(bundleDir, 'index.mjs'),
      "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const handler = async () => typeof SQSClient;\n",
    );
    const fn = fixtureFunction('index.handler', { codeDir: bundleDir });
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN the import resolved
    expect(result.payload).toBe('"function"');
  });
});

describe('registration', () => {
  it('rejects an invocation of an unknown function with ResourceNotFoundException', async () => {
    // GIVEN no function named ghost
    // WHEN it is invoked
    const invocation = runtime.invoke('ghost', { payload: '{}' });

    // THEN the error names the function
    await expect(invocation).rejects.toThrow(FunctionNotFoundError);
    await expect(invocation).rejects.toMatchObject({ name: 'ResourceNotFoundException', functionName: 'ghost' });
  });

  it('rejects settings outside Lambda ranges with the given value', () => {
    // GIVEN a definition with a 901 s timeout
    const fn = fixtureFunction('index.counter', { timeoutSeconds: 901 });

    // WHEN it is registered THEN the message names the setting and the value
    expect(() => runtime.register(fn)).toThrow(
      `function ${fn.name}: timeoutSeconds must be an integer 1-900 (given 901)`,
    );
    expect(runtime.has(fn.name)).toBe(false);
  });
});

describe('stopping', () => {
  it('leaves no environment process running after stop()', async () => {
    // GIVEN two warm environments whose code writes a heartbeat file every 10 ms
    const dir = tempDir('runtime-stop-');
    const heartbeat = path.join(dir, 'beat');
    const fn = fixtureFunction('index.handler', {
      codeDir: path.join(FIXTURES, 'heartbeat'),
      environment: { HEARTBEAT_FILE: heartbeat },
    });
    runtime.register(fn);
    await Promise.all([runtime.invoke(fn.name, { payload: '{}' }), runtime.invoke(fn.name, { payload: '{}' })]);
    expect(runtime.stats(fn.name)?.environments).toBe(2);
    const beats = () => (existsSync(heartbeat) ? statSync(heartbeat).size : 0);
    const before = beats();
    await waitFor(() => beats() > before);

    // WHEN the runtime stops
    await runtime.stop();

    // THEN the heartbeat no longer changes and the runtime takes no invocations
    const after = beats();
    await sleep(100);
    expect(beats()).toBe(after);
    await expect(runtime.invoke(fn.name, { payload: '{}' })).rejects.toThrow(RuntimeStoppedError);
  });

  it('fails a running invocation with RuntimeStoppedError when its function is unregistered', async () => {
    // GIVEN an invocation that sleeps
    const fn = fixtureFunction('index.sleep');
    runtime.register(fn);
    const running = runtime.invoke(fn.name, { payload: '{"ms":2000}' });
    const rejection = expect(running).rejects.toThrow(RuntimeStoppedError);
    await sleep(150);

    // WHEN the function is unregistered
    await runtime.unregister(fn.name);

    // THEN the invocation rejects and the name is free again
    await rejection;
    expect(runtime.has(fn.name)).toBe(false);
  });
});
