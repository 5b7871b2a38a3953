import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import type {
  EventSourceKind,
  TimelineChange,
  TimelineEvent,
  TimelineFilter,
  TimelineStatus,
  TimelineStep,
} from './contracts';

interface MutableEvent {
  id: string;
  source: EventSourceKind;
  functionName?: string;
  resource?: string;
  summary?: string;
  receivedAt: number;
  status: TimelineStatus;
  steps: TimelineStep[];
}

/**
 * The event timeline: every event's path (received → each attempt → success, DLQ or destination),
 * kept in memory, newest last, bounded so a long run cannot exhaust memory.
 */
export class Timeline {
  private readonly events = new Map<string, MutableEvent>();
  private readonly listeners = new Set<(change: TimelineChange) => void>();

  /**
   * @param clock stamps steps with its wall-clock time
   * @param capacity the oldest events are forgotten beyond this many
   * @param maxSteps steps one event keeps: a record retried for hours keeps its `received` step and its latest ones
   */
  constructor(
    private readonly clock: Clock,
    private readonly capacity = 5_000,
    private readonly maxSteps = 500,
  ) {}

  /** Opens a new event with a `received` step and returns its id. */
  start(init: {
    readonly source: EventSourceKind;
    readonly functionName?: string;
    readonly resource?: string;
    readonly summary?: string;
    readonly detail?: Readonly<Record<string, unknown>>;
  }): string {
    const id = randomUUID();
    const at = this.clock.wallNow();
    const event: MutableEvent = { id, receivedAt: at, status: 'in-flight', steps: [], ...withoutDetail(init) };
    this.events.set(id, event);
    if (this.events.size > this.capacity) {
      const oldest = this.events.keys().next().value;
      if (oldest !== undefined) this.events.delete(oldest);
    }
    this.step(id, { kind: 'received', functionName: init.functionName, detail: init.detail });
    return id;
  }

  /** Appends a step; unknown (forgotten) ids are ignored. */
  step(id: string, step: Omit<TimelineStep, 'at'>): void {
    const event = this.events.get(id);
    if (!event) return;
    const stamped: TimelineStep = { ...step, at: this.clock.wallNow() };
    if (event.steps.length >= this.maxSteps) event.steps.splice(1, 1);
    event.steps.push(stamped);
    this.emit(event, stamped);
  }

  /** Sets where the event ended up, with an optional final step. */
  finish(id: string, status: TimelineStatus, step?: Omit<TimelineStep, 'at'>): void {
    const event = this.events.get(id);
    if (!event) return;
    event.status = status;
    if (step) this.step(id, step);
    else this.emit(event);
  }

  get(id: string): TimelineEvent | undefined {
    const event = this.events.get(id);
    return event && snapshot(event);
  }

  /** Newest first. */
  list(filter: TimelineFilter = {}): TimelineEvent[] {
    const limit = filter.limit ?? 200;
    const out: TimelineEvent[] = [];
    const all = [...this.events.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const e = all[i]!;
      if (filter.functionName && e.functionName !== filter.functionName) continue;
      if (filter.source && e.source !== filter.source) continue;
      if (filter.status && e.status !== filter.status) continue;
      out.push(snapshot(e));
    }
    return out;
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (change: TimelineChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: MutableEvent, step?: TimelineStep): void {
    if (this.listeners.size === 0) return;
    const change: TimelineChange = { event: snapshot(event), step };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A broken listener (a closed console tab) must not break the engine.
      }
    }
  }
}

function snapshot(e: MutableEvent): TimelineEvent {
  return { ...e, steps: [...e.steps] };
}

function withoutDetail<T extends { detail?: unknown }>(init: T): Omit<T, 'detail'> {
  const { detail: _detail, ...rest } = init;
  return rest;
}
