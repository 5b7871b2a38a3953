/** A pending timer of a {@link Clock}. */
export interface Timer {
  cancel(): void;
}

/**
 * Every wait the engine makes goes through one clock (docs/engine-fidelity.md, "Time"): retry delays,
 * visibility timeouts, batching windows, long polls, and the ages they add up to run on its virtual
 * time, which a time scale may speed up. Function code and function timeouts run in real time, and
 * every timestamp a function, a record or an API response shows comes from {@link wallNow}: the time
 * scale speeds up waits, never the wall clock.
 */
export interface Clock {
  /**
   * Virtual epoch milliseconds: what deadlines of waits (visibility, retention, deduplication
   * windows, iterator expiry) are measured in. Never shown as a timestamp.
   */
  now(): number;
  /** Real epoch milliseconds, for every timestamp an event, a record or a response carries. */
  wallNow(): number;
  /** Virtual milliseconds that pass while `realMs` real milliseconds do. */
  toVirtualMs(realMs: number): number;
  /** Real milliseconds that pass while `virtualMs` virtual milliseconds do. */
  toRealMs(virtualMs: number): number;
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

  wallNow(): number {
    return Date.now();
  }

  toVirtualMs(realMs: number): number {
    return realMs * this.scale;
  }

  toRealMs(virtualMs: number): number {
    return virtualMs / this.scale;
  }

  /**
   * Node.js starts a timer from the event loop's cached time, so a timer may fire a few real ms before
   * `Date.now()` says it is due — at 600× that is seconds of virtual time. The timer re-arms until
   * {@link now} has reached its due time, so a wait never ends early on this clock.
   */
  setTimeout(fn: () => void, ms: number): Timer {
    const dueAt = this.now() + Math.max(0, ms);
    let handle: NodeJS.Timeout;
    const arm = (virtualMs: number): void => {
      handle = setTimeout(() => {
        const left = dueAt - this.now();
        if (left > 0) arm(left);
        else fn();
      }, this.toRealMs(virtualMs));
    };
    arm(Math.max(0, ms));
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

/**
 * The wall-clock time at which a wait of `virtualMs` that starts now ends, for timestamps shown
 * about a scheduled wait (a retry's `retryAt`, a message's `visibleAgainAt`).
 */
export function wallTimeAfter(clock: Clock, virtualMs: number): number {
  return clock.wallNow() + clock.toRealMs(virtualMs);
}
