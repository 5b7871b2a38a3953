/**
 * Outcomes of recording several orders from one asynchronous event (an S3 file, an SNS message).
 */
import type { OrderValidation } from './order';
import type { RecordResult } from './record-order';

/** What happened to one order of an event. */
export type ItemOutcome =
  { readonly ok: true; readonly result: RecordResult } | { readonly ok: false; readonly reason: string };

/** Summary of an event; `failures` is empty when every order was recorded. */
export interface EventSummary {
  readonly recorded: readonly RecordResult[];
  readonly failures: readonly string[];
}

/** Splits outcomes into recorded results and failure reasons (pure). */
export function summarize(outcomes: readonly ItemOutcome[]): EventSummary {
  return {
    recorded: outcomes.flatMap((o) => (o.ok ? [o.result] : [])),
    failures: outcomes.flatMap((o, index) => (o.ok ? [] : [`#${index}: ${o.reason}`])),
  };
}

/**
 * Records each valid order in turn and collects every outcome, so one bad order does not hide the others.
 * Already-recorded orders are skipped by idempotency when Lambda retries the whole event.
 */
export async function recordEach(
  validations: readonly OrderValidation[],
  record: (validation: Extract<OrderValidation, { ok: true }>) => Promise<RecordResult>,
): Promise<ItemOutcome[]> {
  const outcomes: ItemOutcome[] = [];
  for (const validation of validations) {
    if (!validation.ok) {
      outcomes.push({ ok: false, reason: validation.reason });
      continue;
    }
    try {
      outcomes.push({ ok: true, result: await record(validation) });
    } catch (error) {
      outcomes.push({ ok: false, reason: `${validation.order.orderId}: ${errorMessage(error)}` });
    }
  }
  return outcomes;
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Thrown when some orders of an asynchronous event failed, so Lambda retries the event and then uses the DLQ or the on-failure destination. */
export class EventFailedError extends Error {
  constructor(what: string, summary: EventSummary) {
    super(
      `${summary.failures.length} of ${summary.failures.length + summary.recorded.length} orders in ${what} failed: ${summary.failures.join('; ')}`,
    );
    this.name = 'EventFailedError';
  }
}
