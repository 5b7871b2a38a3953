/** The process's streams and environment, passed in so commands can be run and observed in tests. */
import { SingleBar } from 'cli-progress';
import pc from 'picocolors';

/** Where a command writes and what it reads from the environment. */
export interface Io {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Colours for one stream: none when it is not a terminal or `NO_COLOR` is set (https://no-color.org). */
export function colours(io: Io, stream: 'stdout' | 'stderr' = 'stdout'): ReturnType<typeof pc.createColors> {
  const enabled = io[stream].isTTY === true && !io.env['NO_COLOR'] && io.env['TERM'] !== 'dumb';
  return pc.createColors(enabled);
}

/** Progress of a burst or a run: a bar on a terminal, nothing otherwise (plain lines are printed instead). */
export interface Progress {
  update(done: number, label: string): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; otherwise one that draws nothing. */
export function progress(io: Io, total: number, what: string): Progress {
  if (io.stderr.isTTY !== true || total <= 1) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${what} [{bar}] {value}/{total} {label}`,
    stream: io.stderr as NodeJS.WritableStream,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0, { label: '' });
  return { update: (done, label) => bar.update(done, { label }), stop: () => bar.stop() };
}
