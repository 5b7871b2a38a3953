/**
 * Recording an order: apply its drill, then store it once.
 *
 * The storage and the wait go through {@link RecordingPorts}, so this runs unchanged against DynamoDB in Lambda
 * and against in-memory fakes in unit tests.
 */
import { DrillError, needsAttemptCount, planDrill } from './drills';
import type { Drill, Order } from './order';
import { signOrder } from './receipt';

/** Which event source delivered an order; stored with it and part of the drill attempt key. */
export type OrderSource = 'api' | 'file' | 'notification' | 'stream' | 'table-stream' | 'queue' | 'fifo-queue';

/** An order as stored in the stack's orders table. */
export interface StoredOrder extends Order {
  readonly source: OrderSource;
  /** HMAC-SHA256 of the order's canonical form with the receipt key current when it was recorded (`receipt.ts`). */
  readonly signature?: string;
}

/** Outcome of recording: `duplicate` when the order id was already recorded. */
export interface RecordResult {
  readonly orderId: string;
  readonly source: OrderSource;
  readonly status: 'recorded' | 'duplicate';
}

/** The side effects recording needs; implemented over DynamoDB in `dynamodb-ports.ts`. */
export interface RecordingPorts {
  /** Atomically increments and returns the attempt counter stored under `key` (1 on the first call). */
  countAttempt(key: string): Promise<number>;
  /** Stores the order unless one with the same id exists; says which happened. */
  saveOrder(order: StoredOrder): Promise<'recorded' | 'duplicate'>;
  /** Waits until Lambda stops the invocation at its timeout; rejects if it is still running after that. */
  hang(): Promise<never>;
  /** The current receipt key (Secrets Manager, cached): orders are signed with it. */
  receiptKey(): Promise<string>;
}

/** Attempt counters are per source and order, so one order id used in two sources counts separately. */
export function attemptKey(source: OrderSource | 'get', orderId: string): string {
  return `${source}#${orderId}`;
}

/**
 * Runs the drill for one attempt: returns to proceed, throws {@link DrillError} to fail, or hangs.
 */
export async function runDrill(drill: Drill | undefined, key: string, ports: RecordingPorts): Promise<void> {
  const attempt = needsAttemptCount(drill) ? await ports.countAttempt(key) : 1;
  const step = planDrill(drill, attempt);
  if (step.kind === 'fail') throw new DrillError(step.message);
  if (step.kind === 'hang') await ports.hang();
}

/**
 * Applies the order's drill, then stores the order signed with the current receipt key.
 *
 * @throws DrillError when the drill fails this attempt
 */
export async function recordOrder(order: Order, source: OrderSource, ports: RecordingPorts): Promise<RecordResult> {
  await runDrill(order.drill, attemptKey(source, order.orderId), ports);
  const signature = signOrder(order, await ports.receiptKey());
  const status = await ports.saveOrder({ ...order, source, signature });
  return { orderId: order.orderId, source, status };
}
