import { run } from '../../cli/program';
import type { Io } from '../../cli/io';

/** What one command line run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command line in-process with captured, non-TTY streams and the given environment. */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
