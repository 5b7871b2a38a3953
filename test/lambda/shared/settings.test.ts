import { createMaxQuantityReader } from '../../../lambda/shared/max-quantity';
import { readInteger, readOrderSettings, SettingError } from '../../../lambda/shared/settings';
import { hangPastDeadline } from '../../../lambda/shared/timeout';
import { DrillError } from '../../../lambda/shared/drills';

const env = {
  ORDERS_TABLE_NAME: 'orders',
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  ATTEMPTS_TABLE_NAME: 'attempts',
  IDEMPOTENCY_TTL_SECONDS: '3600',
  MAX_QUANTITY_PARAMETER_NAME: 'max-quantity',
  PARAMETER_CACHE_SECONDS: '30',
  RECEIPT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:receipt-key-AbCdEf',
  SECRET_CACHE_SECONDS: '30',
};

describe('readOrderSettings', () => {
  test('reads every setting from the environment', () => {
    expect(readOrderSettings(env)).toEqual({
      ordersTableName: 'orders',
      idempotencyTableName: 'idempotency',
      attemptsTableName: 'attempts',
      idempotencyTtlSeconds: 3600,
      maxQuantityParameterName: 'max-quantity',
      parameterCacheSeconds: 30,
      receiptKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:receipt-key-AbCdEf',
      secretCacheSeconds: 30,
    });
  });

  test.each(Object.keys(env))('fails fast naming %s when it is missing', (name) => {
    expect(() => readOrderSettings({ ...env, [name]: undefined })).toThrow(
      new SettingError(`Missing environment variable ${name}: the stack sets it on the function`),
    );
  });

  test('rejects a malformed integer with the variable, the range and the value', () => {
    expect(() => readInteger({ PARAMETER_CACHE_SECONDS: 'soon' }, 'PARAMETER_CACHE_SECONDS', 0, 3600)).toThrow(
      'Environment variable PARAMETER_CACHE_SECONDS must be an integer from 0 to 3600 (given "soon")',
    );
  });
});

describe('createMaxQuantityReader', () => {
  test('reads the parameter through the provider with the cache age', async () => {
    const calls: unknown[] = [];
    const read = createMaxQuantityReader(
      {
        get: async (name, options) => {
          calls.push([name, options]);
          return '250';
        },
      },
      'max-quantity',
      30,
    );
    await expect(read()).resolves.toBe(250);
    expect(calls).toEqual([['max-quantity', { maxAge: 30 }]]);
  });

  test.each([['ten'], ['0'], [undefined]])('rejects the parameter value %p naming the parameter', async (value) => {
    const read = createMaxQuantityReader({ get: async () => value }, 'max-quantity', 30);
    await expect(read()).rejects.toThrow(/^Parameter max-quantity must hold a positive integer/);
  });
});

describe('hangPastDeadline', () => {
  test('waits past the remaining time, then fails', async () => {
    const started = Date.now();
    await expect(hangPastDeadline({ getRemainingTimeInMillis: () => 40 })).rejects.toThrow(DrillError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });
});
