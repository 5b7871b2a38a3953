import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ScaledClock } from '../../../local/core/clock';
import { isSqsService } from '../../../local/endpoint/services/sqs';
import { ACCOUNT, REGION, startLab, uniqueName, type Lab } from './sqs-sns-helpers';

// Virtual time runs 50× faster: a 1 s visibility timeout takes 20 ms, a 20 s long poll 0.4 s.
const SCALE = 50;
let lab: Lab;
let sqs: SQSClient;

beforeAll(async () => {
  lab = await startLab({ clock: new ScaledClock(SCALE) });
  sqs = lab.sqs;
});
afterAll(() => lab.stop());

const sleepVirtual = (seconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / SCALE + 20));

async function queue(attributes: Record<string, string> = {}, name = uniqueName('q')): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl!;
}

async function attributes(url: string): Promise<Record<string, string>> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
}

async function receive(url: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      ...extra,
    }),
  );
  return out.Messages ?? [];
}

async function errorOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

/** An independent implementation of AWS's message attribute digest, for checking the service's. */
function expectedAttributesMd5(attrs: Record<string, MessageAttributeValue>): string {
  const parts: Buffer[] = [];
  const lengthPrefixed = (b: Buffer): void => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of Object.keys(attrs).sort()) {
    const a = attrs[name]!;
    lengthPrefixed(Buffer.from(name));
    lengthPrefixed(Buffer.from(a.DataType!));
    if (a.BinaryValue) {
      parts.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(a.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(a.StringValue!));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

describe('local SQS: queues', () => {
  it('GIVEN a new queue WHEN it is created THEN its URL carries the endpoint, account and name and its ARN the region and account', async () => {
    const name = uniqueName('named');
    const url = await queue({}, name);
    expect(url).toBe(`${lab.endpoint.url}/${ACCOUNT}/${name}`);
    expect((await attributes(url)).QueueArn).toBe(`arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`);
  });

  it('GIVEN the attributes the CDK app sets WHEN a queue is created with them THEN GetQueueAttributes returns them', async () => {
    const dlq = await queue();
    const dlqArn = (await attributes(dlq)).QueueArn!;
    const redrive = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    const url = await queue({
      VisibilityTimeout: '180',
      MessageRetentionPeriod: '1209600',
      DelaySeconds: '2',
      ReceiveMessageWaitTimeSeconds: '5',
      RedrivePolicy: redrive,
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '300',
    });
    expect(await attributes(url)).toMatchObject({
      VisibilityTimeout: '180',
      MessageRetentionPeriod: '1209600',
      DelaySeconds: '2',
      ReceiveMessageWaitTimeSeconds: '5',
      RedrivePolicy: redrive,
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '300',
    });
  });

  it('GIVEN FIFO attributes WHEN a .fifo queue is created THEN FifoQueue and ContentBasedDeduplication are kept', async () => {
    const url = await queue(
      { FifoQueue: 'true', ContentBasedDeduplication: 'true', SqsManagedSseEnabled: 'true' },
      `${uniqueName('f')}.fifo`,
    );
    expect(await attributes(url)).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      SqsManagedSseEnabled: 'true',
    });
  });

  it('GIVEN an existing queue WHEN it is created again with the same attributes THEN the same URL comes back', async () => {
    const name = uniqueName('same');
    const first = await queue({ VisibilityTimeout: '10' }, name);
    expect(await queue({ VisibilityTimeout: '10' }, name)).toBe(first);
  });

  it('GIVEN an existing queue WHEN it is created again with different attributes THEN QueueNameExists is raised', async () => {
    const name = uniqueName('diff');
    await queue({ VisibilityTimeout: '10' }, name);
    expect((await errorOf(queue({ VisibilityTimeout: '11' }, name))).name).toBe('QueueNameExists');
  });

  it('GIVEN an out-of-range attribute WHEN a queue is created THEN InvalidAttributeValue is raised', async () => {
    expect((await errorOf(queue({ VisibilityTimeout: '43201' }))).name).toBe('InvalidAttributeValue');
  });

  it('GIVEN a queue WHEN GetQueueUrl asks for it by name THEN its URL is returned, and a missing name gives QueueDoesNotExist', async () => {
    const name = uniqueName('byname');
    const url = await queue({}, name);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(url);
    const err = await errorOf(sqs.send(new GetQueueUrlCommand({ QueueName: 'does-not-exist' })));
    expect(err.name).toBe('QueueDoesNotExist');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('GIVEN queues with a common prefix WHEN ListQueues filters by it THEN only those URLs are listed', async () => {
    const prefix = uniqueName('list');
    const a = await queue({}, `${prefix}-a`);
    const b = await queue({}, `${prefix}-b`);
    const out = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(out.QueueUrls).toEqual([a, b]);
  });

  it('GIVEN a deleted queue WHEN a message is sent to it THEN QueueDoesNotExist is raised', async () => {
    const url = await queue();
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect((await errorOf(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).name).toBe(
      'QueueDoesNotExist',
    );
  });

  it('GIVEN a queue URL with a malformed percent-escape WHEN a message is sent to it THEN QueueDoesNotExist is raised, not a 500', async () => {
    const url = `${lab.endpoint.url}/${ACCOUNT}/bad%zzname`;
    const err = await errorOf(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['QueueDoesNotExist', 400]);
  });

  it('GIVEN a queue URL on the AWS host WHEN it is used THEN the queue is found by account and name', async () => {
    const name = uniqueName('awshost');
    await queue({}, name);
    const awsUrl = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: awsUrl, MessageBody: 'via aws url' }));
    expect((await receive(awsUrl)).map((m) => m.Body)).toEqual(['via aws url']);
  });

  it('GIVEN a new visibility timeout WHEN SetQueueAttributes sets it THEN GetQueueAttributes returns it', async () => {
    const url = await queue();
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '77' } }));
    expect((await attributes(url)).VisibilityTimeout).toBe('77');
  });
});

