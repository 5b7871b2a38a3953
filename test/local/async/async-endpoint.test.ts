import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AsyncInvocationQueue, type AsyncFunctionConfig } from '../../../local/async/async-invocation-queue';
import { SdkDestinationSender } from '../../../local/async/destination-sender';
import { S3Notifier } from '../../../local/async/s3-notifier';
import { SnsLambdaDispatcher } from '../../../local/async/sns-lambda-dispatcher';
import { ScaledClock } from '../../../local/core/clock';
import type { InvocationOutcome } from '../../../local/core/contracts';
import { Timeline } from '../../../local/core/timeline';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { s3Service } from '../../../local/endpoint/services/s3';
import { snsService } from '../../../local/endpoint/services/sns';
import { sqsService } from '../../../local/endpoint/services/sqs';
import { ACCOUNT, asyncConfig, failure, FakeInvoker, functionArn, REGION, success, waitFor } from './fakes';

/**
 * The asynchronous path against the real endpoint: real SQS, SNS and S3 services reached with
 * the real AWS SDK v3 clients; only the function runtime is a fake invoker.
 */
describe('asynchronous invocation through the local endpoint', () => {
  let endpoint: Endpoint;
  let sqs: SQSClient;
  let sns: SNSClient;
  let s3: S3Client;
  let sender: SdkDestinationSender;
  let stops: Array<() => void> = [];

  beforeAll(async () => {
    endpoint = await startEndpoint({
      port: 0,
      region: REGION,
      accountId: ACCOUNT,
      services: [sqsService(), snsService(), s3Service()],
    });
    const config = {
      endpoint: endpoint.url,
      region: REGION,
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    };
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sender = new SdkDestinationSender({ endpointUrl: endpoint.url, region: REGION });
  });

  afterEach(() => {
    for (const stop of stops) stop();
    stops = [];
  });

  afterAll(async () => {
    sender.close();
    sqs.destroy();
    sns.destroy();
    s3.destroy();
    await endpoint.stop();
  });

  async function createQueue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  async function receiveOne(url: string): Promise<Message> {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    expect(Messages).toHaveLength(1);
    return Messages![0]!;
  }

  function queueWith(
    answer: (index: number) => InvocationOutcome,
    configs: Record<string, Partial<AsyncFunctionConfig>>,
  ) {
    const clock = new ScaledClock(600);
    const timeline = new Timeline(clock);
    const invoker = new FakeInvoker(clock, (_c, i) => answer(i));
    const queue = new AsyncInvocationQueue({
      invoker,
      clock,
      timeline,
      sender,
      configFor: (name) => (configs[name] ? asyncConfig(name, configs[name]) : undefined),
    });
    stops.push(() => queue.stop());
    return { queue, invoker, timeline, clock };
  }

  it('puts a failed event into the real SQS dead-letter queue with its error attributes', async () => {
    // GIVEN a failing function whose DLQ is a queue on the endpoint
    const dlq = await createQueue('process-event-dlq');
    const { queue } = queueWith(() => failure('out of stock'), { 'process-event': { deadLetterTargetArn: dlq.arn } });
    // WHEN an event exhausts its retries
    const { requestId } = queue.enqueue('process-event', '{"item":"book"}', { source: 'invoke' });
    await queue.whenIdle();
    // THEN the DLQ holds the original event with RequestID, ErrorCode and ErrorMessage
    const message = await receiveOne(dlq.url);
    expect(message.Body).toBe('{"item":"book"}');
    expect(message.MessageAttributes).toEqual({
      RequestID: { DataType: 'String', StringValue: requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'out of stock' },
    });
  });

  it('puts the invocation record into the real SQS on-failure destination', async () => {
    // GIVEN a failing function with an SQS on-failure destination
    const dest = await createQueue('on-failure');
    const { queue } = queueWith(() => failure(), { 'process-event': { onFailure: dest.arn } });
    // WHEN an event exhausts its retries
    queue.enqueue('process-event', '{"item":"book"}', { source: 'invoke' });
    await queue.whenIdle();
    // THEN the queue holds the RetriesExhausted record
    const record = JSON.parse((await receiveOne(dest.url)).Body!) as {
      requestContext: { condition: string; approximateInvokeCount: number; functionArn: string };
    };
    expect(record.requestContext).toMatchObject({
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      functionArn: `${functionArn('process-event')}:$LATEST`,
    });
  });

  it('delivers an on-success record through a real SNS topic to a subscribed queue', async () => {
    // GIVEN an on-success SNS topic with an SQS subscription
    const inbox = await createQueue('success-inbox');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'on-success' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: inbox.arn }));
    const { queue } = queueWith(() => success({ orderId: 'o-1' }), { 'process-event': { onSuccess: TopicArn } });
    // WHEN an event succeeds
    queue.enqueue('process-event', '{"item":"book"}', { source: 'invoke' });
    await queue.whenIdle();
    // THEN the subscribed queue got the Success record in the SNS envelope
    const envelope = JSON.parse((await receiveOne(inbox.url)).Body!) as { Message: string };
    const record = JSON.parse(envelope.Message) as { requestContext: { condition: string }; responsePayload: unknown };
    expect(record.requestContext.condition).toBe('Success');
    expect(record.responsePayload).toEqual({ orderId: 'o-1' });
  });

  it('turns an S3 PutObject into an S3 event for the notified function', async () => {
    // GIVEN a bucket whose created objects notify `ingest`
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    const { queue, invoker } = queueWith(() => success(), { ingest: {} });
    const timeline = new Timeline(new ScaledClock(600));
    const notifier = new S3Notifier({
      bus: endpoint.bus,
      buckets: [
        {
          logicalId: 'Uploads',
          name: 'uploads',
          arn: 'arn:aws:s3:::uploads',
          notifications: [
            {
              id: 'orders',
              target: 'lambda',
              targetArn: functionArn('ingest'),
              events: ['s3:ObjectCreated:*'],
              prefix: 'orders/',
            },
          ],
        },
      ],
      queue,
      timeline,
      region: REGION,
      accountId: ACCOUNT,
    });
    stops.push(() => notifier.stop());
    // WHEN an object is uploaded with the SDK
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'orders/red flower.json', Body: '{"a":1}' }));
    await waitFor(() => invoker.calls.length === 1);
    // THEN the function got one ObjectCreated:Put record with the encoded key and the size
    const event = JSON.parse(invoker.calls[0]!.payload) as {
      Records: Array<{
        eventName: string;
        eventSource: string;
        s3: { bucket: { name: string }; object: { key: string; size: number } };
      }>;
    };
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'uploads' }, object: { key: 'orders/red+flower.json', size: 7 } },
    });
  });

  it('turns an SNS Publish into an SNS event for the subscribed function', async () => {
    // GIVEN a topic with a Lambda subscription
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn('notify') }));
    const { queue, invoker, timeline } = queueWith(() => success(), { notify: {} });
    const dispatcher = new SnsLambdaDispatcher({ bus: endpoint.bus, queue, sender, timeline, region: REGION });
    stops.push(() => dispatcher.stop());
    // WHEN a message is published with the SDK
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'hello', Subject: 'greeting' }));
    await waitFor(() => invoker.calls.length === 1);
    // THEN the function got the SNS record of that message
    const event = JSON.parse(invoker.calls[0]!.payload) as {
      Records: Array<{
        EventSource: string;
        Sns: { MessageId: string; Message: string; Subject: string; TopicArn: string };
      }>;
    };
    expect(event.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      Sns: { MessageId, Message: 'hello', Subject: 'greeting', TopicArn },
    });
  });

  it("puts an SNS message for a missing function into the subscription's real dead-letter queue", async () => {
    // GIVEN a Lambda subscription to a function that is not deployed, with a RedrivePolicy
    const dlq = await createQueue('subscription-dlq');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders-missing' }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'lambda',
        Endpoint: functionArn('not-deployed'),
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
      }),
    );
    const { queue, timeline } = queueWith(() => success(), {});
    const dispatcher = new SnsLambdaDispatcher({ bus: endpoint.bus, queue, sender, timeline, region: REGION });
    stops.push(() => dispatcher.stop());
    // WHEN a message is published
    await sns.send(new PublishCommand({ TopicArn, Message: 'lost?' }));
    // THEN the subscription DLQ holds it
    const message = await receiveOne(dlq.url);
    expect(JSON.parse(message.Body!)).toMatchObject({ Type: 'Notification', Message: 'lost?', TopicArn });
  });
});
