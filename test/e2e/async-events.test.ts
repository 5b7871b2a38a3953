/**
 * Issue 5, the asynchronous pattern end to end: the project's `AsyncEvents` stack deployed on the engine at a
 * fast time scale, driven with the real S3, SNS and SQS clients; what happened is read back from the stack's
 * queues and tables and from the `/_lab/events` timeline.
 *
 * The slow scenarios (the drills, with their 1- and 2-minute retry waits) all start in `beforeAll`, so their
 * virtual minutes pass together; each test then checks one behaviour of one scenario.
 *
 * @see docs/aws-semantics.md §B.2 (retries), §B.3 (DLQ), §B.4 (destinations), §B.5 (S3), §B.6 (SNS)
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { TimelineEvent, TimelineStep } from '../../local/core/contracts';
import { eventually, startLab, type Lab } from './harness';

/** Virtual seconds per real second: the 1 + 2 minutes of retry waits take 3 real seconds. */
const TIME_SCALE = 60;
/**
 * Lambda's waits before the 2nd and 3rd attempt of a failed asynchronous invocation (§B.2, L-ASYNC-ERR): "a
 * one-minute wait between the first two attempts, and two minutes between the second and third attempts".
 */
const FIRST_RETRY_WAIT_MS = 60_000;
const SECOND_RETRY_WAIT_MS = 120_000;
/**
 * Virtual slack for the real-time work between two stamps (event loop, worker messages), i.e. 0.75 real
 * seconds at 60×: late enough for a busy CI machine, tight enough that a 1-minute wait cannot pass for 2.
 */
const LATE_MS = 45_000;
/** A wait may look this much shorter: timers and stamps have millisecond resolution, × the scale. */
const EARLY_MS = 1_000;

let lab: Lab;
let scenarios: Scenarios;

interface Scenarios {
  readonly s3Error: Promise<S3Outcome>;
  readonly snsError: Promise<SnsFailure>;
  readonly s3ErrorOnce: Promise<S3Outcome>;
  readonly snsErrorOnce: Promise<SnsOutcome>;
  readonly s3Array: Promise<S3Outcome>;
  readonly s3SpaceInKey: Promise<S3Outcome>;
  readonly snsSuccess: Promise<SnsOutcome>;
  readonly outsidePrefix: Promise<FilterOutcome>;
}

/** An on-success or on-failure invocation record as the destination queue holds it (§B.4). */
interface InvocationRecord {
  readonly version: string;
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: string;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: S3EventPayload;
  readonly responseContext: Record<string, unknown>;
  readonly responsePayload: unknown;
}

interface S3EventPayload {
  readonly Records: ReadonlyArray<{ readonly s3: { readonly object: { readonly key: string } } }>;
}

interface S3Upload {
  readonly key: string;
  readonly body: string;
  /** The ETag PutObject answered, without quotes. */
  readonly eTag: string;
}

/** An upload under `orders/`, its finished timeline event and the destination record it ended with. */
interface S3Outcome extends S3Upload {
  readonly event: TimelineEvent;
  readonly record: InvocationRecord;
}

interface SnsOutcome {
  readonly messageId: string;
  readonly message: string;
  readonly event: TimelineEvent;
}

interface SnsFailure extends SnsOutcome {
  readonly deadLetter: Message;
}

interface FilterOutcome {
  readonly outsideKey: string;
  readonly orderId: string;
  /** An object under the prefix, uploaded after the one outside it, whose invocation has finished. */
  readonly marker: S3Outcome;
}

/**
 * Reads a queue the way a student would, deleting what it reads and keeping it here, so that scenarios
 * running at the same time can each find their own message.
 */
class QueueReader {
  private readonly seen: Message[] = [];

  constructor(private readonly queueUrl: () => string) {}

  find(predicate: (message: Message) => boolean, what: string): Promise<Message> {
    return eventually(
      async () => {
        await this.drain();
        return this.seen.find(predicate);
      },
      20_000,
      what,
    );
  }

