import { arnOf, field, type ArnContext, type OperationRule, type ServiceTable } from '../access';

/** The queue ARN of a queue URL (`…/<account>/<name>`) or of `QueueName`. */
function queueArn(input: Record<string, unknown>, ctx: ArnContext): string {
  const url = field(input, 'QueueUrl');
  if (url) {
    const parts = url.replace(/\/+$/, '').split('/');
    const name = parts[parts.length - 1] ?? '';
    const account = parts[parts.length - 2];
    return `arn:aws:sqs:${ctx.region}:${account && /^\d{12}$/.test(account) ? account : ctx.accountId}:${name}`;
  }
  return arnOf('sqs', ctx, field(input, 'QueueName') ?? '*');
}

const onQueue =
  (action: string): OperationRule =>
  (input, ctx) => [{ action: `sqs:${action}`, resource: queueArn(input, ctx) }];

/**
 * SQS: every queue operation on the queue ARN; the batch operations are authorized as their single
 * forms (`SendMessageBatch` needs `sqs:SendMessage`); `ListQueues` on `*`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 */
export const sqsTable: ServiceTable = {
  prefix: 'sqs',
  rules: {
    ...Object.fromEntries(
      [
        'SendMessage',
        'ReceiveMessage',
        'DeleteMessage',
        'ChangeMessageVisibility',
        'GetQueueAttributes',
        'SetQueueAttributes',
        'GetQueueUrl',
        'CreateQueue',
        'DeleteQueue',
        'PurgeQueue',
        'ListQueueTags',
        'TagQueue',
        'UntagQueue',
        'ListDeadLetterSourceQueues',
        'AddPermission',
        'RemovePermission',
      ].map((op) => [op, onQueue(op)]),
    ),
    SendMessageBatch: onQueue('SendMessage'),
    DeleteMessageBatch: onQueue('DeleteMessage'),
    ChangeMessageVisibilityBatch: onQueue('ChangeMessageVisibility'),
    ListQueues: () => [{ action: 'sqs:ListQueues', resource: '*' }],
  },
};
