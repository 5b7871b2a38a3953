/**
 * Idempotent order recording with Powertools for AWS Lambda.
 *
 * Event sources deliver at least once (docs/aws-semantics.md §E), so the same order id can arrive twice. The
 * idempotency record (keyed by `orderId`) short-circuits a redelivery and returns the first result; the
 * conditional write in the orders table is a second line of defence after the idempotency record expires.
 *
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import type { Order } from './order';
import { recordOrder, type OrderSource, type RecordResult, type RecordingPorts } from './record-order';

/** Records orders at most once per order id. */
export interface OrderRecorder {
  /** Records the order (running its drill); a repeated order id returns the first result as `duplicate`. */
  record(order: Order, source: OrderSource, ports: RecordingPorts): Promise<RecordResult>;
  /**
   * Call once per invocation: lets an in-progress idempotency record expire at this invocation's deadline, so a
   * retry after a timeout is not blocked until the record's TTL.
   */
  registerContext(context: Context): void;
}

/**
 * Builds an {@link OrderRecorder} over a Powertools persistence layer (DynamoDB in Lambda, in-memory in tests).
 *
 * @param expiresAfterSeconds how long a completed order id is remembered
 */
export function createOrderRecorder(
  persistenceStore: BasePersistenceLayer,
  expiresAfterSeconds: number,
): OrderRecorder {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'orderId',
    expiresAfterSeconds,
    throwOnNoIdempotencyKey: true,
    // A replayed result is the stored first result; mark it so logs and responses tell the two apart
    responseHook: (response) =>
      typeof response === 'object' && response !== null && !Array.isArray(response)
        ? { ...response, status: 'duplicate' }
        : response,
  });
  const idempotentRecord = makeIdempotent(
    (order: Order, source: OrderSource, ports: RecordingPorts) => recordOrder(order, source, ports),
    // One key space per stack: the same order id is recorded once whichever function of the stack sees it first
    { persistenceStore, config, keyPrefix: 'order', dataIndexArgument: 0 },
  );
  return {
    record: idempotentRecord,
    registerContext: (context) => config.registerLambdaContext(context),
  };
}
