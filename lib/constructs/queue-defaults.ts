/**
 * Safe defaults for every SQS queue in the app.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';

/**
 * Applied to every queue: TLS-only access policy (cdk-nag SQS4), SSE with SQS-owned keys, deleted by
 * `cdk destroy`.
 */
export const QUEUE_DEFAULTS = {
  enforceSSL: true,
  encryption: QueueEncryption.SQS_MANAGED,
  removalPolicy: RemovalPolicy.DESTROY,
} as const satisfies QueueProps;

/**
 * Applied to queues that collect failures (DLQs, on-failure destinations): keep messages the SQS maximum of
 * 14 days, so a failure from Friday's class is still there on Monday.
 */
export const FAILURE_QUEUE_DEFAULTS = {
  ...QUEUE_DEFAULTS,
  retentionPeriod: Duration.days(14),
} as const satisfies QueueProps;
