/**
 * SNS → Lambda, asynchronous: a topic with a Lambda subscription, the function's own retry policy and
 * dead-letter queue, and the subscription's dead-letter queue for deliveries SNS cannot make.
 */
import type { Duration } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AsyncFunctionProps } from './file-drop';
import { OrderFunction } from './order-function';
import { FAILURE_QUEUE_DEFAULTS } from './queue-defaults';

/** Properties of a {@link TopicSubscriber}. */
export interface TopicSubscriberProps {
  /** The subscribed function. */
  readonly function: AsyncFunctionProps;
  /**
   * Retries after a failed invocation, 0-2.
   * @see docs/aws-semantics.md §B.2
   */
  readonly retryAttempts: number;
  /** Maximum event age, 60 s - 6 h. */
  readonly maxEventAge: Duration;
}

/**
 * A TLS-only topic and a subscribed function. Two different failure paths, on purpose:
 * - `DeadLetterQueue` (the function's `DeadLetterConfig`): events whose invocations failed after Lambda's
 *   retries, delivered as-is with `RequestID`, `ErrorCode` and `ErrorMessage` attributes (§B.3);
 * - `SubscriptionDeadLetterQueue` (the subscription's `RedrivePolicy`): messages SNS could not hand to Lambda
 *   at all, e.g. when the function is gone or SNS may no longer invoke it (§B.6).
 */
export class TopicSubscriber extends Construct {
  /** The topic. */
  public readonly topic: Topic;
  /** The subscribed function. */
  public readonly handler: OrderFunction;
  /** The function's dead-letter queue. */
  public readonly deadLetterQueue: Queue;
  /** The subscription's dead-letter queue. */
  public readonly subscriptionDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: TopicSubscriberProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { enforceSSL: true });
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', FAILURE_QUEUE_DEFAULTS);
    this.subscriptionDeadLetterQueue = new Queue(this, 'SubscriptionDeadLetterQueue', FAILURE_QUEUE_DEFAULTS);
    this.handler = new OrderFunction(this, 'Handler', {
      ...props.function,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.topic.addSubscription(
      new LambdaSubscription(this.handler.function, { deadLetterQueue: this.subscriptionDeadLetterQueue }),
    );
  }
}
