/**
 * An in-memory stand-in for the cache client of Powertools' `CachePersistenceLayer`, so handler tests run the
 * real idempotency logic without DynamoDB.
 */
import type { CacheClient } from '@aws-lambda-powertools/idempotency/cache/types';

interface Entry {
  readonly value: string;
  readonly expiresAtMs: number | undefined;
}

/** Implements `get`, `set` (with `EX` seconds and `NX`) and `del` like Redis does. */
export class InMemoryCacheClient implements CacheClient {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(name: string): Promise<string | null> {
    const entry = this.entries.get(name);
    if (!entry) return null;
    if (entry.expiresAtMs !== undefined && entry.expiresAtMs <= this.now()) {
      this.entries.delete(name);
      return null;
    }
    return entry.value;
  }

  async set(name: string | Uint8Array, value: unknown, options?: unknown): Promise<string | null> {
    const key = String(name);
    const { EX, NX } = (options ?? {}) as { EX?: number; NX?: boolean };
    if (NX && (await this.get(key)) !== null) return null;
    this.entries.set(key, {
      value: String(value),
      expiresAtMs: EX === undefined ? undefined : this.now() + EX * 1000,
    });
    return 'OK';
  }

  async del(keys: string[]): Promise<number> {
    return keys.filter((key) => this.entries.delete(key)).length;
  }
}
