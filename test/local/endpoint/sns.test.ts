import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
  type MessageAttributeValue,
  type SNSClient,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { matchesAttributes, matchesBody, parseFilterPolicy } from '../../../local/endpoint/services/sns';
import type { SnsLambdaDelivery } from '../../../local/endpoint/types';
import { ACCOUNT, REGION, startLab, uniqueName, type Lab } from './sqs-sns-helpers';

let lab: Lab;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  lab = await startLab();
  sns = lab.sns;
  sqs = lab.sqs;
});
afterAll(() => lab.stop());

async function topic(attributes: Record<string, string> = {}, name = uniqueName('t')): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }))).TopicArn!;
}

async function queue(
  name = uniqueName('q'),
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: attrs.Attributes!.QueueArn! };
}

async function subscribeQueue(topicArn: string, attributes: Record<string, string> = {}) {
  const q = await queue();
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: q.arn,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return { ...q, subscriptionArn: SubscriptionArn! };
}

async function bodies(url: string): Promise<string[]> {
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
  );
  return (out.Messages ?? []).map((m) => m.Body!);
}

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

const str = (v: string): MessageAttributeValue => ({ DataType: 'String', StringValue: v });
const num = (v: number): MessageAttributeValue => ({ DataType: 'Number', StringValue: String(v) });

describe('local SNS: topics', () => {
  it('GIVEN a name WHEN a topic is created twice THEN the same ARN with the region and account comes back', async () => {
    const name = uniqueName('idem');
    const arn = await topic({}, name);
    expect(arn).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:${name}`);
    expect(await topic({}, name)).toBe(arn);
  });

  it('GIVEN topics WHEN ListTopics is called THEN they are listed', async () => {
    const arn = await topic();
    const out = await sns.send(new ListTopicsCommand({}));
    expect(out.Topics?.map((t) => t.TopicArn)).toContain(arn);
  });

  it('GIVEN a topic WHEN it is deleted THEN publishing to it raises NotFoundException', async () => {
    const arn = await topic();
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect((await errorOf(sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' })))).name).toBe(
      'NotFoundException',
    );
  });

  it('GIVEN a FIFO topic with a KMS key WHEN its attributes are read THEN FifoTopic and KmsMasterKeyId are kept', async () => {
    const arn = await topic({ FifoTopic: 'true', KmsMasterKeyId: 'alias/aws/sns' }, `${uniqueName('f')}.fifo`);
    const out = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(out.Attributes).toMatchObject({
      FifoTopic: 'true',
      KmsMasterKeyId: 'alias/aws/sns',
      TopicArn: arn,
      Owner: ACCOUNT,
    });
  });

  it('GIVEN a topic WHEN SetTopicAttributes sets DisplayName THEN GetTopicAttributes returns it', async () => {
    const arn = await topic();
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Orders' }),
    );
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes?.DisplayName).toBe('Orders');
  });

  it('GIVEN a missing topic WHEN its attributes are read THEN NotFoundException is raised', async () => {
    const err = await errorOf(
      sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:nope` })),
    );
    expect(err.name).toBe('NotFoundException');
  });
});

