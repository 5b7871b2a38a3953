/**
 * An in-memory {@link OrderRuntime} for handler tests: the real recorder (Powertools idempotency over an
 * in-memory cache), the real drill logic, and maps instead of DynamoDB tables.
 */
import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import { Logger } from '@aws-lambda-powertools/logger';
import { createOrderRecorder } from '../../lambda/shared/order-recorder';
import type { StoredOrder } from '../../lambda/shared/record-order';
import type { OrderRuntime } from '../../lambda/shared/runtime';
import { hangPastDeadline } from '../../lambda/shared/timeout';
import { InMemoryCacheClient } from '../helpers/in-memory-cache';

/** The fake runtime and the state tests assert on. */
export interface FakeRuntime {
  readonly runtime: OrderRuntime;
  /** The orders table. */
  readonly orders: Map<string, StoredOrder>;
  /** The attempt counters, by attempt key. */
  readonly attempts: Map<string, number>;
  /** How many writes reached the orders table (a duplicate stopped by idempotency never does). */
  readonly saveCalls: () => number;
  /** Puts a new receipt key, as a student does in the Secrets Manager console. */
  readonly rotateReceiptKey: (key: string) => void;
}

/** The receipt key a fresh fake starts with. */
export const FAKE_RECEIPT_KEY = 'test-receipt-key-0123456789abcdef';

/** Builds a fresh fake; `maxQuantity` stands for the Parameter Store value. */
export function createFakeRuntime(options: { readonly maxQuantity?: number } = {}): FakeRuntime {
  const orders = new Map<string, StoredOrder>();
  const attempts = new Map<string, number>();
  let saves = 0;
  let key = FAKE_RECEIPT_KEY;
  const receiptKey = async (): Promise<string> => key;
  const ports = {
    async countAttempt(key: string) {
      const next = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, next);
      return next;
    },
    async saveOrder(order: StoredOrder) {
      saves += 1;
      if (orders.has(order.orderId)) return 'duplicate' as const;
      orders.set(order.orderId, order);
      return 'recorded' as const;
    },
  };
  const runtime: OrderRuntime = {
    recorder: createOrderRecorder(new CachePersistenceLayer({ client: new InMemoryCacheClient() }), 3600),
    maxQuantity: async () => options.maxQuantity ?? 100,
    receiptKey,
    portsFor: (context) => ({ ...ports, receiptKey, hang: () => hangPastDeadline(context) }),
    getOrder: async (orderId) => orders.get(orderId),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  };
  const rotateReceiptKey = (next: string): void => {
    key = next;
  };
  return { runtime, orders, attempts, saveCalls: () => saves, rotateReceiptKey };
}
