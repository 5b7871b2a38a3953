import { buildSnsDeadLetterBody, buildSnsEvent } from '../../../local/async/sns-event';
import type { SnsLambdaDelivery } from '../../../local/endpoint/types';

const DELIVERY: SnsLambdaDelivery = {
  subscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:orders:21be56ed-a058-49f5-8c98-aedd2564c486',
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:orders',
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:notify',
  messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
  message: '{"item":"book"}',
  subject: 'New order',
  timestamp: '2026-01-02T12:45:07.000Z',
  messageAttributes: { kind: { Type: 'String', Value: 'order' } },
};

describe('buildSnsEvent', () => {
  it('builds one PascalCase record per delivery', () => {
    // GIVEN a delivery WHEN its event is built
    const event = buildSnsEvent(DELIVERY, { region: 'eu-west-1' });
    // THEN it is the documented SNS → Lambda event
    expect(event).toEqual({
      Records: [
        {
          EventVersion: '1.0',
          EventSubscriptionArn: DELIVERY.subscriptionArn,
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            MessageId: DELIVERY.messageId,
            TopicArn: DELIVERY.topicArn,
            Subject: 'New order',
            Message: '{"item":"book"}',
            Timestamp: '2026-01-02T12:45:07.000Z',
            SignatureVersion: '1',
            Signature: expect.any(String),
            SigningCertUrl: expect.stringMatching(
              /^https:\/\/sns\.eu-west-1\.amazonaws\.com\/SimpleNotificationService-.+\.pem$/,
            ),
            UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${DELIVERY.subscriptionArn}`,
            MessageAttributes: { kind: { Type: 'String', Value: 'order' } },
          },
        },
      ],
    });
  });

  it('sets Subject to null when the message had none', () => {
    // GIVEN a delivery without subject WHEN built THEN Subject is null
    const event = buildSnsEvent({ ...DELIVERY, subject: undefined }, { region: 'eu-west-1' });
    expect(event.Records[0]!.Sns.Subject).toBeNull();
  });
});

describe('buildSnsDeadLetterBody', () => {
  it('wraps the message in the SQS notification envelope', () => {
    // GIVEN a delivery WHEN its dead-letter body is built THEN it is the JSON envelope with the message
    const body = JSON.parse(buildSnsDeadLetterBody(DELIVERY, { region: 'eu-west-1' })) as Record<string, unknown>;
    expect(body).toMatchObject({
      Type: 'Notification',
      MessageId: DELIVERY.messageId,
      TopicArn: DELIVERY.topicArn,
      Subject: 'New order',
      Message: '{"item":"book"}',
      UnsubscribeURL: expect.any(String),
    });
  });
});