describe('local SNS: subscriptions', () => {
  it('GIVEN an SQS subscription WHEN ListSubscriptionsByTopic is called THEN it lists protocol, endpoint and owner', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn);
    const out = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(out.Subscriptions).toEqual([
      { SubscriptionArn: sub.subscriptionArn, Owner: ACCOUNT, Protocol: 'sqs', Endpoint: sub.arn, TopicArn: arn },
    ]);
  });

  it('GIVEN subscription attributes WHEN they are set and read THEN RawMessageDelivery, FilterPolicy, scope and RedrivePolicy come back', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn);
    const dlq = await queue();
    const set = (AttributeName: string, AttributeValue: string) =>
      sns.send(
        new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.subscriptionArn, AttributeName, AttributeValue }),
      );
    await set('RawMessageDelivery', 'true');
    await set('FilterPolicyScope', 'MessageBody');
    await set('FilterPolicy', '{"kind":["order"]}');
    await set('RedrivePolicy', JSON.stringify({ deadLetterTargetArn: dlq.arn }));
    const out = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.subscriptionArn }));
    expect(out.Attributes).toMatchObject({
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: '{"kind":["order"]}',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
      Protocol: 'sqs',
      TopicArn: arn,
    });
  });

  it('GIVEN a malformed filter policy WHEN it is set THEN InvalidParameterException is raised', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn);
    const err = await errorOf(
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: sub.subscriptionArn,
          AttributeName: 'FilterPolicy',
          AttributeValue: '{"a": 1}',
        }),
      ),
    );
    expect(err.name).toBe('InvalidParameterException');
  });

  it('GIVEN an unsubscribed queue WHEN a message is published THEN the queue gets nothing', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn);
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.subscriptionArn }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'gone' }));
    expect(await bodies(sub.url)).toEqual([]);
  });

  it('GIVEN a missing subscription WHEN Unsubscribe is called THEN NotFoundException is raised', async () => {
    const err = await errorOf(
      sns.send(new UnsubscribeCommand({ SubscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT}:t:nope` })),
    );
    expect(err.name).toBe('NotFoundException');
  });
});

describe('local SNS: delivery to SQS', () => {
  it('GIVEN an SQS subscription WHEN a message is published THEN the queue receives the real notification envelope', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn);
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: 'hello',
        Subject: 'Greeting',
        MessageAttributes: { kind: str('order') },
      }),
    );
    const [body] = await bodies(sub.url);
    const envelope = JSON.parse(body!) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: arn,
      Subject: 'Greeting',
      Message: 'hello',
      SignatureVersion: '1',
      MessageAttributes: { kind: { Type: 'String', Value: 'order' } },
    });
    expect(new Date(envelope.Timestamp as string).toISOString()).toBe(envelope.Timestamp);
    for (const key of ['Signature', 'SigningCertURL', 'UnsubscribeURL']) expect(typeof envelope[key]).toBe('string');
  });

  it('GIVEN raw message delivery WHEN a message with attributes is published THEN the queue gets the bare body and the attributes as SQS attributes', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn, { RawMessageDelivery: 'true' });
    await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'raw body', MessageAttributes: { kind: str('order') } }),
    );
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: sub.url, MessageAttributeNames: ['All'] }));
    expect(out.Messages?.[0]?.Body).toBe('raw body');
    expect(out.Messages?.[0]?.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'order' } });
  });

  it('GIVEN MessageStructure json WHEN a message is published THEN the SQS subscription gets the sqs entry', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn, { RawMessageDelivery: 'true' });
    await sns.send(
      new PublishCommand({
        TopicArn: arn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'd', sqs: 'for sqs' }),
      }),
    );
    expect(await bodies(sub.url)).toEqual(['for sqs']);
  });

  it('GIVEN an attribute filter policy WHEN matching and non-matching messages are published THEN only the match is delivered', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn, {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify({ kind: ['order'] }),
    });
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'yes', MessageAttributes: { kind: str('order') } }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'no', MessageAttributes: { kind: str('refund') } }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'none' }));
    expect(await bodies(sub.url)).toEqual(['yes']);
  });

  it('GIVEN a MessageBody-scoped policy on a nested key WHEN JSON bodies are published THEN only the matching body is delivered', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn, {
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ order: { total: [{ numeric: ['>', 100] }] } }),
    });
    await sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify({ order: { total: 150 } }) }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify({ order: { total: 50 } }) }));
    expect(await bodies(sub.url)).toEqual([JSON.stringify({ order: { total: 150 } })]);
  });

  it('GIVEN a subscription to a missing queue with a RedrivePolicy WHEN a message is published THEN it lands in the subscription DLQ', async () => {
    const arn = await topic();
    const dlq = await queue();
    await sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:never-created`,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
      }),
    );
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'lost' }));
    const [body] = await bodies(dlq.url);
    expect((JSON.parse(body!) as { Message: string }).Message).toBe('lost');
  });

  it('GIVEN PublishBatch with two entries WHEN it runs THEN both succeed and are delivered', async () => {
    const arn = await topic();
    const sub = await subscribeQueue(arn, { RawMessageDelivery: 'true' });
    const out = await sns.send(
      new PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'first' },
          { Id: 'b', Message: 'second', MessageAttributes: { n: num(1) } },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    expect((await bodies(sub.url)).sort()).toEqual(['first', 'second']);
  });

  it('GIVEN PublishBatch with a repeated id WHEN it runs THEN BatchEntryIdsNotDistinctException is raised', async () => {
    const arn = await topic();
    const err = await errorOf(
      sns.send(
        new PublishBatchCommand({
          TopicArn: arn,
          PublishBatchRequestEntries: [
            { Id: 'x', Message: '1' },
            { Id: 'x', Message: '2' },
          ],
        }),
      ),
    );
    expect(err.name).toBe('BatchEntryIdsNotDistinctException');
  });

  it('GIVEN an empty message WHEN it is published THEN InvalidParameterException is raised', async () => {
    const arn = await topic();
    expect((await errorOf(sns.send(new PublishCommand({ TopicArn: arn, Message: '' })))).name).toBe(
      'InvalidParameterException',
    );
  });

  it('GIVEN a FIFO topic and FIFO queue WHEN messages of one group are published THEN they arrive in order with the group id', async () => {
    const arn = await topic({ FifoTopic: 'true', ContentBasedDeduplication: 'true' }, `${uniqueName('ft')}.fifo`);
    const q = await queue(`${uniqueName('fq')}.fifo`, { FifoQueue: 'true' });
    await sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: 'sqs',
        Endpoint: q.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    for (const m of ['1', '2', '3'])
      await sns.send(new PublishCommand({ TopicArn: arn, Message: m, MessageGroupId: 'g' }));
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: q.url,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    expect(out.Messages?.map((m) => m.Body)).toEqual(['1', '2', '3']);
    expect(out.Messages?.[0]?.Attributes?.MessageGroupId).toBe('g');
  });

  it('GIVEN a FIFO topic WHEN a message has no MessageGroupId THEN InvalidParameterException is raised', async () => {
    const arn = await topic({ FifoTopic: 'true', ContentBasedDeduplication: 'true' }, `${uniqueName('ft')}.fifo`);
    expect((await errorOf(sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' })))).name).toBe(
      'InvalidParameterException',
    );
  });
});

