/**
 * Import first in a handler test: sets the environment a handler module reads at load time, because each
 * `handler.ts` builds its AWS-backed runtime when imported (the tests then use `createHandler` with fakes).
 */
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  ORDERS_TABLE_NAME: 'orders',
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  ATTEMPTS_TABLE_NAME: 'attempts',
  IDEMPOTENCY_TTL_SECONDS: '3600',
  MAX_QUANTITY_PARAMETER_NAME: 'max-quantity',
  PARAMETER_CACHE_SECONDS: '30',
  RECEIPT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:receipt-key-AbCdEf',
  SECRET_CACHE_SECONDS: '30',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

export {};
