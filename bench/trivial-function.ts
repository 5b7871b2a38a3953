import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LambdaRuntime } from '../local/runtime';

/** A local runtime with one function named `trivial`, for benchmarks that measure the engine, not the code. */
export interface TrivialRuntime {
  readonly runtime: LambdaRuntime;
  /** Stops the runtime and removes the function's code folder. */
  stop(): Promise<void>;
}

/** Starts a {@link LambdaRuntime} with `trivial`, whose handler is `source` (CommonJS `index.js`). */
export function trivialRuntime(source: string, region: string, accountId: string): TrivialRuntime {
  const codeDir = mkdtempSync(path.join(os.tmpdir(), 'bench-trivial-'));
  writeFileSync(path.join(codeDir, 'index.js'), `${source}\n`);
  const runtime = new LambdaRuntime({ region, accountId });
  runtime.register({
    name: 'trivial',
    arn: `arn:aws:lambda:${region}:${accountId}:function:trivial`,
    handler: 'index.handler',
    codeDir,
    runtime: 'nodejs22.x',
    timeoutSeconds: 3,
    memorySizeMb: 128,
    environment: {},
  });
  return {
    runtime,
    async stop() {
      await runtime.stop();
      rmSync(codeDir, { recursive: true, force: true });
    },
  };
}
