/** A pending timer of a {@link Clock}. */
export interface Timer {
  cancel(): void;
}

/**
 * Every wait the engine makes goes through one clock (DESIGN.md, "A virtual clock"): retry delays,
 * visibility timeouts, batching windows, event and record ages. Function code and function
 * timeouts run in real time.
 */
export interface Clock {
  /** Virtual epoch milliseconds. */
  now(): number;
  /** Runs `fn` after `ms` virtual milliseconds. */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Resolves after `ms` virtual milliseconds, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A clock whose virtual time runs `scale` times faster than real time from the moment it is made:
 * with scale 60 a one-minute retry delay takes one real second.
 */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now();

  /** @param scale virtual seconds per real second; 1 is real time. */
  constructor(readonly scale = 1) {
    if (!(scale > 0) || !Number.isFinite(scale))
      throw new Error(`time scale must be a positive number (given ${scale})`);
  }

  now(): number {
    return this.realStart + (Date.now() - this.realStart) * this.scale;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const handle = setTimeout(fn, Math.max(0, ms / this.scale));
    return { cancel: () => clearTimeout(handle) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const timer = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        timer.cancel();
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Real time. */
export const realClock: Clock = new ScaledClock(1);
