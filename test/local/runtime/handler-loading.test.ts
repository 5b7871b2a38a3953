import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ErrorPayload, type LambdaRuntime } from '../../../local/runtime';
import { engineRuntime, FIXTURES, fixtureFunction, parsed, removeTempDirs, tempDir } from './helpers';

let runtime: LambdaRuntime;

beforeEach(() => {
  runtime = engineRuntime();
});

afterEach(async () => {
  await runtime.stop();
  removeTempDirs();
});

/** Registers a function for a fixture folder and invokes it once. */
async function invokeOnce(handler: string, folder: string, runtimeId = 'nodejs24.x') {
  const fn = fixtureFunction(handler, { codeDir: path.join(FIXTURES, folder), runtime: runtimeId });
  runtime.register(fn);
  return runtime.invoke(fn.name, { payload: '{"n":1}' });
}

describe('module formats', () => {
  it('runs an ES module handler (.mjs) with top-level await', async () => {
    // GIVEN an .mjs bundle WHEN it is invoked
    const result = await invokeOnce('index.handler', 'esm');

    // THEN it ran as an ES module
    expect(parsed(result.payload)).toEqual({ module: 'esm', loadedAt: 'init', event: { n: 1 } });
  });

  it('loads a .js file as an ES module under a package.json with "type": "module"', async () => {
    // GIVEN app.js beside {"type":"module"} WHEN it is invoked
    const result = await invokeOnce('app.handler', 'esm-type-module');

    // THEN it ran without CommonJS' require
    expect(parsed(result.payload)).toEqual({ module: 'esm' });
  });

  it('runs a CommonJS handler', async () => {
    // GIVEN a CommonJS bundle WHEN it is invoked
    const result = await invokeOnce('index.counter', 'cjs');

    // THEN it answered
    expect(result.payload).toBe('1');
  });

  it('resolves a handler in a subfolder with a nested export path', async () => {
    // GIVEN the handler string lib/service.api.handle WHEN it is invoked
    const result = await invokeOnce('lib/service.api.handle', 'nested');

    // THEN the nested export ran
    expect(parsed(result.payload)).toBe('from lib/service.api.handle');
  });
});

describe('callback handlers', () => {
  it('runs a callback handler on nodejs22.x', async () => {
    // GIVEN a (event, context, callback) handler on nodejs22.x WHEN it is invoked
    const result = await invokeOnce('index.handler', 'callback-handler', 'nodejs22.x');

    // THEN the callback's value is the result
    expect(parsed(result.payload)).toEqual({ via: 'callback', event: { n: 1 } });
  });

  it('fails a callback handler on nodejs24.x with Runtime.CallbackHandlerDeprecated', async () => {
    // GIVEN the same handler on nodejs24.x WHEN it is invoked
    const result = await invokeOnce('index.handler', 'callback-handler', 'nodejs24.x');

    // THEN init fails with the runtime's message
    expect(result.functionError).toBe('Unhandled');
    expect(result.error?.errorType).toBe('Runtime.CallbackHandlerDeprecated');
    expect(result.error?.errorMessage).toMatch(
      /^ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node\.js 24\./,
    );
  });
});

describe('handler errors of the runtime', () => {
  it.each<[string, string, string, string | RegExp]>([
    [
      'a handler string with ..',
      '../index.handler',
      'Runtime.MalformedHandlerName',
      "'../index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
    ],
    ['a handler string without a dot', 'index', 'Runtime.MalformedHandlerName', 'Bad handler'],
    ['a missing module file', 'missing.handler', 'Runtime.ImportModuleError', /^Error: Cannot find module 'missing'/],
    ['a missing export', 'index.nope', 'Runtime.HandlerNotFound', 'index.nope is undefined or not exported'],
    [
      'an export that is not a function',
      'index.notAFunction',
      'Runtime.HandlerNotFound',
      'index.notAFunction is not a function',
    ],
  ])('reports %s as %s', async (_case, handler, errorType, message) => {
    // GIVEN the CommonJS fixture and a bad handler string WHEN it is invoked
    const result = await invokeOnce(handler, 'cjs');

    // THEN the invocation fails with the runtime's error and the environment is discarded
    expect(result.outcome).toBe('crash');
    expect(result.functionError).toBe('Unhandled');
    const error = parsed<ErrorPayload>(result.payload);
    expect(error.errorType).toBe(errorType);
    expect(error.errorMessage).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
    expect(runtime.stats()[0]?.environments).toBe(0);
  });

  it('reports a module that requires a missing package as Runtime.ImportModuleError', async () => {
    // GIVEN a bundle that requires a package nobody installed WHEN it is invoked
    const result = await invokeOnce('index.handler', 'import-error');

    // THEN the import error names the package
    expect(result.error?.errorType).toBe('Runtime.ImportModuleError');
    expect(result.error?.errorMessage).toMatch(/^Error: Cannot find module 'a-package-that-does-not-exist'/);
  });

  it('reports a syntax error in the bundle as Runtime.UserCodeSyntaxError', async () => {
    // GIVEN a bundle that does not parse (written here: a broken fixture file would break the formatter)
    const codeDir = tempDir('runtime-syntax-');
    writeFileSync(path.join(codeDir, 'index.js'), 'exports.handler = async () => {\n  return { broken: ;\n};\n');
    const fn = fixtureFunction('index.handler', { codeDir });
    runtime.register(fn);

    // WHEN it is invoked
    const result = await runtime.invoke(fn.name, { payload: '{}' });

    // THEN the error type is the runtime's, the message the SyntaxError's
    expect(result.error?.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(result.error?.errorMessage).toMatch(/^SyntaxError: /);
  });

  it('logs the init failure before START with an undefined request id, as the runtime does', async () => {
    // GIVEN a bundle that logs and then throws while loading WHEN it is invoked
    const result = await invokeOnce('index.handler', 'throw-at-init');

    // THEN the error is the thrown one and the init output precedes START
    expect(result.error).toMatchObject({ errorType: 'Error', errorMessage: 'cannot start' });
    const [init, rest] = result.logs.split(`START RequestId: ${result.requestId}`);
    expect(init).toMatch(/\tundefined\tINFO\tinit starts\n/);
    expect(init).toMatch(
      /\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"cannot start"/,
    );
    expect(rest).toMatch(/Init Duration: \d+\.\d{2} ms\tStatus: error\tError Type: Error\n$/);
  });

  it('reports process.exit during init as Runtime.ExitError', async () => {
    // GIVEN a bundle that exits while loading WHEN it is invoked
    const result = await invokeOnce('index.handler', 'exit-at-init');

    // THEN the caller gets Lambda's exit error
    expect(result.outcome).toBe('crash');
    expect(result.error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 2`,
    });
    expect(result.logs).toContain('about to exit during init');
  });
});
