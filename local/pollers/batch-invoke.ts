import type { EventSourceKind, InvocationOutcome, Invoker } from '../core/contracts';
import type { Timeline } from '../core/timeline';
import { errorOf } from './types';

/**
 * Invokes a function with one batch and puts the attempt on every record's timeline event.
 *
 * Timeline design: each SQS message and each stream record has its own timeline event, because
 * that is what a student follows. A batch is still one invocation: the invoker records the attempt
 * on the batch's first event (with the request id, outcome, duration and logs), and this adds the
 * same `attempt` step to the other records' events with `detail.batchEventId` pointing at the first
 * event (whose step carries the logs) and `detail.batchSize`.
 */
export async function invokeBatch(args: {
  readonly invoker: Invoker;
  readonly timeline: Timeline;
  readonly functionName: string;
  readonly source: EventSourceKind;
  readonly payload: string;
  /** The records' timeline events, in batch order (at least one). */
  readonly eventIds: readonly string[];
  /** Attempt number per record (an SQS message's receive count, a stream batch's 1 + retries). */
  readonly attempts: readonly number[];
}): Promise<InvocationOutcome> {
  const [first, ...others] = args.eventIds;
  if (first === undefined) throw new Error('a batch needs at least one record');
  const outcome = await args.invoker.invoke(args.functionName, args.payload, {
    eventId: first,
    source: args.source,
    attempt: args.attempts[0] ?? 1,
  });
  const error = outcome.functionError ? errorOf(outcome.payload) : {};
  others.forEach((eventId, i) => {
    args.timeline.step(eventId, {
      kind: 'attempt',
      functionName: args.functionName,
      attempt: args.attempts[i + 1] ?? 1,
      requestId: outcome.requestId,
      outcome: outcome.outcome,
      durationMs: outcome.durationMs,
      coldStart: outcome.coldStart,
      ...error,
      detail: { batchEventId: first, batchSize: args.eventIds.length },
    });
  });
  return outcome;
}