describe('local SQS: messages', () => {
  it('GIVEN message attributes of every type WHEN a message is sent THEN the body and attribute MD5s are AWS digests', async () => {
    const url = await queue();
    const attrs: Record<string, MessageAttributeValue> = {
      kind: { DataType: 'String', StringValue: 'order' },
      amount: { DataType: 'Number', StringValue: '12.5' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
      custom: { DataType: 'String.custom', StringValue: 'ü' },
    };
    const out = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'héllo', MessageAttributes: attrs }),
    );
    expect(out.MD5OfMessageBody).toBe(createHash('md5').update('héllo').digest('hex'));
    expect(out.MD5OfMessageAttributes).toBe(expectedAttributesMd5(attrs));
  });

  it('GIVEN a sent message WHEN it is received with MessageSystemAttributeNames All THEN receive count, timestamps and sender come back', async () => {
    const url = await queue();
    const before = Date.now();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'attrs' }));
    const [m] = await receive(url);
    expect(m?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: ACCOUNT });
    expect(Number(m?.Attributes?.SentTimestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(m?.Attributes?.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
      Number(m?.Attributes?.SentTimestamp),
    );
  });

  it('GIVEN message attributes WHEN the receive asks for a name prefix THEN only matching attributes and their MD5 come back', async () => {
    const url = await queue();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'x',
        MessageAttributes: {
          'order.id': { DataType: 'String', StringValue: '1' },
          other: { DataType: 'String', StringValue: '2' },
        },
      }),
    );
    const [m] = await receive(url, { MessageAttributeNames: ['order.*'] });
    expect(Object.keys(m?.MessageAttributes ?? {})).toEqual(['order.id']);
    expect(m?.MD5OfMessageAttributes).toBe(
      expectedAttributesMd5({ 'order.id': { DataType: 'String', StringValue: '1' } }),
    );
  });

  it('GIVEN 10 messages WHEN received with MaxNumberOfMessages 10 THEN all ten arrive in one call', async () => {
    const url = await queue();
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })),
      }),
    );
    expect((await receive(url)).length).toBe(10);
  });

  it('GIVEN a received message WHEN its visibility timeout has not expired THEN it is not received again', async () => {
    const url = await queue({ VisibilityTimeout: '30' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hidden' }));
    expect(await receive(url)).toHaveLength(1);
    expect(await receive(url)).toHaveLength(0);
  });

  it('GIVEN a received message that is not deleted WHEN its visibility timeout expires THEN it is received again with ApproximateReceiveCount 2', async () => {
    const url = await queue({ VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    await receive(url);
    await sleepVirtual(1);
    const [m] = await receive(url);
    expect(m?.Body).toBe('again');
    expect(m?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('GIVEN a queue with a long visibility timeout WHEN the receive overrides it with 1 s THEN the message returns after 1 s', async () => {
    const url = await queue({ VisibilityTimeout: '600' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'override' }));
    await receive(url, { VisibilityTimeout: 1 });
    await sleepVirtual(1);
    expect((await receive(url)).map((m) => m.Body)).toEqual(['override']);
  });

  it('GIVEN an in-flight message WHEN ChangeMessageVisibility sets 0 THEN it can be received at once', async () => {
    const url = await queue({ VisibilityTimeout: '600' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'release' }));
    const [m] = await receive(url);
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    expect((await receive(url)).map((x) => x.Body)).toEqual(['release']);
  });

  it('GIVEN in-flight messages WHEN ChangeMessageVisibilityBatch releases them THEN every entry succeeds and they are receivable', async () => {
    const url = await queue({ VisibilityTimeout: '600' });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'a' },
          { Id: 'b', MessageBody: 'b' },
        ],
      }),
    );
    const got = await receive(url);
    const out = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: got.map((m, i) => ({ Id: `e${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
    expect(out.Successful).toHaveLength(2);
    expect(await receive(url)).toHaveLength(2);
  });

  it('GIVEN a message that is not in flight WHEN its visibility is changed THEN MessageNotInflight is raised', async () => {
    const url = await queue({ VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const [m] = await receive(url);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle }));
    const err = await errorOf(
      sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 5 }),
      ),
    );
    expect(err.name).toBe('MessageNotInflight');
  });

  it('GIVEN a message sent with DelaySeconds WHEN the delay has not passed THEN it is counted as delayed and not received', async () => {
    const url = await queue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 60 }));
    expect(await receive(url)).toHaveLength(0);
    expect((await attributes(url)).ApproximateNumberOfMessagesDelayed).toBe('1');
  });

  it('GIVEN a message sent with DelaySeconds 1 WHEN 1 s has passed THEN it is received', async () => {
    const url = await queue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'soon', DelaySeconds: 1 }));
    await sleepVirtual(1);
    expect((await receive(url)).map((m) => m.Body)).toEqual(['soon']);
  });

  it('GIVEN visible, in-flight and delayed messages WHEN GetQueueAttributes is called THEN the approximate counts match', async () => {
    const url = await queue({ VisibilityTimeout: '600' });
    for (const body of ['a', 'b', 'c']) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'd', DelaySeconds: 900 }));
    await receive(url, { MaxNumberOfMessages: 1 });
    expect(await attributes(url)).toMatchObject({
      ApproximateNumberOfMessages: '2',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '1',
    });
  });

  it('GIVEN a received message WHEN it is deleted THEN it never comes back', async () => {
    const url = await queue({ VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bye' }));
    const [m] = await receive(url);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle }));
    await sleepVirtual(1);
    expect(await receive(url)).toHaveLength(0);
    expect((await attributes(url)).ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  it('GIVEN received messages WHEN DeleteMessageBatch deletes them THEN every entry is in Successful', async () => {
    const url = await queue();
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'a' },
          { Id: 'b', MessageBody: 'b' },
        ],
      }),
    );
    const got = await receive(url);
    const out = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: got.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    expect(out.Successful?.map((s) => s.Id).sort()).toEqual(['d0', 'd1']);
    expect(out.Failed ?? []).toEqual([]);
  });

  it('GIVEN a malformed receipt handle WHEN DeleteMessage is called THEN ReceiptHandleIsInvalid is raised', async () => {
    const url = await queue();
    expect((await errorOf(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })))).name).toBe(
      'ReceiptHandleIsInvalid',
    );
  });

  it('GIVEN messages in a queue WHEN it is purged THEN nothing is left', async () => {
    const url = await queue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await receive(url)).toHaveLength(0);
    expect((await attributes(url)).ApproximateNumberOfMessages).toBe('0');
  });

  it.each([
    ['MaxNumberOfMessages 11', { MaxNumberOfMessages: 11 }],
    ['WaitTimeSeconds 21', { WaitTimeSeconds: 21 }],
    ['VisibilityTimeout -1', { VisibilityTimeout: -1 }],
  ])('GIVEN %s WHEN ReceiveMessage is called THEN InvalidParameterValue is raised', async (_label, extra) => {
    const url = await queue();
    expect((await errorOf(receive(url, extra))).name).toBe('InvalidParameterValue');
  });

  it('GIVEN DelaySeconds 901 WHEN a message is sent THEN InvalidParameterValue is raised', async () => {
    const url = await queue();
    const err = await errorOf(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })));
    expect(err.name).toBe('InvalidParameterValue');
  });

  it('GIVEN a body with a forbidden character WHEN it is sent THEN InvalidMessageContents is raised', async () => {
    const url = await queue();
    const err = await errorOf(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad\u0001' })));
    expect(err.name).toBe('InvalidMessageContents');
  });
});

describe('local SQS: batches', () => {
  it('GIVEN one bad entry among good ones WHEN SendMessageBatch runs THEN the good ones succeed and the bad one is in Failed', async () => {
    const url = await queue();
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', MessageBody: 'fine' },
          { Id: 'bad', MessageBody: 'x', DelaySeconds: 1000 },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['ok']);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'InvalidParameterValue', SenderFault: true }),
    ]);
  });

  it('GIVEN no entries WHEN SendMessageBatch runs THEN EmptyBatchRequest is raised', async () => {
    const url = await queue();
    expect((await errorOf(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })))).name).toBe(
      'EmptyBatchRequest',
    );
  });

  it('GIVEN 11 entries WHEN SendMessageBatch runs THEN TooManyEntriesInBatchRequest is raised', async () => {
    const url = await queue();
    const Entries = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
    expect((await errorOf(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })))).name).toBe(
      'TooManyEntriesInBatchRequest',
    );
  });

  it('GIVEN two entries with one id WHEN SendMessageBatch runs THEN BatchEntryIdsNotDistinct is raised', async () => {
    const url = await queue();
    const Entries = [
      { Id: 'same', MessageBody: 'a' },
      { Id: 'same', MessageBody: 'b' },
    ];
    expect((await errorOf(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })))).name).toBe(
      'BatchEntryIdsNotDistinct',
    );
  });
});

describe('local SQS: long polling', () => {
  it('GIVEN an empty queue WHEN a long poll of 20 s runs THEN it returns empty after 20 virtual seconds', async () => {
    const url = await queue();
    const started = Date.now();
    expect(await receive(url, { WaitTimeSeconds: 20 })).toHaveLength(0);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual((20 * 1000) / SCALE - 20);
    expect(elapsed).toBeLessThan(5000);
  });

  it('GIVEN a queue with ReceiveMessageWaitTimeSeconds WHEN a receive omits WaitTimeSeconds THEN it long-polls for a later send', async () => {
    const url = await queue({ ReceiveMessageWaitTimeSeconds: '20' });
    const polled = receive(url);
    await new Promise((r) => setTimeout(r, 50));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'woke' }));
    expect((await polled).map((m) => m.Body)).toEqual(['woke']);
  });
});

describe('local SQS: dead-letter queues', () => {
  it('GIVEN maxReceiveCount 2 WHEN a message is received twice without delete THEN the next receive moves it to the DLQ with its id, body and attributes', async () => {
    const dlq = await queue();
    const dlqArn = (await attributes(dlq)).QueueArn!;
    const url = await queue({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
    const sourceArn = (await attributes(url)).QueueArn!;
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'poison',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    for (let i = 0; i < 2; i++) expect(await receive(url, { VisibilityTimeout: 0 })).toHaveLength(1);
    expect(await receive(url)).toHaveLength(0);
    const [dead] = await receive(dlq);
    expect(dead).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'poison',
      MessageAttributes: { k: { StringValue: 'v' } },
    });
    expect(dead?.Attributes?.DeadLetterQueueSourceArn).toBe(sourceArn);
  });
  it('GIVEN two FIFO queues sharing a FIFO DLQ WHEN messages with the same deduplication id are dead-lettered from both THEN the DLQ keeps both', async () => {
    // A move to the DLQ is not a producer send: the DLQ's deduplication window must not swallow it.
    const fifo = { FifoQueue: 'true' };
    const dlq = await queue(fifo, `${uniqueName('dlq')}.fifo`);
    const redrive = JSON.stringify({ deadLetterTargetArn: (await attributes(dlq)).QueueArn!, maxReceiveCount: 1 });
    const sources = [
      await queue({ ...fifo, RedrivePolicy: redrive }, `${uniqueName('a')}.fifo`),
      await queue({ ...fifo, RedrivePolicy: redrive }, `${uniqueName('b')}.fifo`),
    ];
    for (const url of sources) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: url,
          MessageGroupId: 'g',
          MessageDeduplicationId: 'same',
        }),
      );
      expect(await receive(url, { VisibilityTimeout: 0 })).toHaveLength(1);
      expect(await receive(url)).toHaveLength(0);
    }
    const dead = [...(await receive(dlq)), ...(await receive(dlq))];
    expect(dead.map((m) => m.Body).sort()).toEqual([...sources].sort());
  });
});

describe('local SQS: FIFO queues', () => {
  const fifo = (attrs: Record<string, string> = {}): Promise<string> =>
    queue({ FifoQueue: 'true', ...attrs }, `${uniqueName('fifo')}.fifo`);

  it('GIVEN a FIFO queue WHEN a message has no MessageGroupId THEN MissingParameter is raised', async () => {
    const url = await fifo({ ContentBasedDeduplication: 'true' });
    expect((await errorOf(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).name).toBe(
      'MissingParameter',
    );
  });

  it('GIVEN a FIFO queue without content-based deduplication WHEN a message has no deduplication id THEN InvalidParameterValue is raised', async () => {
    const url = await fifo();
    const err = await errorOf(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' })),
    );
    expect(err.name).toBe('InvalidParameterValue');
  });

  it('GIVEN messages of one group WHEN they are received THEN they arrive in send order with increasing sequence numbers and their group id', async () => {
    const url = await fifo({ ContentBasedDeduplication: 'true' });
    for (let i = 0; i < 5; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}`, MessageGroupId: 'g1' }));
    }
    const got = await receive(url);
    expect(got.map((m) => m.Body)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    const seqs = got.map((m) => BigInt(m.Attributes!.SequenceNumber!));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(got.map((m) => m.Attributes?.MessageGroupId))).toEqual(new Set(['g1']));
  });

  it('GIVEN a group with a message in flight WHEN another receive runs THEN that group is skipped and other groups are served', async () => {
    const url = await fifo({ ContentBasedDeduplication: 'true' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a2', MessageGroupId: 'a' }));
    expect((await receive(url, { MaxNumberOfMessages: 1 })).map((m) => m.Body)).toEqual(['a1']);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b1', MessageGroupId: 'b' }));
    expect((await receive(url)).map((m) => m.Body)).toEqual(['b1']);
  });

  it('GIVEN an in-flight group message WHEN it is deleted THEN the next message of the group is delivered', async () => {
    const url = await fifo({ ContentBasedDeduplication: 'true' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first', MessageGroupId: 'g' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'second', MessageGroupId: 'g' }));
    const [m] = await receive(url, { MaxNumberOfMessages: 1 });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle }));
    expect((await receive(url)).map((x) => x.Body)).toEqual(['second']);
  });

  it('GIVEN a message WHEN one with the same deduplication id is sent within 5 minutes THEN the original id comes back and only one is stored', async () => {
    const url = await fifo();
    const send = () =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'dup',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'd1',
        }),
      );
    const first = await send();
    const second = await send();
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.SequenceNumber).toBe(first.SequenceNumber);
    expect((await attributes(url)).ApproximateNumberOfMessages).toBe('1');
  });
});