describe('local SNS: delivery to Lambda', () => {
  it('GIVEN a Lambda subscription with a filter and DLQ WHEN a matching message is published THEN the engine bus gets the delivery', async () => {
    const arn = await topic();
    const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:consumer`;
    const dlq = `arn:aws:sqs:${REGION}:${ACCOUNT}:consumer-dlq`;
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: 'lambda',
        Endpoint: fn,
        ReturnSubscriptionArn: true,
        Attributes: {
          FilterPolicy: JSON.stringify({ kind: ['order'] }),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq }),
        },
      }),
    );
    const deliveries: SnsLambdaDelivery[] = [];
    lab.endpoint.bus.on('sns:lambda', (d) => deliveries.push(d));
    await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'skip me', MessageAttributes: { kind: str('refund') } }),
    );
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: 'for lambda',
        Subject: 'S',
        MessageAttributes: { kind: str('order') },
      }),
    );
    expect(deliveries).toEqual([
      expect.objectContaining({
        subscriptionArn: SubscriptionArn,
        topicArn: arn,
        functionArn: fn,
        deadLetterTargetArn: dlq,
        messageId: MessageId,
        message: 'for lambda',
        subject: 'S',
        messageAttributes: { kind: { Type: 'String', Value: 'order' } },
      }),
    ]);
  });
});

describe('SNS filter policies (matching rules)', () => {
  const attrs = (a: Record<string, { DataType: string; StringValue: string }>) => a;
  it.each([
    ['exact string', { kind: ['order'] }, { kind: { DataType: 'String', StringValue: 'order' } }, true],
    ['exact string miss', { kind: ['order'] }, { kind: { DataType: 'String', StringValue: 'refund' } }, false],
    ['exact number', { n: [5] }, { n: { DataType: 'Number', StringValue: '5.0' } }, true],
    ['prefix', { kind: [{ prefix: 'ord' }] }, { kind: { DataType: 'String', StringValue: 'order' } }, true],
    ['suffix', { file: [{ suffix: '.png' }] }, { file: { DataType: 'String', StringValue: 'a.jpg' } }, false],
    [
      'anything-but list',
      { kind: [{ 'anything-but': ['a', 'b'] }] },
      { kind: { DataType: 'String', StringValue: 'c' } },
      true,
    ],
    [
      'anything-but prefix',
      { kind: [{ 'anything-but': { prefix: 'int' } }] },
      { kind: { DataType: 'String', StringValue: 'internal' } },
      false,
    ],
    [
      'numeric range in',
      { n: [{ numeric: ['>=', 10, '<', 20] }] },
      { n: { DataType: 'Number', StringValue: '10' } },
      true,
    ],
    [
      'numeric range out',
      { n: [{ numeric: ['>=', 10, '<', 20] }] },
      { n: { DataType: 'Number', StringValue: '20' } },
      false,
    ],
    ['exists true', { kind: [{ exists: true }] }, {}, false],
    ['exists false', { kind: [{ exists: false }] }, {}, true],
    [
      'equals-ignore-case',
      { kind: [{ 'equals-ignore-case': 'ORDER' }] },
      { kind: { DataType: 'String', StringValue: 'Order' } },
      true,
    ],
    ['String.Array any element', { tag: ['b'] }, { tag: { DataType: 'String.Array', StringValue: '["a","b"]' } }, true],
    ['AND across keys', { a: ['1'], b: ['2'] }, { a: { DataType: 'String', StringValue: '1' } }, false],
    ['$or across keys', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: { DataType: 'String', StringValue: '2' } }, true],
  ])('GIVEN a %s policy WHEN attributes are matched THEN the result is %s', (_label, policy, attributes, expected) => {
    expect(matchesAttributes(parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes'), attrs(attributes))).toBe(
      expected,
    );
  });

  it.each([
    ['nested exact', { order: { kind: ['x'] } }, { order: { kind: 'x' } }, true],
    ['nested missing', { order: { kind: ['x'] } }, { other: 1 }, false],
    ['array element', { tags: ['b'] }, { tags: ['a', 'b'] }, true],
    [
      'nested in array of objects',
      { items: { sku: [{ prefix: 'A-' }] } },
      { items: [{ sku: 'B-1' }, { sku: 'A-2' }] },
      true,
    ],
    ['exists false on body', { x: [{ exists: false }] }, { y: 1 }, true],
  ])('GIVEN a %s body policy WHEN a body is matched THEN the result is %s', (_label, policy, body, expected) => {
    expect(matchesBody(parseFilterPolicy(JSON.stringify(policy), 'MessageBody'), JSON.stringify(body))).toBe(expected);
  });

  it('GIVEN a body that is not JSON WHEN a body policy is matched THEN it does not match', () => {
    expect(matchesBody(parseFilterPolicy('{"a":["b"]}', 'MessageBody'), 'plain text')).toBe(false);
  });
});
