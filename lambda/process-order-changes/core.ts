/**
 * Core of the DynamoDB Streams consumer: decides what a change to the intake table means. Plain data in, plain
 * data out (the handler has already unmarshalled the image).
 */
import { validateOrder, type OrderLimits, type OrderValidation } from '../shared/order';

/** A change as plain data. */
export interface TableChange {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE' | undefined;
  /** The item after the change (`NEW_AND_OLD_IMAGES`), unmarshalled. */
  readonly newImage: Readonly<Record<string, unknown>> | undefined;
  /** The stream record's sequence number. */
  readonly sequenceNumber: string;
}

/** What to do with a change: skip it (with why), or record the order it carries. */
export type ChangePlan =
  { readonly kind: 'skip'; readonly reason: string } | { readonly kind: 'order'; readonly validation: OrderValidation };

/**
 * An inserted or modified intake item is an order (its key attribute is `orderId`); a removal carries no order.
 * A modification of an already-recorded order is a duplicate and records nothing new.
 */
export function planChange(change: TableChange, limits: OrderLimits): ChangePlan {
  if (change.eventName === 'REMOVE') return { kind: 'skip', reason: 'item removed' };
  if (change.newImage === undefined) {
    return { kind: 'order', validation: { ok: false, reason: 'invalid order: the stream record has no NewImage' } };
  }
  return { kind: 'order', validation: validateOrder(change.newImage, `table-${change.sequenceNumber}`, limits) };
}
