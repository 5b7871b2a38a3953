import { CreateStreamCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { QueueModel } from '../../../local/assembly/model';
import { startPollers, type RunningPollers } from '../../../local/pollers';
import type { SqsPollerQueue } from '../../../local/pollers/sqs-poller';
import {
  ACCOUNT,
  clientConfig,
  createQueue,
  FakeFunction,
  type Lab,
  mappingOf,
  REGION,
  startLab,
  uniqueName,
  waitFor,
} from './helpers';

let lab: Lab;
let running: RunningPollers | undefined;

beforeEach(async () => {
  lab = await startLab({ scale: 100 });
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await lab.stop();
});

function queueModel(q: SqsPollerQueue, name: string): QueueModel {
  return {
    logicalId: name,
    name,
    arn: q.arn,
    url: q.url,
    fifo: q.fifo,
    contentBasedDeduplication: false,
    visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
    messageRetentionPeriodSeconds: 345600,
    delaySeconds: 0,
    receiveMessageWaitTimeSeconds: 0,
    otherAttributes: {},
  };
}

describe('startPollers', () => {
  it('polls enabled mappings and leaves disabled ones alone', async () => {
    // GIVEN two queues with a message each, one mapping enabled and one disabled
    const [aName, bName] = [uniqueName('enabled'), uniqueName('disabled')];
    const a = await createQueue(lab, aName);
    const b = await createQueue(lab, bName);
    for (const q of [a, b]) await lab.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'hello' }));
    const fn = new FakeFunction(lab.timeline, () => ({}));
    // WHEN the pollers start
    running = await startPollers([mappingOf('sqs', a.arn), mappingOf('sqs', b.arn, { enabled: false })], {
      endpointUrl: lab.endpoint.url,
      region: REGION,
      accountId: ACCOUNT,
      queues: [queueModel(a, aName), queueModel(b, bName)],
      invoker: fn.invoker,
      clock: lab.clock,
      timeline: lab.timeline,
    });
    await waitFor(() => fn.succeeded.length === 1, 5000, 'the enabled queue');
    // THEN only the enabled mapping has a poller, and the disabled queue still holds its message
    expect(running.pollers.size).toBe(1);
    const depth = await lab.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: b.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(depth.Attributes?.ApproximateNumberOfMessages).toBe('1');
  });

  it('wires a Kinesis mapping to its on-failure queue through the assembly queues', async () => {
    // GIVEN a stream with one record, a function that always fails, and an on-failure queue
    const kinesis = new KinesisClient(clientConfig(lab.endpoint));
    const stream = uniqueName('stream');
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from('{}') }));
    kinesis.destroy();
    const dlqName = uniqueName('on-failure');
    const dlq = await createQueue(lab, dlqName);
    const fn = new FakeFunction(lab.timeline, () => {
      throw new Error('always');
    });
    // WHEN the pollers start with no retries
    running = await startPollers(
      [
        mappingOf('kinesis', `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${stream}`, {
          maximumRetryAttempts: 0,
          onFailureDestination: dlq.arn,
        }),
      ],
      {
        endpointUrl: lab.endpoint.url,
        region: REGION,
        accountId: ACCOUNT,
        queues: [queueModel(dlq, dlqName)],
        invoker: fn.invoker,
        clock: lab.clock,
        timeline: lab.timeline,
      },
    );
    // THEN the failure record lands in the queue
    let body: string | undefined;
    await waitFor(
      async () => {
        body = (await lab.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url }))).Messages?.[0]?.Body;
        return body !== undefined;
      },
      5000,
      'the failure record',
    );
    expect(JSON.parse(body!)).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
      KinesisBatchInfo: { batchSize: 1, shardId: 'shardId-000000000000' },
    });
  });
});
