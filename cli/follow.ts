/**
 * `--follow`: what happens to what was sent, step by step, until it settles or the bound passes.
 * Locally the steps come from the engine's timeline; on AWS from what AWS shows (tables, queues, logs).
 */
import type { Delivery } from './send';
import { SOURCE_INFO } from './sources';
import type { RunWatch } from './watch';

/** One thing that happened to a delivery, printed once. */
export interface Step {
  readonly orderId: string;
  /** Stable key: a step is printed when its key is first seen. */
  readonly key: string;
  readonly text: string;
}

/** Where a delivery stands. */
export interface DeliveryState {
  readonly delivery: Delivery;
  readonly attempts: number;
  readonly recorded: boolean;
  /** The failure queue holding it, if it got there. */
  readonly failedTo?: string;
  readonly settled: boolean;
  readonly steps: readonly Step[];
}

/** Reads where each delivery stands now. */
export async function readStates(watch: RunWatch, deliveries: readonly Delivery[]): Promise<DeliveryState[]> {
  await watch.refresh(deliveries);
  return Promise.all(deliveries.map((d) => readState(watch, d)));
}

async function readState(watch: RunWatch, delivery: Delivery): Promise<DeliveryState> {
  const failure = await watch.failure(delivery);
  await watch.success(delivery);
  const recorded = await watch.recorded(delivery);
  const attempts = watch.attempts(delivery);
  const steps: Step[] = [];
  const add = (key: string, text: string): void => {
    steps.push({ orderId: delivery.orderId, key: `${delivery.orderId}:${delivery.eventId}:${key}`, text });
  };
  const timeline = watch.timelineOf(delivery);
  if (timeline.length > 0) {
    timeline.forEach((event, e) =>
      event.steps.forEach((step, i) => {
        const text = describeStep(step);
        if (text) add(`t${e}.${i}`, text);
      }),
    );
  } else {
    attempts.forEach((a, i) => add(`a${i}`, `attempt ${i + 1} ${a.outcome === 'success' ? 'succeeded' : 'failed'}`));
  }
  if (recorded) add('recorded', 'recorded in the orders table');
  if (failure) {
    const body = failure.body.length > 160 ? `${failure.body.slice(0, 157)}...` : failure.body;
    add('failure', `on ${failure.queue} (this run's message, now deleted from it): ${body}`);
  }
  const synchronous =
    delivery.source === 'api' || delivery.source === 'get' || (delivery.source === 'invoke' && delivery.status !== 202);
  const timelineDone = watch.timelineSettled(delivery);
  // The engine may mark an event dead-lettered a moment before its message is on the queue: wait for it.
  const awaitingQueue =
    SOURCE_INFO[delivery.source].failureQueue !== undefined &&
    failure === undefined &&
    timeline.some(
      (e) =>
        e.status === 'dead-lettered' ||
        e.steps.some((s) => s.kind === 'destination' && s.detail?.['condition'] !== 'Success'),
    );
  const settled =
    timelineDone === undefined ? synchronous || recorded || failure !== undefined : timelineDone && !awaitingQueue;
  return {
    delivery,
    attempts: attempts.length,
    recorded,
    ...(failure ? { failedTo: failure.queue } : {}),
    settled: settled && timelineDone !== false,
    steps,
  };
}

/** A timeline step as a line; undefined for steps not worth a line. */
export function describeStep(step: {
  readonly kind: string;
  readonly attempt?: number;
  readonly outcome?: string;
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly durationMs?: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}): string | undefined {
  const detail = step.detail ?? {};
  switch (step.kind) {
    case 'received':
      return 'received';
    case 'attempt': {
      const n = step.attempt ? ` ${step.attempt}` : '';
      const took = step.durationMs === undefined ? '' : ` in ${Math.round(step.durationMs)} ms`;
      if (step.outcome === 'success') return `attempt${n} succeeded${took}`;
      const why = step.errorType ? ` (${step.errorType}${step.errorMessage ? `: ${step.errorMessage}` : ''})` : '';
      return `attempt${n} ${step.outcome === 'timeout' ? 'timed out' : 'failed'}${took}${why}`;
    }
    case 'retry-scheduled':
      return `retry due${typeof detail['delayMs'] === 'number' ? ` in ${Math.round(detail['delayMs'] / 1000)} s` : ''}`;
    case 'returned-to-queue':
      return 'returned to the queue (visible again after the visibility timeout)';
    case 'bisected':
      return 'batch split in two (bisect on error)';
    case 'dead-letter':
      return 'moved to the dead-letter queue';
    case 'destination':
      return `sent to the ${String(detail['condition'] ?? '')} destination`.replace('  ', ' ');
    case 'discarded':
      return `discarded${detail['reason'] ? ` (${String(detail['reason'])})` : ''}`;
    case 'succeeded':
      return 'done';
    case 'response':
      return `answered HTTP ${String(detail['statusCode'] ?? '')}`;
    case 'throttled':
      return 'throttled';
    default:
      return undefined;
  }
}
