/**
 * Settings come from environment variables, read once at module load.
 *
 * A missing or malformed variable fails the cold start with the variable's name, instead of failing later in the
 * middle of an event.
 */

/** The environment to read from; `process.env` in Lambda. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Thrown when a required environment variable is missing or malformed. */
export class SettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingError';
  }
}

/** Returns the variable's value or throws naming it. */
export function readString(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new SettingError(`Missing environment variable ${name}: the stack sets it on the function`);
  }
  return value;
}

/** Returns the variable as an integer in `[min, max]` or throws naming it, its value and the range. */
export function readInteger(env: Environment, name: string, min: number, max: number): number {
  const raw = readString(env, name);
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new SettingError(`Environment variable ${name} must be an integer from ${min} to ${max} (given "${raw}")`);
  }
  return value;
}

/** Settings every order function shares (names match `lib/constructs/order-store.ts`). */
export interface OrderSettings {
  /** DynamoDB table the orders are recorded in (`ORDERS_TABLE_NAME`). */
  readonly ordersTableName: string;
  /** DynamoDB table of Powertools idempotency records (`IDEMPOTENCY_TABLE_NAME`). */
  readonly idempotencyTableName: string;
  /** DynamoDB table of drill attempt counters (`ATTEMPTS_TABLE_NAME`). */
  readonly attemptsTableName: string;
  /** Seconds an order id is remembered by the idempotency layer (`IDEMPOTENCY_TTL_SECONDS`). */
  readonly idempotencyTtlSeconds: number;
  /** Parameter Store name of the largest accepted quantity (`MAX_QUANTITY_PARAMETER_NAME`). */
  readonly maxQuantityParameterName: string;
  /** Seconds a fetched parameter value is cached in the execution environment (`PARAMETER_CACHE_SECONDS`). */
  readonly parameterCacheSeconds: number;
  /** Secrets Manager ARN of the key orders are signed with (`RECEIPT_KEY_SECRET_ARN`). */
  readonly receiptKeySecretArn: string;
  /** Seconds a fetched receipt key is cached in the execution environment (`SECRET_CACHE_SECONDS`). */
  readonly secretCacheSeconds: number;
}

/** Reads {@link OrderSettings}; throws naming the first missing or malformed variable. */
export function readOrderSettings(env: Environment): OrderSettings {
  return {
    ordersTableName: readString(env, 'ORDERS_TABLE_NAME'),
    idempotencyTableName: readString(env, 'IDEMPOTENCY_TABLE_NAME'),
    attemptsTableName: readString(env, 'ATTEMPTS_TABLE_NAME'),
    idempotencyTtlSeconds: readInteger(env, 'IDEMPOTENCY_TTL_SECONDS', 60, 604800),
    maxQuantityParameterName: readString(env, 'MAX_QUANTITY_PARAMETER_NAME'),
    parameterCacheSeconds: readInteger(env, 'PARAMETER_CACHE_SECONDS', 0, 3600),
    receiptKeySecretArn: readString(env, 'RECEIPT_KEY_SECRET_ARN'),
    secretCacheSeconds: readInteger(env, 'SECRET_CACHE_SECONDS', 0, 3600),
  };
}
