/**
 * Pattern 2, asynchronous events: S3 and SNS hand events to Lambda's internal queue; Lambda retries failed
 * invocations and then uses a destination or a dead-letter queue.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { consoleLink } from '../constructs/console-links';
import { FileDrop } from '../constructs/file-drop';
import { InternalHandlerLogs } from '../constructs/internal-handler-logs';
import { output, outputQueue } from '../constructs/stack-outputs';
import { TopicSubscriber } from '../constructs/topic-subscriber';
import { PatternStack, type PatternStackProps } from './pattern-stack';

/** New objects under this prefix are processed; others are ignored. */
export const ORDERS_PREFIX = 'orders/';

/**
 * An upload bucket (on-failure and on-success destinations) and an SNS topic (function DLQ and subscription
 * DLQ), each invoking a function asynchronously with an explicit EventInvokeConfig.
 *
 * Outputs: `BucketName`, `BucketArn`, `OrdersPrefix`, `BucketConsoleLink`, `FileFunction*`, `FileLog*`,
 * `FailureDestinationQueue*`, `SuccessDestinationQueue*`, `TopicArn`, `TopicName`, `TopicConsoleLink`,
 * `NotificationFunction*`, `NotificationLog*`, `DeadLetterQueue*`, `SubscriptionDeadLetterQueue*`, plus the
 * store's outputs.
 *
 * @see docs/aws-semantics.md §B
 */
export class AsyncEventsStack extends PatternStack {
  /** Bucket → function, with destinations. */
  public readonly fileDrop: FileDrop;
  /** Topic → function, with DLQs. */
  public readonly topicSubscriber: TopicSubscriber;

  constructor(scope: Construct, id: string, props: PatternStackProps) {
    super(scope, id, props);
    const { settings } = props.config;
    const asyncPolicy = {
      retryAttempts: settings.asyncRetryAttempts,
      maxEventAge: Duration.seconds(settings.asyncMaxEventAgeSeconds),
    };

    this.fileDrop = new FileDrop(this, 'Files', {
      function: this.functionProps('process-order-file', 'Records the orders of a file uploaded under orders/'),
      prefix: ORDERS_PREFIX,
      ...asyncPolicy,
    });
    this.addFunction('File', this.fileDrop.handler, 'record', 'the S3 file processor');
    const bucket = this.fileDrop.bucket;
    output(this, 'BucketName', bucket.bucketName, 'Upload order files (JSON) here, under OrdersPrefix');
    output(this, 'BucketArn', bucket.bucketArn, 'ARN of the upload bucket');
    output(this, 'OrdersPrefix', ORDERS_PREFIX, 'Key prefix whose new objects invoke the file processor');
    output(this, 'BucketConsoleLink', consoleLink.bucket(bucket.bucketName, ORDERS_PREFIX), 'Console: upload here');
    outputQueue(
      this,
      'FailureDestinationQueue',
      this.fileDrop.failureQueue,
      "the file processor's on-failure destination",
    );
    outputQueue(
      this,
      'SuccessDestinationQueue',
      this.fileDrop.successQueue,
      "the file processor's on-success destination",
    );

    this.topicSubscriber = new TopicSubscriber(this, 'Notifications', {
      function: this.functionProps('process-order-notification', 'Records the order of an SNS message'),
      ...asyncPolicy,
    });
    this.addFunction('Notification', this.topicSubscriber.handler, 'record', 'the SNS subscriber');
    const topic = this.topicSubscriber.topic;
    output(this, 'TopicArn', topic.topicArn, 'Publish orders (JSON message) to this topic');
    output(this, 'TopicName', topic.topicName, 'Name of the topic');
    output(this, 'TopicConsoleLink', consoleLink.topic(topic.topicArn), 'Console: publish a message here');
    outputQueue(
      this,
      'DeadLetterQueue',
      this.topicSubscriber.deadLetterQueue,
      "the SNS subscriber's dead-letter queue",
    );
    outputQueue(
      this,
      'SubscriptionDeadLetterQueue',
      this.topicSubscriber.subscriptionDeadLetterQueue,
      "the SNS subscription's dead-letter queue",
    );

    this.addTestEvents(this.fileDrop.handler, 's3', { label: 'file', bucketName: bucket.bucketName });
    this.addTestEvents(this.topicSubscriber.handler, 'sns', { label: 'notification', topicArn: topic.topicArn });
    this.dashboard.addAsyncFunction('File', this.fileDrop.handler.function);
    this.dashboard.addQueue('FailureDestinationQueue', this.fileDrop.failureQueue, { failurePath: true });
    this.dashboard.addQueue('SuccessDestinationQueue', this.fileDrop.successQueue, { failurePath: false });
    this.dashboard.addTopic('Topic', topic);
    this.dashboard.addAsyncFunction('Notification', this.topicSubscriber.handler.function);
    this.dashboard.addQueue('DeadLetterQueue', this.topicSubscriber.deadLetterQueue, { failurePath: true });
    this.dashboard.addQueue('SubscriptionDeadLetterQueue', this.topicSubscriber.subscriptionDeadLetterQueue, {
      failurePath: true,
    });

    new InternalHandlerLogs(this, 'InternalHandlerLogs', { logRetentionDays: settings.logRetentionDays });

    const failureQueueReason =
      'This queue is itself the end of a failure path (Lambda on-failure destination or SNS subscription redrive target); giving it a DLQ of its own would only move the same records one hop further.';
    Validations.of(this.fileDrop.failureQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: failureQueueReason });
    Validations.of(this.topicSubscriber.subscriptionDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: failureQueueReason,
    });
    Validations.of(this.fileDrop.successQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'On-success destination that students read to see invocation records; nothing consumes it, so there is no failed processing to dead-letter.',
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Training bucket of throw-away order files, emptied by cdk destroy; every upload is already logged by the function, and an access-log bucket per student would outlive nothing worth auditing.',
    });
    Validations.of(this.fileDrop.handler).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(bucket)}.Arn>/${ORDERS_PREFIX}*]`,
      reason: 'The file processor reads (s3:GetObject only) any object under the orders/ prefix it is triggered for.',
    });
  }
}
