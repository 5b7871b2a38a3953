import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root. */
export const PROJECT_DIR = path.resolve(__dirname, '..', '..');

/** An engine started as a child process (`bin/local.ts`), as a user starts it. */
export interface EngineProcess {
  readonly url: string;
  readonly pid: number;
  /** Everything the engine printed so far (its `Expired by age` lines among them). */
  output(): string;
  stop(): Promise<void>;
}

/** Options of {@link startEngineProcess}. */
export interface EngineProcessOptions {
  /** Stack owner prefix. */
  readonly owner: string;
  /** Cloud assembly folder (synthesized by the engine when stale). */
  readonly cdkOut: string;
  /** @default 60 */
  readonly timeScale?: number;
  /** More `npm start` flags. */
  readonly args?: readonly string[];
}

/** Starts `npm start`'s entry point on a free port and resolves once it prints `Ready in`. */
export function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/local.ts',
      '--port',
      '0',
      '--owner',
      options.owner,
      '--cdk-out',
      options.cdkOut,
      '--time-scale',
      String(options.timeScale ?? 60),
      ...(options.args ?? []),
    ],
    {
      cwd: PROJECT_DIR,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`engine exited with ${code}:\n${output}`));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url && output.includes('Ready in')) {
        child.off('exit', onExit);
        resolve({ url, pid: child.pid!, output: () => output, stop: () => stopChild(child) });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

/** Resident set size of a process in MB, from /proc (Linux); undefined elsewhere. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}
