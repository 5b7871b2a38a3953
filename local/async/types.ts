import type { Timeline } from '../core/timeline';

/** The logger the engine's runners take; `console` fits. */
export interface EngineLogger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: EngineLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The part of the {@link Timeline} a runner writes to. */
export type TimelineWriter = Pick<Timeline, 'start' | 'step' | 'finish'>;
