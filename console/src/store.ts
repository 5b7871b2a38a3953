/**
 * The console's copy of the timeline: every event by id, newest first, and the counters of each
 * function, updated incrementally from each change (the old version's share out, the new one's in).
 */
import type { LabEvent } from './lab';

/** What the pipeline diagram counts, per function. */
export interface Counters {
  /** Events received. */
  received: number;
  attempts: number;
  /** Retries scheduled (asynchronous, stream) and messages returned to the queue (SQS). */
  retries: number;
  throttled: number;
  inFlight: number;
  succeeded: number;
  /** Ended failed, dead-lettered or discarded. */
  failed: number;
  /** Sent to a dead-letter queue. */
  deadLettered: number;
  /** Failure records sent to an on-failure destination. */
  onFailure: number;
  /** Success records sent to an on-success destination. */
  onSuccess: number;
  discarded: number;
}

/** Counters at zero. */
export function zeroCounters(): Counters {
  return {
    received: 0,
    attempts: 0,
    retries: 0,
    throttled: 0,
    inFlight: 0,
    succeeded: 0,
    failed: 0,
    deadLettered: 0,
    onFailure: 0,
    onSuccess: 0,
    discarded: 0,
  };
}

/** One event's share of its function's counters. */
export function countersOf(event: LabEvent): Counters {
  const c = zeroCounters();
  c.received = 1;
  for (const step of event.steps) {
    if (step.kind === 'attempt') c.attempts += 1;
    else if (step.kind === 'retry-scheduled' || step.kind === 'returned-to-queue') c.retries += 1;
    else if (step.kind === 'throttled') c.throttled += 1;
    else if (step.kind === 'destination') {
      if (step.detail?.condition === 'Success') c.onSuccess += 1;
      else c.onFailure += 1;
    }
  }
  if (event.status === 'in-flight') c.inFlight = 1;
  else if (event.status === 'succeeded') c.succeeded = 1;
  else c.failed = 1;
  if (event.status === 'dead-lettered') c.deadLettered = 1;
  if (event.status === 'discarded') c.discarded = 1;
  return c;
}

function addInto(target: Counters, share: Counters, sign: 1 | -1): void {
  for (const key of Object.keys(share) as Array<keyof Counters>) target[key] += sign * share[key];
}

/** Events the list keeps, like the engine's timeline; counters keep counting past it. */
export const CAPACITY = 5_000;

/** Events and counters, with listeners told about each batch of changes. */
export class EventStore {
  private readonly byId = new Map<string, LabEvent>();
  /** Newest first. */
  private ordered: LabEvent[] = [];
  private readonly counters = new Map<string, Counters>();
  private readonly listeners = new Set<(changed: readonly LabEvent[]) => void>();
  private pending: LabEvent[] = [];
  private scheduled = false;

  /** All events, newest first. */
  all(): readonly LabEvent[] {
    return this.ordered;
  }

  get(id: string): LabEvent | undefined {
    return this.byId.get(id);
  }

  /** The counters of a function (zero when it has no events yet). */
  countersFor(functionName: string): Counters {
    return this.counters.get(functionName) ?? zeroCounters();
  }

  /** Replaces everything with a fresh list (newest first), as `/_lab/events` returns it. */
  reset(events: readonly LabEvent[]): void {
    this.byId.clear();
    this.counters.clear();
    this.ordered = [];
    for (const event of [...events].reverse()) this.apply(event);
    this.notify([...events]);
  }

  /** Takes one change from the stream; listeners hear about changes once per animation frame. */
  update(event: LabEvent): void {
    this.apply(event);
    this.pending.push(event);
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      const changed = this.pending;
      this.pending = [];
      this.notify(changed);
    });
  }

  subscribe(listener: (changed: readonly LabEvent[]) => void): void {
    this.listeners.add(listener);
  }

  private apply(event: LabEvent): void {
    const old = this.byId.get(event.id);
    const fn = event.functionName ?? '(none)';
    let counters = this.counters.get(fn);
    if (!counters) this.counters.set(fn, (counters = zeroCounters()));
    if (old) {
      addInto(this.counters.get(old.functionName ?? '(none)') ?? counters, countersOf(old), -1);
      const i = this.ordered.indexOf(old);
      if (i >= 0) this.ordered[i] = event;
    } else {
      this.ordered.unshift(event);
      if (this.ordered.length > CAPACITY) {
        const oldest = this.ordered.pop();
        if (oldest) this.byId.delete(oldest.id);
      }
    }
    addInto(counters, countersOf(event), 1);
    this.byId.set(event.id, event);
  }

  private notify(changed: readonly LabEvent[]): void {
    for (const listener of this.listeners) listener(changed);
  }
}