  /** Every message seen so far, after reading what is there now. */
  async all(): Promise<Message[]> {
    await this.drain();
    return [...this.seen];
  }

  private async drain(): Promise<void> {
    const out = await lab.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl(),
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    for (const message of out.Messages ?? []) {
      this.seen.push(message);
      await lab.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl(), ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

const outputs = () => lab.outputs.AsyncEvents;
const failureDestination = new QueueReader(() => outputs().FailureDestinationQueueUrl!);
const successDestination = new QueueReader(() => outputs().SuccessDestinationQueueUrl!);
const deadLetterQueue = new QueueReader(() => outputs().DeadLetterQueueUrl!);
const subscriptionDeadLetterQueue = new QueueReader(() => outputs().SubscriptionDeadLetterQueueUrl!);

async function upload(key: string, content: unknown): Promise<S3Upload> {
  const body = JSON.stringify(content);
  const out = await lab.s3.send(new PutObjectCommand({ Bucket: outputs().BucketName, Key: key, Body: body }));
  return { key, body, eTag: (out.ETag ?? '').replace(/"/g, '') };
}

async function publish(content: unknown): Promise<{ messageId: string; message: string }> {
  const message = JSON.stringify(content);
  const out = await lab.sns.send(new PublishCommand({ TopicArn: outputs().TopicArn, Message: message }));
  return { messageId: out.MessageId!, message };
}

/** The finished timeline event whose one-line summary ends with `suffix` (S3: the raw key; SNS: the message id). */
function finishedEvent(source: 's3' | 'sns', suffix: string): Promise<TimelineEvent> {
  return eventually(
    async () => {
      const events = await lab.events({ source, limit: '1000' });
      return events.find((e) => e.summary?.endsWith(suffix) && e.status !== 'in-flight');
    },
    20_000,
    `the ${source} event ${suffix} to finish`,
  );
}

const bodyOf = <T>(message: Message): T => JSON.parse(message.Body ?? '') as T;
const recordFor = (key: string) => (m: Message) =>
  bodyOf<InvocationRecord>(m).requestPayload?.Records?.[0]?.s3.object.key === encodeKey(key);
/** S3 event keys are form-encoded (space → `+`), §B.5; the keys in these tests need nothing else. */
const encodeKey = (key: string): string => key.replace(/ /g, '+');

/** Upload under `orders/`, then the timeline event and the destination record it ends with. */
async function s3Scenario(name: string, order: unknown, destination: QueueReader): Promise<S3Outcome> {
  const sent = await upload(`${outputs().OrdersPrefix}${name}-${randomUUID()}.json`, order);
  const record = bodyOf<InvocationRecord>(await destination.find(recordFor(sent.key), `the record of ${sent.key}`));
  return { ...sent, record, event: await finishedEvent('s3', sent.key) };
}

async function snsScenario(order: unknown): Promise<SnsOutcome> {
  const sent = await publish(order);
  return { ...sent, event: await finishedEvent('sns', sent.messageId) };
}

async function snsFailureScenario(order: unknown): Promise<SnsFailure> {
  const sent = await publish(order);
  const deadLetter = await deadLetterQueue.find(
    (m) =>
      bodyOf<{ Records?: Array<{ Sns?: { MessageId?: string } }> }>(m).Records?.[0]?.Sns?.MessageId === sent.messageId,
    `the dead letter of SNS message ${sent.messageId}`,
  );
  return { ...sent, deadLetter, event: await finishedEvent('sns', sent.messageId) };
}

async function outsidePrefixScenario(): Promise<FilterOutcome> {
  const orderId = `outside-${randomUUID()}`;
  const outsideKey = `incoming/${orderId}.json`;
  await upload(outsideKey, { orderId, item: 'pen', quantity: 1 });
  // S3 notifies in upload order, so once this later object's invocation is over, the first one's would be too.
  const marker = await s3Scenario('marker', { item: 'pen', quantity: 1 }, successDestination);
  return { outsideKey, orderId, marker };
}

/** Keeps a scenario's rejection for the test that awaits it, instead of an unhandled rejection now. */
function started<T>(scenario: Promise<T>): Promise<T> {
  scenario.catch(() => undefined);
  return scenario;
}

beforeAll(async () => {
  lab = await startLab({ timeScale: TIME_SCALE });
  scenarios = {
    s3Error: started(s3Scenario('error', { item: 'pen', quantity: 1, drill: 'error' }, failureDestination)),
    snsError: started(snsFailureScenario({ item: 'pen', quantity: 1, drill: 'error' })),
    s3ErrorOnce: started(
      s3Scenario('error-once', { item: 'cup', quantity: 2, drill: 'error-once' }, successDestination),
    ),
    snsErrorOnce: started(
      snsScenario({ orderId: `sns-once-${randomUUID()}`, item: 'cup', quantity: 1, drill: 'error-once' }),
    ),
    s3Array: started(
      s3Scenario(
        'array',
        [
          { orderId: `file-a-${randomUUID()}`, item: 'pen', quantity: 1 },
          { orderId: `file-b-${randomUUID()}`, item: 'ink', quantity: 3 },
        ],
        successDestination,
      ),
    ),
    s3SpaceInKey: started(
      s3Scenario('two words', { orderId: `space-${randomUUID()}`, item: 'map', quantity: 1 }, successDestination),
    ),
    snsSuccess: started(snsScenario({ orderId: `sns-ok-${randomUUID()}`, item: 'bell', quantity: 4 })),
    outsidePrefix: started(outsidePrefixScenario()),
  };
}, 180_000);

afterAll(async () => {
  await lab?.stop();
});

const attemptsOf = (event: TimelineEvent): TimelineStep[] => event.steps.filter((s) => s.kind === 'attempt');

/**
 * When an attempt began, wall-clock ms: its step is stamped (with the wall clock, like every timeline time)
 * when it ends, after its init and run time.
 */
function startOf(attempt: TimelineStep): number {
  const init = attempt.detail?.['initDurationMs'];
  return attempt.at - (attempt.durationMs ?? 0) - (typeof init === 'number' ? init : 0);
}

/** The virtual length of a wait between two wall-clock times. */
const virtualWait = (fromMs: number, toMs: number): number => (toMs - fromMs) * TIME_SCALE;

/** Checks attempts 1-3 at about 0, +1 min and +3 min, counting each wait from the end of the attempt before. */
function expectAttemptsAtRetryTimes(event: TimelineEvent): void {
  const [first, second, third] = attemptsOf(event);
  expect(virtualWait(event.receivedAt, startOf(first!))).toBeLessThan(LATE_MS);
  const firstWait = virtualWait(first!.at, startOf(second!));
  expect(firstWait).toBeGreaterThanOrEqual(FIRST_RETRY_WAIT_MS - EARLY_MS);
  expect(firstWait).toBeLessThan(FIRST_RETRY_WAIT_MS + LATE_MS);
  const secondWait = virtualWait(second!.at, startOf(third!));
  expect(secondWait).toBeGreaterThanOrEqual(SECOND_RETRY_WAIT_MS - EARLY_MS);
  expect(secondWait).toBeLessThan(SECOND_RETRY_WAIT_MS + LATE_MS);
}

/** The request id Lambda gave the event when it accepted it. */
const requestIdOf = (event: TimelineEvent): unknown => event.steps[0]?.detail?.['requestId'];

async function storedOrder(orderId: string): Promise<Record<string, unknown> | undefined> {
  const out = await lab.dynamodb.send(new GetCommand({ TableName: outputs().OrdersTableName, Key: { orderId } }));
  return out.Item;
}

describe('an S3 upload with drill "error"', () => {
  it('runs three attempts: at once, a minute after the first, two minutes after the second', async () => {
    // GIVEN/WHEN an order file with drill "error" uploaded under orders/ (beforeAll)
    const { event } = await scenarios.s3Error;
    // THEN
    expect(attemptsOf(event).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'error'],
    ]);
    expectAttemptsAtRetryTimes(event);
  });

  it('keeps the same request id on every attempt', async () => {
    const { event } = await scenarios.s3Error;
    const ids = attemptsOf(event).map((a) => a.requestId);
    expect(ids).toEqual([requestIdOf(event), requestIdOf(event), requestIdOf(event)]);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows received → attempt → retry-scheduled → … → destination on the timeline API', async () => {
    const { event } = await scenarios.s3Error;
    expect(event.status).toBe('failed');
    expect(event.functionName).toBe(outputs().FileFunctionName);
    expect(event.steps.map((s) => s.kind)).toEqual([
      'received',
      'attempt',
      'retry-scheduled',
      'attempt',
      'retry-scheduled',
      'attempt',
      'destination',
    ]);
    expect(event.steps.at(-1)!.detail).toMatchObject({
      destination: outputs().FailureDestinationQueueArn,
      condition: 'RetriesExhausted',
    });
  });

  it('ends in the on-failure destination with a RetriesExhausted invocation record after 3 attempts', async () => {
    const { event, record } = await scenarios.s3Error;
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestContext: {
        requestId: requestIdOf(event),
        functionArn: `${outputs().FileFunctionArn}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: expect.any(Object),
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: {
        errorType: 'EventFailedError',
        errorMessage: expect.stringContaining('drill "error"'),
        trace: expect.arrayContaining([expect.stringMatching(/^EventFailedError: /)]),
      },
    });
    // AND the record was made after the last attempt, stamped with the wall clock like the timeline
    expect(Date.parse(record.timestamp)).toBeGreaterThanOrEqual(attemptsOf(event)[2]!.at - 1);
  });

  it('carries the original S3 event as the record’s requestPayload', async () => {
    const { record, key, body, eTag } = await scenarios.s3Error;
    expect(record.requestPayload).toEqual({
      Records: [
        expect.objectContaining({
          eventVersion: expect.stringMatching(/^2\.\d+$/),
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventName: 'ObjectCreated:Put',
          s3: expect.objectContaining({
            s3SchemaVersion: '1.0',
            bucket: expect.objectContaining({ name: outputs().BucketName, arn: outputs().BucketArn }),
            object: expect.objectContaining({
              key,
              size: Buffer.byteLength(body),
              eTag,
              sequencer: expect.any(String),
            }),
          }),
        }),
      ],
    });
  });
});

describe('an SNS message with drill "error"', () => {
  it('runs three attempts: at once, a minute after the first, two minutes after the second', async () => {
    const { event } = await scenarios.snsError;
    expect(attemptsOf(event).map((a) => a.outcome)).toEqual(['error', 'error', 'error']);
    expectAttemptsAtRetryTimes(event);
  });

  it('shows received → attempt → retry-scheduled → … → dead-letter on the timeline API', async () => {
    const { event } = await scenarios.snsError;
    expect(event.status).toBe('dead-lettered');
    expect(event.resource).toBe(outputs().TopicArn);
    expect(event.steps.map((s) => s.kind)).toEqual([
      'received',
      'attempt',
      'retry-scheduled',
      'attempt',
      'retry-scheduled',
      'attempt',
      'dead-letter',
    ]);
    expect(event.steps.at(-1)!.detail).toMatchObject({ target: outputs().DeadLetterQueueArn });
  });

  it('ends in the function’s dead-letter queue as the original SNS event', async () => {
    const { deadLetter, messageId, message } = await scenarios.snsError;
    expect(bodyOf(deadLetter)).toEqual({
      Records: [
        {
          EventVersion: '1.0',
          EventSubscriptionArn: expect.stringMatching(new RegExp(`^${outputs().TopicArn}:[0-9a-f-]{36}$`)),
          EventSource: 'aws:sns',
          Sns: expect.objectContaining({
            Type: 'Notification',
            MessageId: messageId,
            TopicArn: outputs().TopicArn,
            Message: message,
            Timestamp: expect.stringMatching(/Z$/),
            MessageAttributes: {},
          }),
        },
      ],
    });
  });

  it('carries RequestID (String), ErrorCode (Number) and ErrorMessage (String) attributes', async () => {
    const { deadLetter, event } = await scenarios.snsError;
    const last = attemptsOf(event).at(-1)!;
    expect(deadLetter.MessageAttributes).toEqual({
      RequestID: { DataType: 'String', StringValue: requestIdOf(event) },
      // the HTTP status of the invoke: 200, because the function ran and failed (§B.3)
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: last.errorMessage },
    });
    expect(last.errorMessage).toContain('drill "error"');
  });

  it('never puts a function error in the subscription’s dead-letter queue', async () => {
    const { messageId } = await scenarios.snsError;
    const redriven = (await subscriptionDeadLetterQueue.all()).filter((m) => m.Body?.includes(messageId));
    expect(redriven).toEqual([]);
  });
});

describe('drill "error-once"', () => {
  it('succeeds on the S3 event’s second attempt, a minute after the first', async () => {
    // GIVEN/WHEN an order file that fails its first attempt only (beforeAll)
    const { event } = await scenarios.s3ErrorOnce;
    // THEN
    const [first, second] = attemptsOf(event);
    expect(attemptsOf(event).map((a) => a.outcome)).toEqual(['error', 'success']);
    expect(virtualWait(first!.at, startOf(second!))).toBeGreaterThanOrEqual(FIRST_RETRY_WAIT_MS - EARLY_MS);
    expect(virtualWait(first!.at, startOf(second!))).toBeLessThan(FIRST_RETRY_WAIT_MS + LATE_MS);
    expect(event.status).toBe('succeeded');
  });

  it('sends the S3 event’s Success record, with the function’s result, to the on-success destination', async () => {
    const { event, record, key } = await scenarios.s3ErrorOnce;
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestContext: {
        requestId: requestIdOf(event),
        functionArn: `${outputs().FileFunctionArn}:$LATEST`,
        condition: 'Success',
        approximateInvokeCount: 2,
      },
      requestPayload: { Records: [expect.any(Object)] },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: {
        recorded: [{ orderId: expect.stringContaining('file-'), source: 'file', status: 'recorded' }],
        failures: [],
      },
    });
    expect(record.requestPayload.Records[0]!.s3.object.key).toBe(key);
    expect(event.steps.at(-1)).toMatchObject({
      kind: 'destination',
      detail: { destination: outputs().SuccessDestinationQueueArn, condition: 'Success' },
    });
  });

  it('succeeds on the SNS message’s retry and records the order, with nothing in the dead-letter queue', async () => {
    const { event, messageId, message } = await scenarios.snsErrorOnce;
    expect(event.status).toBe('succeeded');
    expect(event.steps.map((s) => s.kind)).toEqual(['received', 'attempt', 'retry-scheduled', 'attempt', 'succeeded']);
    const { orderId } = JSON.parse(message) as { orderId: string };
    expect(await storedOrder(orderId)).toMatchObject({ orderId, source: 'notification' });
    const deadLetters = (await deadLetterQueue.all()).filter((m) => m.Body?.includes(messageId));
    expect(deadLetters).toEqual([]);
  });
});

describe('successful events', () => {
  it('records every order of a file holding a JSON array', async () => {
    const { body, record } = await scenarios.s3Array;
    const orders = JSON.parse(body) as Array<{ orderId: string; item: string; quantity: number }>;
    for (const order of orders) expect(await storedOrder(order.orderId)).toMatchObject({ ...order, source: 'file' });
    expect(record.responsePayload).toEqual({
      recorded: orders.map((o) => ({ orderId: o.orderId, source: 'file', status: 'recorded' })),
      failures: [],
    });
  });

  it('sends a key with a space URL-encoded in the event, and the function still reads the object', async () => {
    const { key, body, record } = await scenarios.s3SpaceInKey;
    expect(key).toContain(' ');
    expect(record.requestPayload.Records[0]!.s3.object.key).toBe(key.replace(/ /g, '+'));
    const { orderId } = JSON.parse(body) as { orderId: string };
    expect(await storedOrder(orderId)).toMatchObject({ orderId, source: 'file' });
  });

  it('records an order published to the topic with one attempt', async () => {
    const { event, message } = await scenarios.snsSuccess;
    expect(event.status).toBe('succeeded');
    expect(attemptsOf(event)).toHaveLength(1);
    const order = JSON.parse(message) as { orderId: string };
    expect(await storedOrder(order.orderId)).toMatchObject({ ...order, source: 'notification' });
  });
});

describe('the notification filter', () => {
  it('invokes nothing for an object outside the orders/ prefix', async () => {
    // GIVEN/WHEN an order uploaded under incoming/, then one under orders/ whose invocation finished (beforeAll)
    const { outsideKey, orderId, marker } = await scenarios.outsidePrefix;
    expect(marker.event.status).toBe('succeeded');
    // THEN no event reached Lambda for the first one, and its order was never recorded
    const events = await lab.events({ source: 's3', limit: '1000' });
    expect(events.filter((e) => e.summary?.includes(outsideKey))).toEqual([]);
    expect(await storedOrder(orderId)).toBeUndefined();
  });

  it('invokes nothing when an object under orders/ is deleted: the notification is for ObjectCreated only', async () => {
    // GIVEN an object under orders/ whose upload was processed
    const { key } = await scenarios.s3SpaceInKey;
    // WHEN it is deleted, and then another object is uploaded and processed
    await lab.s3.send(new DeleteObjectCommand({ Bucket: outputs().BucketName, Key: key }));
    await s3Scenario('after-delete', { item: 'pen', quantity: 1 }, successDestination);
    // THEN the only event for the deleted key is its upload
    const events = await lab.events({ source: 's3', limit: '1000' });
    expect(events.filter((e) => e.summary?.endsWith(key)).map((e) => e.summary?.split(' ')[0])).toEqual([
      'ObjectCreated:Put',
    ]);
  });
});

describe('the SNS subscription dead-letter queue', () => {
  // The project's own subscription points at a function that exists, so SNS always hands its messages to
  // Lambda. Only a subscription to a missing function shows the path: a client-side error SNS does not retry.
  it('receives a message SNS cannot deliver to a missing function, at once and without an attempt', async () => {
    // GIVEN a second subscription on the project's topic, to a function that does not exist, redriving to the
    // project's subscription dead-letter queue
    const missing = `arn:aws:lambda:us-east-1:000000000000:function:missing-${randomUUID().slice(0, 8)}`;
    const { SubscriptionArn } = await lab.sns.send(
      new SubscribeCommand({
        TopicArn: outputs().TopicArn,
        Protocol: 'lambda',
        Endpoint: missing,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: outputs().SubscriptionDeadLetterQueueArn }),
        },
        ReturnSubscriptionArn: true,
      }),
    );
    try {
      // WHEN an order is published
      const { messageId, message } = await publish({ item: 'pen', quantity: 1 });
      // THEN the subscription DLQ holds the message in SNS's JSON envelope
      const redriven = await subscriptionDeadLetterQueue.find(
        (m) => bodyOf<{ MessageId?: string }>(m).MessageId === messageId,
        `the redriven message ${messageId}`,
      );
      expect(bodyOf(redriven)).toMatchObject({
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: outputs().TopicArn,
        Message: message,
      });
      // AND the timeline shows the delivery dead-lettered without any attempt
      const events = await lab.events({ source: 'sns', limit: '1000' });
      const toMissing = events.find(
        (e) => e.summary?.endsWith(messageId) && e.functionName !== outputs().NotificationFunctionName,
      );
      expect(toMissing?.status).toBe('dead-lettered');
      expect(toMissing?.steps.map((s) => s.kind)).toEqual(['received', 'dead-letter']);
    } finally {
      await lab.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    }
  });
});
