/**
 * AWS's documented defaults for properties a template leaves out. The assembly reader fills them in
 * so nothing downstream has to know them.
 */

/**
 * Lambda function defaults.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html
 */
export const FUNCTION_DEFAULTS = {
  /** @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html */
  timeoutSeconds: 3,
  /** @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html */
  memorySizeMb: 128,
  /** @see https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html */
  architectures: ['x86_64'] as readonly string[],
} as const;

/**
 * Asynchronous invocation defaults (docs/aws-semantics.md §B.2).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
 */
export const EVENT_INVOKE_DEFAULTS = {
  qualifier: '$LATEST',
  maximumRetryAttempts: 2,
  maximumEventAgeInSeconds: 21_600,
} as const;

/**
 * SQS queue attribute defaults (docs/aws-semantics.md §D.6).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
export const QUEUE_DEFAULTS = {
  visibilityTimeoutSeconds: 30,
  messageRetentionPeriodSeconds: 345_600,
  delaySeconds: 0,
  receiveMessageWaitTimeSeconds: 0,
  /** `RedrivePolicy.maxReceiveCount` when the policy leaves it out. */
  maxReceiveCount: 10,
} as const;

/**
 * Event source mapping defaults: SQS (docs/aws-semantics.md §D.1) and streams (C.1).
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
export const ESM_DEFAULTS = {
  sqsBatchSize: 10,
  streamBatchSize: 100,
  maximumBatchingWindowInSeconds: 0,
  bisectBatchOnFunctionError: false,
  maximumRetryAttempts: -1,
  maximumRecordAgeInSeconds: -1,
  parallelizationFactor: 1,
  tumblingWindowInSeconds: 0,
  enabled: true,
} as const;

/**
 * Kinesis stream defaults; an on-demand stream starts with 4 shards.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kinesis-stream.html
 * @see https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html
 */
export const KINESIS_DEFAULTS = {
  shardCount: 1,
  onDemandShardCount: 4,
  retentionPeriodHours: 24,
} as const;

/**
 * API Gateway defaults: the integration timeout and the account-level throttle that applies when a
 * stage sets only one of rate and burst.
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export const API_DEFAULTS = {
  timeoutInMillis: 29_000,
  accountRateLimit: 10_000,
  accountBurstLimit: 5_000,
  authorizationType: 'NONE',
} as const;

/**
 * API Gateway's built-in `Empty` and `Error` models, which a method may name without defining.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 */
export const BUILT_IN_MODELS: Readonly<Record<string, unknown>> = {
  Empty: { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Empty Schema', type: 'object' },
  Error: {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: 'Error Schema',
    type: 'object',
    properties: { message: { type: 'string' } },
  },
};
