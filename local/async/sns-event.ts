import { createHash } from 'node:crypto';
import type { SnsLambdaDelivery } from '../endpoint/types';

/** The `Sns` object of an SNS → Lambda record (PascalCase, unlike S3 and SQS records). */
export interface SnsNotification {
  readonly Type: 'Notification';
  readonly MessageId: string;
  readonly TopicArn: string;
  /** `null` when the publisher gave none. */
  readonly Subject: string | null;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: '1';
  readonly Signature: string;
  readonly SigningCertUrl: string;
  readonly UnsubscribeUrl: string;
  readonly MessageAttributes: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
}

/** The event SNS sends a subscribed function. */
export interface SnsLambdaEvent {
  readonly Records: ReadonlyArray<{
    readonly EventVersion: '1.0';
    readonly EventSubscriptionArn: string;
    readonly EventSource: 'aws:sns';
    readonly Sns: SnsNotification;
  }>;
}

/**
 * Builds the SNS event for one delivery to a Lambda subscription (one record per message).
 * The signature is a placeholder: nothing local can verify an SNS signing certificate.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */
export function buildSnsEvent(delivery: SnsLambdaDelivery, ctx: { readonly region: string }): SnsLambdaEvent {
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: delivery.subscriptionArn,
        EventSource: 'aws:sns',
        Sns: buildSnsNotification(delivery, ctx),
      },
    ],
  };
}

/** The notification part of a delivery, shared with the subscription dead-letter message. */
export function buildSnsNotification(delivery: SnsLambdaDelivery, ctx: { readonly region: string }): SnsNotification {
  const host = `https://sns.${ctx.region}.amazonaws.com`;
  return {
    Type: 'Notification',
    MessageId: delivery.messageId,
    TopicArn: delivery.topicArn,
    Subject: delivery.subject ?? null,
    Message: delivery.message,
    Timestamp: delivery.timestamp,
    SignatureVersion: '1',
    Signature: createHash('sha256').update(`${delivery.messageId} ${delivery.message}`).digest('base64'),
    SigningCertUrl: `${host}/SimpleNotificationService-local.pem`,
    UnsubscribeUrl: `${host}/?Action=Unsubscribe&SubscriptionArn=${delivery.subscriptionArn}`,
    MessageAttributes: { ...delivery.messageAttributes },
  };
}

/**
 * The body SNS puts in a subscription's dead-letter queue: the message in the JSON envelope an
 * SQS subscriber gets (`SigningCertURL`/`UnsubscribeURL` spelled as in that envelope).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */
export function buildSnsDeadLetterBody(delivery: SnsLambdaDelivery, ctx: { readonly region: string }): string {
  const n = buildSnsNotification(delivery, ctx);
  return JSON.stringify({
    Type: n.Type,
    MessageId: n.MessageId,
    TopicArn: n.TopicArn,
    ...(n.Subject !== null ? { Subject: n.Subject } : {}),
    Message: n.Message,
    Timestamp: n.Timestamp,
    SignatureVersion: n.SignatureVersion,
    Signature: n.Signature,
    SigningCertURL: n.SigningCertUrl,
    UnsubscribeURL: n.UnsubscribeUrl,
    ...(Object.keys(n.MessageAttributes).length > 0 ? { MessageAttributes: n.MessageAttributes } : {}),
  });
}
