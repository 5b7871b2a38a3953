import type { Clock } from '../core/clock';

interface Breakpoint {
  /** Wall-clock epoch ms. */
  readonly at: number;
  /** Schedule credit accrued up to `at`, ms. */
  readonly credit: number;
}

/**
 * Ages of records that wait on one shard, counted as Lambda would: real time, plus — while the shard
 * waits on the virtual schedule (a retry back-off, a batching window, an idle poll) — that wait at its
 * virtual length. With a time scale of 60 a 30-second retry back-off takes half a real second, yet
 * every record behind it gets 30 s older; while the function runs or the engine reads a backlog, records
 * age in real time, as they would on AWS. Overlapping waits (lanes of one shard) count once.
 *
 * The credit is kept as breakpoints of a piecewise-linear function of wall time, so the age of a record
 * that arrived in the middle of a wait counts only the part of the wait after its arrival. The oldest
 * breakpoints are forgotten beyond `maxBreakpoints`: a record older than all of them is credited from the
 * oldest kept one on, i.e. it is counted younger, never older, than on AWS.
 */
export class ScheduleLedger {
  private readonly breakpoints: Breakpoint[] = [];
  private active = 0;
  private activeSince = 0;
  private creditBefore = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxBreakpoints = 4096,
  ) {}

  /** Sleeps `ms` virtual ms on the clock, crediting the wait to every record of the shard. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.begin();
    try {
      await this.clock.sleep(ms, signal);
    } finally {
      this.end();
    }
  }

  /** Age in (virtual) ms of a record that arrived at `arrivalMs` (wall-clock epoch ms). */
  ageMs(arrivalMs: number): number {
    const now = this.clock.wallNow();
    return now - arrivalMs + this.creditAt(now) - this.creditAt(arrivalMs);
  }

  /** Schedule credit accrued up to wall time `at`. */
  private creditAt(at: number): number {
    const last = this.breakpoints[this.breakpoints.length - 1];
    if (!last || at >= last.at) {
      return this.active > 0 && at > this.activeSince
        ? this.creditBefore + this.extra(at - this.activeSince)
        : this.creditBefore;
    }
    let lo = 0;
    let hi = this.breakpoints.length - 1;
    if (at <= this.breakpoints[0]!.at) return this.breakpoints[0]!.credit;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.breakpoints[mid]!.at <= at) lo = mid;
      else hi = mid;
    }
    const a = this.breakpoints[lo]!;
    const b = this.breakpoints[hi]!;
    return b.at === a.at ? a.credit : a.credit + ((b.credit - a.credit) * (at - a.at)) / (b.at - a.at);
  }

  /** What a real interval adds to ages beyond itself while the shard waits. */
  private extra(realMs: number): number {
    return Math.max(0, this.clock.toVirtualMs(realMs) - realMs);
  }

  private begin(): void {
    this.active += 1;
    if (this.active > 1) return;
    this.activeSince = this.clock.wallNow();
    this.push({ at: this.activeSince, credit: this.creditBefore });
  }

  private end(): void {
    this.active -= 1;
    if (this.active > 0) return;
    const now = this.clock.wallNow();
    this.creditBefore += this.extra(now - this.activeSince);
    this.push({ at: now, credit: this.creditBefore });
  }

  private push(point: Breakpoint): void {
    this.breakpoints.push(point);
    if (this.breakpoints.length > this.maxBreakpoints) this.breakpoints.splice(0, this.maxBreakpoints >> 1);
  }
}
