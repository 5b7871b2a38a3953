import type { TimelineChange } from '../core/contracts';
import type { Timeline } from '../core/timeline';

/**
 * Conditions under which Lambda gives an event or a record up for its age: asynchronous invocation's
 * `EventAgeExceeded`, and the stream mappings' record age (the engine names it
 * `MaximumRecordAgeExceeded`; AWS does not document the name).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
const AGE_CONDITIONS = new Set(['EventAgeExceeded', 'MaximumRecordAgeExceeded']);

/** Events given up for their age, by function and condition. */
export interface ExpiryCount {
  readonly functionName: string;
  readonly condition: string;
  /** Where they went: `destination`, `dead-letter` or `discarded`. */
  readonly outcome: string;
  readonly count: number;
}

/**
 * Makes expiry by age loud: every event the timeline finishes with an age condition is counted, and
 * once per interval the engine's output gets one line per function saying how many expired and why.
 * An expiry is the one failure path a healthy pipeline never takes, so it must not pass unseen.
 */
export class ExpiryReport {
  private readonly totals = new Map<string, ExpiryCount>();
  private pending = new Map<string, ExpiryCount>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    timeline: Timeline,
    private readonly log: (line: string) => void,
    intervalMs = 1000,
  ) {
    this.unsubscribe = timeline.subscribe((change) => this.observe(change));
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Everything expired since the engine started. */
  counts(): ExpiryCount[] {
    return [...this.totals.values()];
  }

  /** Writes what is pending and stops listening. */
  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.flush();
  }

  private observe({ event, step }: TimelineChange): void {
    const condition = step?.detail?.['condition'];
    if (event.status === 'in-flight' || typeof condition !== 'string' || !AGE_CONDITIONS.has(condition)) return;
    const key = `${event.functionName ?? '?'}\u0000${condition}\u0000${step!.kind}`;
    for (const map of [this.totals, this.pending]) {
      const before = map.get(key);
      map.set(key, {
        functionName: event.functionName ?? '?',
        condition,
        outcome: step!.kind,
        count: (before?.count ?? 0) + 1,
      });
    }
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const pending = this.pending;
    this.pending = new Map();
    for (const { functionName, condition, outcome, count } of pending.values()) {
      const what = condition === 'EventAgeExceeded' ? 'events' : 'records';
      this.log(`Expired by age: ${count} ${what} of ${functionName} (${condition}) → ${outcome}`);
    }
  }
}
