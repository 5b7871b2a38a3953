import { EventEmitter } from 'node:events';
import type { BucketModel } from '../../../local/assembly/model';
import { ResourceNotFoundException, type EnqueueOptions } from '../../../local/async/async-invocation-queue';
import { S3Notifier } from '../../../local/async/s3-notifier';
import { SnsLambdaDispatcher } from '../../../local/async/sns-lambda-dispatcher';
import { realClock } from '../../../local/core/clock';
import { Timeline } from '../../../local/core/timeline';
import type { LabBus, S3ObjectEvent, SnsLambdaDelivery } from '../../../local/endpoint/types';
import { ACCOUNT, FakeSender, functionArn, REGION } from './fakes';

/** A queue stand-in that records what is enqueued and refuses unknown functions. */
class RecordingQueue {
  readonly enqueued: Array<{ functionName: string; payload: string; options: EnqueueOptions }> = [];
  constructor(private readonly known: readonly string[]) {}
  enqueue(functionName: string, payload: string, options: EnqueueOptions) {
    if (!this.known.includes(functionName)) throw new ResourceNotFoundException(`Function not found: ${functionName}`);
    this.enqueued.push({ functionName, payload, options });
    return { requestId: 'r', eventId: 'e' };
  }
}

const BUCKET: BucketModel = {
  logicalId: 'Uploads',
  name: 'uploads',
  arn: 'arn:aws:s3:::uploads',
  notifications: [
    {
      id: 'json-only',
      target: 'lambda',
      targetArn: functionArn('ingest'),
      events: ['s3:ObjectCreated:*'],
      suffix: '.json',
    },
    { target: 'sqs', targetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:audit`, events: ['s3:ObjectCreated:*'] },
    { id: 'gone', target: 'lambda', targetArn: functionArn('deleted'), events: ['s3:ObjectRemoved:*'] },
  ],
};

const PUT: S3ObjectEvent = {
  eventName: 'ObjectCreated:Put',
  bucket: 'uploads',
  key: 'orders/a b.json',
  size: 3,
  eTag: 'abc',
  sequencer: '01',
  eventTime: '2026-01-02T03:04:05.000Z',
  sourceIp: '127.0.0.1',
  requestId: 'REQ',
};

function s3Setup() {
  const bus: LabBus = new EventEmitter();
  const queue = new RecordingQueue(['ingest']);
  const timeline = new Timeline(realClock);
  const notifier = new S3Notifier({ bus, buckets: [BUCKET], queue, timeline, region: REGION, accountId: ACCOUNT });
  return { bus, queue, timeline, notifier };
}

describe('S3Notifier', () => {
  it('queues one S3 event with one record for a matching Lambda notification', () => {
    // GIVEN a bucket notifying `ingest` of created .json objects
    const { bus, queue, notifier } = s3Setup();
    // WHEN a .json object is put
    bus.emit('s3:object', PUT);
    notifier.stop();
    // THEN `ingest` got one event whose record names the configuration and the encoded key
    expect(queue.enqueued).toHaveLength(1);
    const { functionName, payload, options } = queue.enqueued[0]!;
    const event = JSON.parse(payload) as {
      Records: Array<{ s3: { configurationId: string; object: { key: string } } }>;
    };
    expect(functionName).toBe('ingest');
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]!.s3.configurationId).toBe('json-only');
    expect(event.Records[0]!.s3.object.key).toBe('orders/a+b.json');
    expect(options).toMatchObject({ source: 's3', resource: 'arn:aws:s3:::uploads' });
  });

  it('ignores objects the filters do not match and buckets without notifications', () => {
    // GIVEN the notifier
    const { queue, notifier } = s3Setup();
    // WHEN a .txt object and an object in an unknown bucket are put
    const counts = [notifier.handle({ ...PUT, key: 'a.txt' }), notifier.handle({ ...PUT, bucket: 'other' })];
    notifier.stop();
    // THEN nothing is queued
    expect(counts).toEqual([0, 0]);
    expect(queue.enqueued).toHaveLength(0);
  });

  it('records a notification to a missing function as discarded on the timeline', () => {
    // GIVEN a removal notification whose function is not deployed
    const { notifier, timeline } = s3Setup();
    // WHEN an object is deleted
    notifier.handle({ ...PUT, eventName: 'ObjectRemoved:Delete' });
    notifier.stop();
    // THEN the timeline shows it discarded with the reason
    const [event] = timeline.list({ source: 's3' });
    expect(event?.status).toBe('discarded');
    expect(String(event?.steps.at(-1)?.detail?.reason)).toContain('ResourceNotFoundException');
  });

  it('stops listening to the bus when stopped', () => {
    // GIVEN a stopped notifier
    const { bus, queue, notifier } = s3Setup();
    notifier.stop();
    // WHEN an object is put THEN nothing is queued
    bus.emit('s3:object', PUT);
    expect(queue.enqueued).toHaveLength(0);
  });
});

const DELIVERY: SnsLambdaDelivery = {
  subscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT}:orders:sub-1`,
  topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:orders`,
  functionArn: functionArn('notify'),
  messageId: 'm-1',
  message: 'hello',
  timestamp: '2026-01-02T03:04:05.000Z',
  messageAttributes: {},
};

function snsSetup() {
  const bus: LabBus = new EventEmitter();
  const queue = new RecordingQueue(['notify']);
  const timeline = new Timeline(realClock);
  const sender = new FakeSender();
  const dispatcher = new SnsLambdaDispatcher({ bus, queue, sender, timeline, region: REGION });
  return { bus, queue, timeline, sender, dispatcher };
}

describe('SnsLambdaDispatcher', () => {
  it('queues the SNS event for the subscribed function', async () => {
    // GIVEN a dispatcher WHEN a delivery arrives
    const { queue, dispatcher } = snsSetup();
    const result = await dispatcher.handle(DELIVERY);
    dispatcher.stop();
    // THEN the function's queue got the SNS event
    expect(result).toBe('queued');
    const event = JSON.parse(queue.enqueued[0]!.payload) as { Records: Array<{ Sns: { Message: string } }> };
    expect(event.Records[0]!.Sns.Message).toBe('hello');
    expect(queue.enqueued[0]!.options).toMatchObject({ source: 'sns', resource: DELIVERY.topicArn });
  });

  it("sends the message to the subscription's dead-letter queue when the function does not exist", async () => {
    // GIVEN a subscription to a missing function with a RedrivePolicy
    const { sender, dispatcher, timeline } = snsSetup();
    const dlq = `arn:aws:sqs:${REGION}:${ACCOUNT}:sub-dlq`;
    // WHEN a delivery arrives
    const result = await dispatcher.handle({
      ...DELIVERY,
      functionArn: functionArn('missing'),
      deadLetterTargetArn: dlq,
    });
    dispatcher.stop();
    // THEN the DLQ got the message envelope and the timeline says dead-lettered
    expect(result).toBe('dead-lettered');
    expect(sender.sent[0]!.targetArn).toBe(dlq);
    expect(JSON.parse(sender.sent[0]!.message.body)).toMatchObject({ Type: 'Notification', Message: 'hello' });
    expect(timeline.list({ source: 'sns' })[0]?.status).toBe('dead-lettered');
  });

  it('discards the message on the timeline when the function does not exist and there is no DLQ', async () => {
    // GIVEN a subscription to a missing function without RedrivePolicy
    const { sender, dispatcher, timeline } = snsSetup();
    // WHEN a delivery arrives
    const result = await dispatcher.handle({ ...DELIVERY, functionArn: functionArn('missing') });
    dispatcher.stop();
    // THEN nothing was sent and the event is discarded
    expect(result).toBe('discarded');
    expect(sender.sent).toHaveLength(0);
    expect(timeline.list({ source: 'sns' })[0]?.status).toBe('discarded');
  });
});
