import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FunctionDefinition, LambdaRuntime, type LambdaRuntimeOptions } from '../../../local/runtime';

/** Folder of the small handler bundles the runtime tests run. */
export const FIXTURES = path.join(__dirname, 'fixtures');

export const REGION = 'eu-west-1';
export const ACCOUNT_ID = '123456789012';

let sequence = 0;

/** A function definition for a fixture bundle, with a unique name so tests never share environments. */
export function fixtureFunction(
  handler: string,
  overrides: Partial<Omit<FunctionDefinition, 'handler'>> = {},
): FunctionDefinition {
  sequence += 1;
  const name = overrides.name ?? `fn-${sequence}`;
  return {
    name,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`,
    handler,
    codeDir: path.join(FIXTURES, 'cjs'),
    runtime: 'nodejs24.x',
    timeoutSeconds: 3,
    memorySizeMb: 256,
    environment: {},
    ...overrides,
  };
}

/** A runtime as the engine builds it, with the engine's endpoint and dummy credentials. */
export function engineRuntime(options: Partial<LambdaRuntimeOptions> = {}): LambdaRuntime {
  return new LambdaRuntime({
    region: REGION,
    accountId: ACCOUNT_ID,
    engineEnvironment: {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
    ...options,
  });
}

/** Parses an invocation's JSON payload. */
export function parsed<T>(payload: string): T {
  return JSON.parse(payload) as T;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds (a busy machine may delay environments), failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

const tempDirs: string[] = [];

/** A fresh temp dir, removed by {@link removeTempDirs} (call it in afterEach so failed tests leave nothing behind). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