describe('local SQS: in-process API and errors', () => {
  it('GIVEN the SQS service WHEN sendInternal targets a queue ARN THEN the message is received through the SDK', async () => {
    const url = await queue();
    const arn = (await attributes(url)).QueueArn!;
    const service = lab.endpoint.service('sqs');
    if (!isSqsService(service)) throw new Error('sqs service missing');
    expect(service.findQueue(url)?.arn).toBe(arn);
    service.sendInternal(arn, { body: 'internal', messageAttributes: { a: { DataType: 'String', StringValue: 'b' } } });
    const [m] = await receive(url);
    expect(m).toMatchObject({ Body: 'internal', MessageAttributes: { a: { StringValue: 'b' } } });
  });

  it('GIVEN an unknown SQS operation WHEN it is called THEN a 400 names the operation', async () => {
    const res = await fetch(`${lab.endpoint.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.FlyToTheMoon' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('FlyToTheMoon');
  });

  it('GIVEN the endpoint WHEN /_lab/health is read THEN the sqs, sns and ssm services report their state', async () => {
    const res = await fetch(`${lab.endpoint.url}/_lab/health`);
    const body = (await res.json()) as { services: Record<string, string> };
    expect(Object.keys(body.services)).toEqual(expect.arrayContaining(['sqs', 'sns', 'ssm']));
    expect(body.services.sqs).toMatch(/^running/);
  });
});

describe('local SQS: real-time long polls', () => {
  let realLab: Lab;
  beforeAll(async () => {
    realLab = await startLab();
  });
  afterAll(() => realLab?.stop());

  it('GIVEN a 20 s long poll on an empty queue WHEN a message is sent THEN the poll returns within a second', async () => {
    const { QueueUrl } = await realLab.sqs.send(new CreateQueueCommand({ QueueName: uniqueName('lp') }));
    const started = Date.now();
    const polled = realLab.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 100));
    await realLab.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake' }));
    expect((await polled).Messages?.map((m) => m.Body)).toEqual(['wake']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('GIVEN a 20 s long poll on an empty queue WHEN a message is sent with DelaySeconds 1 THEN the poll returns it after about a second', async () => {
    const { QueueUrl } = await realLab.sqs.send(new CreateQueueCommand({ QueueName: uniqueName('lpd') }));
    const started = Date.now();
    const polled = realLab.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 100));
    await realLab.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late', DelaySeconds: 1 }));
    expect((await polled).Messages?.map((m) => m.Body)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('GIVEN a FIFO group locked by an in-flight message and a 20 s long poll WHEN the in-flight message is deleted THEN the poll returns the next message of the group at once', async () => {
    const { QueueUrl } = await realLab.sqs.send(
      new CreateQueueCommand({
        QueueName: `${uniqueName('lpf')}.fifo`,
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    for (const body of ['first', 'second']) {
      await realLab.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: 'g' }));
    }
    const first = (await realLab.sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0]!;
    const started = Date.now();
    const polled = realLab.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 100));
    await realLab.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle }));
    expect((await polled).Messages?.map((m) => m.Body)).toEqual(['second']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('GIVEN an in-flight message and a 20 s long poll WHEN its visibility is changed to 1 s THEN the poll returns it after about a second', async () => {
    const { QueueUrl } = await realLab.sqs.send(new CreateQueueCommand({ QueueName: uniqueName('lpv') }));
    await realLab.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'back' }));
    const got = (await realLab.sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0]!;
    const started = Date.now();
    const polled = realLab.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 100));
    await realLab.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: got.ReceiptHandle, VisibilityTimeout: 1 }),
    );
    expect((await polled).Messages?.map((m) => m.Body)).toEqual(['back']);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('GIVEN a pending 20 s receiveInternal long poll WHEN its signal aborts THEN the poll ends at once', async () => {
    const service = realLab.endpoint.service('sqs');
    if (!isSqsService(service)) throw new Error('sqs service missing');
    const name = uniqueName('lpa');
    await realLab.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const aborter = new AbortController();
    const started = Date.now();
    const polled = service.receiveInternal(name, { waitTimeSeconds: 20, signal: aborter.signal });
    await new Promise((r) => setTimeout(r, 50));
    aborter.abort();
    expect(await polled).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('GIVEN a pending 20 s long poll WHEN the endpoint stops THEN the poll ends at once', async () => {
    const other = await startLab();
    const service = other.endpoint.service('sqs');
    if (!isSqsService(service)) throw new Error('sqs service missing');
    await other.sqs.send(new CreateQueueCommand({ QueueName: 'stopping' }));
    const started = Date.now();
    const polled = service.receiveInternal('stopping', { waitTimeSeconds: 20 });
    await new Promise((r) => setTimeout(r, 50));
    await other.stop();
    expect(await polled).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('local SQS: FIFO deduplication window', () => {
  // 3000× : the 5-minute window passes in 100 ms.
  let fast: Lab;
  beforeAll(async () => {
    fast = await startLab({ clock: new ScaledClock(3000) });
  });
  afterAll(() => fast?.stop());

  it('GIVEN a deduplicated message WHEN the same deduplication id is sent after 5 minutes THEN a new message is stored', async () => {
    const { QueueUrl } = await fast.sqs.send(
      new CreateQueueCommand({ QueueName: `${uniqueName('win')}.fifo`, Attributes: { FifoQueue: 'true' } }),
    );
    const send = () =>
      fast.sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }),
      );
    const first = await send();
    await new Promise((r) => setTimeout(r, 150));
    const second = await send();
    expect(second.MessageId).not.toBe(first.MessageId);
  });
});
