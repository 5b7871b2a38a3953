import { arnOf, field, type OperationRule, type ServiceTable } from '../access';

const onTopic =
  (action: string): OperationRule =>
  (input, ctx) => {
    const topic = field(input, 'TopicArn') ?? field(input, 'TargetArn') ?? field(input, 'ResourceArn');
    const name = field(input, 'Name');
    return [{ action: `sns:${action}`, resource: topic ?? (name ? arnOf('sns', ctx, name) : '*') }];
  };

/** Subscription operations name the subscription ARN: the topic ARN plus `:<id>`. */
const onSubscription =
  (action: string): OperationRule =>
  (input) => {
    const sub = field(input, 'SubscriptionArn') ?? '';
    return [{ action: `sns:${action}`, resource: sub.replace(/:[^:]+$/, '') || '*' }];
  };

/**
 * SNS: topic operations on the topic ARN (`PublishBatch` is authorized as `sns:Publish`), subscription
 * operations on their topic, `ListTopics`/`ListSubscriptions` on `*`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html
 */
export const snsTable: ServiceTable = {
  prefix: 'sns',
  rules: {
    ...Object.fromEntries(
      [
        'Publish',
        'CreateTopic',
        'DeleteTopic',
        'GetTopicAttributes',
        'SetTopicAttributes',
        'Subscribe',
        'ListSubscriptionsByTopic',
        'TagResource',
        'UntagResource',
        'ListTagsForResource',
      ].map((op) => [op, onTopic(op)]),
    ),
    PublishBatch: onTopic('Publish'),
    Unsubscribe: onSubscription('Unsubscribe'),
    GetSubscriptionAttributes: onSubscription('GetSubscriptionAttributes'),
    SetSubscriptionAttributes: onSubscription('SetSubscriptionAttributes'),
    ConfirmSubscription: onTopic('ConfirmSubscription'),
  },
};
