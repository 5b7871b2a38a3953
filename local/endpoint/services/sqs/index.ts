import { realClock, type Clock } from '../../../core/clock';
import { AwsError, reader, serveJson, type InputReader } from '../../protocols/json';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse } from '../../types';
import { ATTRIBUTE_RULES, COMPUTED_ATTRIBUTES, validateAttributes, withDefaults } from './attributes';
import { md5OfAttributes, type MessageAttributeValue } from './md5';
import { LocalQueue, type SendOutcome, type StoredMessage } from './queue';

export type { MessageAttributeValue } from './md5';
export { md5OfAttributes, md5OfBody } from './md5';

/** Options of {@link sqsService}. */
export interface SqsServiceOptions {
  /** Drives visibility timeouts, delays, long polls, deduplication and retention. @default realClock */
  readonly clock?: Clock;
}

/** A queue as other parts of the engine see it. */
export interface QueueInfo {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly fifo: boolean;
  /** Current attributes, computed ones included (`QueueArn`, `ApproximateNumberOfMessages`, …). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A message sent by an in-process caller (SNS delivery, the engine's DLQs and destinations). */
export interface InternalMessage {
  readonly body: string;
  readonly messageAttributes?: Readonly<Record<string, MessageAttributeValue>>;
  /** Required on FIFO queues. */
  readonly messageGroupId?: string;
  /** On FIFO queues without content-based deduplication, required. */
  readonly messageDeduplicationId?: string;
  readonly delaySeconds?: number;
  /** Shown as the `SenderId` system attribute. @default the account id */
  readonly senderId?: string;
}

/** A received message in the SQS API's shape (`Attributes` hold every system attribute). */
export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly MD5OfBody: string;
  readonly Body: string;
  readonly Attributes: Readonly<Record<string, string>>;
  readonly MD5OfMessageAttributes?: string;
  readonly MessageAttributes?: Readonly<Record<string, MessageAttributeValue>>;
}

/** Options of {@link SqsService.receiveInternal}. */
export interface InternalReceiveOptions {
  /** 1–10. @default 10 */
  readonly maxNumberOfMessages?: number;
  /** @default the queue's VisibilityTimeout */
  readonly visibilityTimeout?: number;
  /** Long poll, 0–20 s of virtual time. @default 0 */
  readonly waitTimeSeconds?: number;
  /** Ends the long poll early. */
  readonly signal?: AbortSignal;
}

/**
 * The local SQS service: AWS JSON 1.0 (what SDK v3 sends) behind the shared endpoint, plus a typed
 * in-process API for SNS delivery and the engine's SQS poller. Queue references may be a queue URL
 * (any host), an ARN or a bare name.
 */
export interface SqsService extends LocalService {
  readonly name: 'sqs';
  findQueue(ref: string): QueueInfo | undefined;
  listQueues(): QueueInfo[];
  /** Sends like SendMessage; throws an `AwsError` (`QueueDoesNotExist`, `InvalidParameterValue`, …). */
  sendInternal(ref: string, message: InternalMessage): SendOutcome;
  /** Receives like ReceiveMessage with every system and message attribute. */
  receiveInternal(ref: string, opts?: InternalReceiveOptions): Promise<ReceivedMessage[]>;
  deleteInternal(ref: string, receiptHandle: string): void;
  changeVisibilityInternal(ref: string, receiptHandle: string, visibilityTimeout: number): void;
}

/** Type guard for services that carry the in-process SQS API. */
export function isSqsService(service: LocalService | undefined): service is SqsService {
  return service?.name === 'sqs' && typeof (service as Partial<SqsService>).sendInternal === 'function';
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
// Characters SQS accepts in a body: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
const INVALID_BODY_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const SYSTEM_ATTRIBUTE_NAMES = [
  'All',
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
];

const notFound = (): AwsError =>
  new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', {
    queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
  });
const invalid = (message: string): AwsError => new AwsError('InvalidParameterValue', message);
const invalidValue = (value: unknown, name: string, reason: string): AwsError =>
  invalid(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
const inputError = (message: string, missing: boolean): AwsError =>
  new AwsError(missing ? 'MissingParameter' : 'InvalidParameterValue', message);

/**
 * Creates the local SQS service.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/Welcome.html
 */
export function sqsService(opts: SqsServiceOptions = {}): (ctx: EndpointContext) => SqsService {
  return (ctx) => new LocalSqs(ctx, opts.clock ?? realClock);
}

class LocalSqs implements SqsService {
  readonly name = 'sqs' as const;
  private readonly queues = new Map<string, LocalQueue>();
  private readonly stopping = new AbortController();
  private readonly operations: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>;

  constructor(
    private readonly ctx: EndpointContext,
    private readonly clock: Clock,
  ) {
    this.operations = {
      CreateQueue: (i) => this.createQueue(read(i)),
      GetQueueUrl: (i) => this.getQueueUrl(read(i)),
      ListQueues: (i) => this.listQueuesOp(read(i)),
      DeleteQueue: (i) => this.deleteQueue(read(i)),
      GetQueueAttributes: (i) => this.getQueueAttributes(read(i)),
      SetQueueAttributes: (i) => this.setQueueAttributes(read(i)),
      SendMessage: (i) => this.sendMessage(read(i)),
      SendMessageBatch: (i) => this.sendMessageBatch(read(i)),
      ReceiveMessage: (i) => this.receiveMessage(read(i)),
      DeleteMessage: (i) => this.deleteMessage(read(i)),
      DeleteMessageBatch: (i) => this.deleteMessageBatch(read(i)),
      ChangeMessageVisibility: (i) => this.changeMessageVisibility(read(i)),
      ChangeMessageVisibilityBatch: (i) => this.changeMessageVisibilityBatch(read(i)),
      PurgeQueue: (i) => this.purgeQueue(read(i)),
      TagQueue: (i) => this.tagQueue(read(i)),
      UntagQueue: (i) => this.untagQueue(read(i)),
      ListQueueTags: (i) => ({ Tags: { ...this.queueOf(read(i)).tags } }),
      ListDeadLetterSourceQueues: (i) => this.listDeadLetterSourceQueues(read(i)),
    };
  }

  handle(req: ServiceRequest): Promise<ServiceResponse> {
    return serveJson(
      req,
      {
        version: '1.0',
        targetPrefix: 'AmazonSQS',
        serviceLabel: 'SQS service',
        namespace: 'com.amazonaws.sqs',
        queryCompatible: true,
      },
      this.operations,
    );
  }

  health(): string {
    return `running (${this.queues.size} queues)`;
  }

  async close(): Promise<void> {
    this.stopping.abort();
    for (const q of this.queues.values()) q.wake();
  }

  // ---- in-process API ----

  findQueue(ref: string): QueueInfo | undefined {
    const q = this.resolve(ref);
    return q && this.info(q);
  }

  listQueues(): QueueInfo[] {
    return [...this.queues.values()].map((q) => this.info(q));
  }

  sendInternal(ref: string, message: InternalMessage): SendOutcome {
    const q = this.resolve(ref);
    if (!q) throw notFound();
    return this.send(q, {
      body: message.body,
      attributes: message.messageAttributes,
      groupId: message.messageGroupId,
      deduplicationId: message.messageDeduplicationId,
      delaySeconds: message.delaySeconds,
      senderId: message.senderId,
    });
  }

  async receiveInternal(ref: string, opts: InternalReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const q = this.resolve(ref);
    if (!q) throw notFound();
    const messages = await this.receive(
      q,
      opts.maxNumberOfMessages ?? 10,
      opts.visibilityTimeout ?? q.numeric('VisibilityTimeout'),
      opts.waitTimeSeconds ?? 0,
      opts.signal,
    );
    return messages.map((m) => this.format(m, new Set(['All']), ['All']));
  }

  deleteInternal(ref: string, receiptHandle: string): void {
    const q = this.resolve(ref);
    if (!q) throw notFound();
    this.deleteOne(q, receiptHandle);
  }

  changeVisibilityInternal(ref: string, receiptHandle: string, visibilityTimeout: number): void {
    const q = this.resolve(ref);
    if (!q) throw notFound();
    this.changeOne(q, receiptHandle, visibilityTimeout);
  }

  // ---- queues ----

  private createQueue(r: InputReader): unknown {
    const name = r.reqStr('QueueName');
    const attrs = stringMap(r.obj('Attributes'), 'Attributes');
    const fifo = attrs.FifoQueue === 'true';
    if (!(fifo ? FIFO_QUEUE_NAME : QUEUE_NAME).test(name)) {
      throw invalid(
        fifo && !name.endsWith('.fifo')
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    validateAttributes(attrs, fifo, true);
    const existing = this.queues.get(name);
    if (existing) {
      for (const [k, v] of Object.entries(attrs)) {
        if (existing.attributes[k] !== v) {
          throw new AwsError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${k}`,
            { queryCode: 'QueueAlreadyExists' },
          );
        }
      }
      return { QueueUrl: this.urlOf(existing) };
    }
    const arn = `arn:aws:sqs:${this.ctx.region}:${this.ctx.accountId}:${name}`;
    const q = new LocalQueue(name, arn, fifo, withDefaults(attrs, fifo), this.clock);
    Object.assign(q.tags, stringMap(r.obj('tags'), 'tags'));
    this.queues.set(name, q);
    return { QueueUrl: this.urlOf(q) };
  }

  private getQueueUrl(r: InputReader): unknown {
    const name = r.reqStr('QueueName');
    const owner = r.str('QueueOwnerAWSAccountId');
    const q = this.queues.get(name);
    if (!q || (owner !== undefined && owner !== this.ctx.accountId)) throw notFound();
    return { QueueUrl: this.urlOf(q) };
  }

  private listQueuesOp(r: InputReader): unknown {
    const prefix = r.str('QueueNamePrefix') ?? '';
    const max = r.num('MaxResults');
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 1000)) {
      throw invalidValue(max, 'MaxResults', 'Must be between 1 and 1000.');
    }
    const names = [...this.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
    const token = r.str('NextToken');
    const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0 : 0;
    const page = max === undefined ? names.slice(0, 1000) : names.slice(start, start + max);
    const next = max !== undefined && start + max < names.length ? start + max : undefined;
    const out: Record<string, unknown> = {};
    if (page.length > 0) out.QueueUrls = page.map((n) => this.urlOf(this.queues.get(n)!));
    if (next !== undefined) out.NextToken = Buffer.from(String(next)).toString('base64');
    return out;
  }

  private deleteQueue(r: InputReader): unknown {
    const q = this.queueOf(r);
    q.deleted = true;
    q.purge();
    q.wake();
    this.queues.delete(q.name);
    return {};
  }

  private getQueueAttributes(r: InputReader): unknown {
    const q = this.queueOf(r);
    const wanted = r.strList('AttributeNames') ?? [];
    const all = this.allAttributes(q);
    for (const name of wanted) {
      if (name !== 'All' && !(name in ATTRIBUTE_RULES) && !(COMPUTED_ATTRIBUTES as readonly string[]).includes(name)) {
        throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      }
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(all)) if (wanted.includes('All') || wanted.includes(k)) out[k] = v;
    return Object.keys(out).length > 0 ? { Attributes: out } : {};
  }

  private setQueueAttributes(r: InputReader): unknown {
    const q = this.queueOf(r);
    const attrs = stringMap(r.obj('Attributes'), 'Attributes');
    validateAttributes(attrs, q.fifo, false);
    Object.assign(q.attributes, attrs);
    q.lastModifiedAt = this.clock.now();
    return {};
  }

  private purgeQueue(r: InputReader): unknown {
    this.queueOf(r).purge();
    return {};
  }

  private tagQueue(r: InputReader): unknown {
    Object.assign(this.queueOf(r).tags, stringMap(r.obj('Tags'), 'Tags'));
    return {};
  }

  private untagQueue(r: InputReader): unknown {
    const q = this.queueOf(r);
    for (const key of r.strList('TagKeys') ?? []) delete q.tags[key];
    return {};
  }

  private listDeadLetterSourceQueues(r: InputReader): unknown {
    const dlq = this.queueOf(r);
    const urls = [...this.queues.values()]
      .filter((q) => q.redrivePolicy?.deadLetterTargetArn === dlq.arn)
      .map((q) => this.urlOf(q));
    return { queueUrls: urls };
  }

  // ---- messages ----

  private sendMessage(r: InputReader): unknown {
    const q = this.queueOf(r);
    const outcome = this.send(q, {
      body: r.reqStr('MessageBody'),
      attributes: messageAttributes(r.obj('MessageAttributes')),
      systemAttributes: systemAttributes(r.obj('MessageSystemAttributes')),
      delaySeconds: r.num('DelaySeconds'),
      groupId: r.str('MessageGroupId'),
      deduplicationId: r.str('MessageDeduplicationId'),
    });
    return sendResult(outcome);
  }

  private sendMessageBatch(r: InputReader): unknown {
    const q = this.queueOf(r);
    const entries = batchEntries(r);
    const maxSize = q.numeric('MaximumMessageSize');
    let total = 0;
    for (const e of entries) total += Buffer.byteLength(typeof e.MessageBody === 'string' ? e.MessageBody : '');
    if (total > maxSize) {
      throw new AwsError('BatchRequestTooLong', `Batch requests cannot be longer than ${maxSize} bytes.`, {
        queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong',
      });
    }
    return this.runBatch(entries, (e) => {
      const er = read(e);
      return {
        Id: er.reqStr('Id'),
        ...sendResult(
          this.send(q, {
            body: er.reqStr('MessageBody'),
            attributes: messageAttributes(er.obj('MessageAttributes')),
            systemAttributes: systemAttributes(er.obj('MessageSystemAttributes')),
            delaySeconds: er.num('DelaySeconds'),
            groupId: er.str('MessageGroupId'),
            deduplicationId: er.str('MessageDeduplicationId'),
          }),
        ),
      };
    });
  }

  private async receiveMessage(r: InputReader): Promise<unknown> {
    const q = this.queueOf(r);
    const max = r.num('MaxNumberOfMessages') ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw invalidValue(max, 'MaxNumberOfMessages', 'Must be between 1 and 10, if provided.');
    }
    const vt = r.num('VisibilityTimeout') ?? q.numeric('VisibilityTimeout');
    if (!Number.isInteger(vt) || vt < 0 || vt > 43200) {
      throw invalidValue(vt, 'VisibilityTimeout', 'Must be between 0 and 43200, if provided.');
    }
    const wait = r.num('WaitTimeSeconds') ?? q.numeric('ReceiveMessageWaitTimeSeconds');
    if (!Number.isInteger(wait) || wait < 0 || wait > 20) {
      throw invalidValue(wait, 'WaitTimeSeconds', 'Must be >= 0 and <= 20, if provided.');
    }
    // MessageSystemAttributeNames replaced the deprecated AttributeNames; SDKs may send either.
    const systemNames = new Set([
      ...(r.strList('AttributeNames') ?? []),
      ...(r.strList('MessageSystemAttributeNames') ?? []),
    ]);
    for (const n of systemNames) {
      if (!SYSTEM_ATTRIBUTE_NAMES.includes(n)) throw new AwsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
    }
    const attributeNames = r.strList('MessageAttributeNames') ?? [];
    const messages = await this.receive(q, max, vt, wait, undefined);
    return messages.length === 0 ? {} : { Messages: messages.map((m) => this.format(m, systemNames, attributeNames)) };
  }

  private deleteMessage(r: InputReader): unknown {
    this.deleteOne(this.queueOf(r), r.reqStr('ReceiptHandle'));
    return {};
  }

  private deleteMessageBatch(r: InputReader): unknown {
    const q = this.queueOf(r);
    return this.runBatch(batchEntries(r), (e) => {
      const er = read(e);
      const id = er.reqStr('Id');
      this.deleteOne(q, er.reqStr('ReceiptHandle'));
      return { Id: id };
    });
  }

  private changeMessageVisibility(r: InputReader): unknown {
    const q = this.queueOf(r);
    const vt = r.num('VisibilityTimeout');
    if (vt === undefined) throw inputError('The request must contain the parameter VisibilityTimeout.', true);
    this.changeOne(q, r.reqStr('ReceiptHandle'), vt);
    return {};
  }

  private changeMessageVisibilityBatch(r: InputReader): unknown {
    const q = this.queueOf(r);
    return this.runBatch(batchEntries(r), (e) => {
      const er = read(e);
      const id = er.reqStr('Id');
      this.changeOne(q, er.reqStr('ReceiptHandle'), er.num('VisibilityTimeout') ?? 0);
      return { Id: id };
    });
  }

  // ---- shared logic ----

  private send(
    q: LocalQueue,
    m: {
      body: string;
      attributes?: Record<string, MessageAttributeValue>;
      systemAttributes?: Record<string, MessageAttributeValue>;
      delaySeconds?: number;
      groupId?: string;
      deduplicationId?: string;
      senderId?: string;
    },
  ): SendOutcome {
    if (m.body.length === 0) throw inputError('The request must contain the parameter MessageBody.', true);
    if (INVALID_BODY_CHAR.test(m.body)) {
      throw new AwsError(
        'InvalidMessageContents',
        'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      );
    }
    const maxSize = q.numeric('MaximumMessageSize');
    const size = Buffer.byteLength(m.body) + attributesSize(m.attributes ?? {});
    if (size > maxSize) {
      throw invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`);
    }
    if (m.delaySeconds !== undefined) {
      if (q.fifo) {
        throw invalidValue(
          m.delaySeconds,
          'DelaySeconds',
          'The request include parameter that is not valid for this queue type.',
        );
      }
      if (!Number.isInteger(m.delaySeconds) || m.delaySeconds < 0 || m.delaySeconds > 900) {
        throw invalidValue(m.delaySeconds, 'DelaySeconds', 'Must be >= 0 and <= 900.');
      }
    }
    if (q.fifo) {
      if (m.groupId === undefined) throw inputError('The request must contain the parameter MessageGroupId.', true);
      if (m.deduplicationId === undefined && q.attributes.ContentBasedDeduplication !== 'true') {
        throw invalid(
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      }
    } else if (m.deduplicationId !== undefined) {
      throw invalidValue(
        m.deduplicationId,
        'MessageDeduplicationId',
        'The request includes a parameter that is not valid for this queue type.',
      );
    }
    return q.send({ ...m, senderId: m.senderId ?? this.ctx.accountId });
  }

  private async receive(
    q: LocalQueue,
    max: number,
    visibilityTimeout: number,
    waitSeconds: number,
    signal: AbortSignal | undefined,
  ): Promise<StoredMessage[]> {
    const deadline = this.clock.now() + waitSeconds * 1000;
    const onAbort = (): void => q.wake();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const got = q.receive(max, visibilityTimeout, (m) => this.deadLetter(q, m));
        const left = deadline - this.clock.now();
        if (got.length > 0 || left <= 0 || q.deleted || this.stopping.signal.aborted || signal?.aborted) return got;
        // Woken by a send, a visibility change, the next due message, deletion, the caller's abort or endpoint stop.
        await q.waitForChange(left);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Moves a message that exhausted its receives to the queue's DLQ, keeping its id, body and attributes. */
  private deadLetter(source: LocalQueue, m: StoredMessage): boolean {
    const target = source.redrivePolicy && this.resolve(source.redrivePolicy.deadLetterTargetArn);
    if (!target) return false;
    target.send({
      id: m.id,
      body: m.body,
      attributes: m.attributes,
      systemAttributes: m.systemAttributes,
      senderId: m.senderId,
      sentAt: m.sentAt,
      groupId: m.groupId,
      deduplicationId: target.fifo ? (m.deduplicationId ?? m.id) : undefined,
      delaySeconds: 0,
      deadLetterSourceArn: source.arn,
    });
    return true;
  }

  private deleteOne(q: LocalQueue, handle: string): void {
    const m = q.byReceiptHandle(handle);
    if (m === undefined && !isReceiptHandle(handle)) {
      throw new AwsError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${handle}" is not a valid receipt handle.`,
        {
          status: 404,
        },
      );
    }
    // Deleting an already deleted message succeeds, as on AWS.
    if (m) q.delete(m);
  }

  private changeOne(q: LocalQueue, handle: string, seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43200) {
      throw invalidValue(seconds, 'VisibilityTimeout', 'Must be between 0 and 43200, if provided.');
    }
    if (!isReceiptHandle(handle)) {
      throw new AwsError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${handle}" is not a valid receipt handle.`,
        {
          status: 404,
        },
      );
    }
    const m = q.byReceiptHandle(handle);
    if (!m || m.state !== 'inflight') {
      throw new AwsError('MessageNotInflight', 'The message referred to is not in flight.', {
        queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
      });
    }
    if (m.receiptHandle !== handle) {
      throw invalidValue(handle, 'ReceiptHandle', 'The receipt handle has expired.');
    }
    q.changeVisibility(m, seconds);
  }

  private runBatch(
    entries: Record<string, unknown>[],
    run: (entry: Record<string, unknown>) => Record<string, unknown>,
  ): unknown {
    const Successful: Record<string, unknown>[] = [];
    const Failed: Record<string, unknown>[] = [];
    for (const entry of entries) {
      try {
        Successful.push(run(entry));
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        Failed.push({
          Id: entry.Id,
          SenderFault: err.fault === 'Sender',
          Code: err.queryCode ?? err.code,
          Message: err.message,
        });
      }
    }
    return { Successful, Failed };
  }

  private format(
    m: StoredMessage,
    systemNames: ReadonlySet<string>,
    attributeNames: readonly string[],
  ): ReceivedMessage {
    const all = systemNames.has('All');
    const attrs: Record<string, string> = {};
    const put = (name: string, value: string | number | undefined): void => {
      if (value !== undefined && (all || systemNames.has(name))) attrs[name] = String(value);
    };
    put('SenderId', m.senderId);
    put('SentTimestamp', Math.floor(m.sentAt));
    put('ApproximateReceiveCount', m.receiveCount);
    put('ApproximateFirstReceiveTimestamp', m.firstReceiveAt === undefined ? undefined : Math.floor(m.firstReceiveAt));
    put('MessageGroupId', m.groupId);
    put('MessageDeduplicationId', m.deduplicationId);
    put('SequenceNumber', m.sequenceNumber);
    put('AWSTraceHeader', m.systemAttributes.AWSTraceHeader?.StringValue);
    put('DeadLetterQueueSourceArn', m.deadLetterSourceArn);
    const selected: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(m.attributes)) {
      if (attributeNames.some((pattern) => attributeNameMatches(pattern, name))) selected[name] = value;
    }
    const md5 = md5OfAttributes(selected);
    return {
      MessageId: m.id,
      ReceiptHandle: m.receiptHandle ?? '',
      MD5OfBody: m.md5OfBody,
      Body: m.body,
      Attributes: attrs,
      ...(md5 === undefined ? {} : { MD5OfMessageAttributes: md5, MessageAttributes: selected }),
    };
  }

  private allAttributes(q: LocalQueue): Record<string, string> {
    const counts = q.counts();
    return {
      ...q.attributes,
      QueueArn: q.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inflight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(q.lastModifiedAt / 1000)),
    };
  }

  private info(q: LocalQueue): QueueInfo {
    return { name: q.name, arn: q.arn, url: this.urlOf(q), fifo: q.fifo, attributes: this.allAttributes(q) };
  }

  private urlOf(q: LocalQueue): string {
    return `${this.ctx.baseUrl()}/${this.ctx.accountId}/${q.name}`;
  }

  private queueOf(r: InputReader): LocalQueue {
    const q = this.resolve(r.reqStr('QueueUrl'));
    if (!q) throw notFound();
    return q;
  }

  /** A queue by URL (any host: `http://127.0.0.1:4566/<acct>/<name>`, `https://sqs.<region>.amazonaws.com/<acct>/<name>`), ARN or name. */
  private resolve(ref: string): LocalQueue | undefined {
    let account: string | undefined;
    let name: string;
    if (ref.startsWith('arn:')) {
      const parts = ref.split(':');
      if (parts.length !== 6 || parts[2] !== 'sqs' || (parts[3] && parts[3] !== this.ctx.region)) return undefined;
      account = parts[4];
      name = parts[5] ?? '';
    } else if (ref.includes('/')) {
      const segments = ref
        .replace(/[?#].*$/, '')
        .split('/')
        .filter(Boolean);
      name = segments.at(-1) ?? '';
      account = segments.at(-2);
      if (/^https?:$/.test(segments[0] ?? '') && segments.length < 4) return undefined;
    } else {
      name = ref;
    }
    if (account !== undefined && account !== this.ctx.accountId && !/^https?:$/.test(account)) return undefined;
    // A malformed escape names no queue: QueueDoesNotExist, as for any other unknown name.
    let decoded: string;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      return undefined;
    }
    return this.queues.get(decoded);
  }
}

function read(input: Record<string, unknown>): InputReader {
  return reader(input, inputError);
}

function stringMap(value: Record<string, unknown> | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value ?? {})) {
    if (typeof v !== 'string') throw invalid(`The value of ${name}.${k} must be a string.`);
    out[k] = v;
  }
  return out;
}

function batchEntries(r: InputReader): Record<string, unknown>[] {
  const entries = r.list('Entries') ?? [];
  if (entries.length === 0) {
    throw new AwsError(
      'EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry in the request.',
      {
        queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
      },
    );
  }
  if (entries.length > 10) {
    throw new AwsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
      { queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest' },
    );
  }
  const ids = new Set<string>();
  for (const e of entries) {
    const id = typeof e === 'object' && e !== null ? (e as Record<string, unknown>).Id : undefined;
    if (typeof id !== 'string' || !BATCH_ID.test(id)) {
      throw new AwsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId' },
      );
    }
    if (ids.has(id)) {
      throw new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, {
        queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      });
    }
    ids.add(id);
  }
  return entries as Record<string, unknown>[];
}

function sendResult(o: SendOutcome): Record<string, unknown> {
  return {
    MessageId: o.id,
    MD5OfMessageBody: o.md5OfBody,
    ...(o.md5OfAttributes && { MD5OfMessageAttributes: o.md5OfAttributes }),
    ...(o.md5OfSystemAttributes && { MD5OfMessageSystemAttributes: o.md5OfSystemAttributes }),
    ...(o.sequenceNumber && { SequenceNumber: o.sequenceNumber }),
  };
}

/**
 * Validates message attributes the way SendMessage does.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
function messageAttributes(value: Record<string, unknown> | undefined): Record<string, MessageAttributeValue> {
  const entries = Object.entries(value ?? {});
  if (entries.length > 10) {
    throw invalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`);
  }
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of entries) {
    if (
      !/^[A-Za-z0-9_.-]{1,256}$/.test(name) ||
      name.includes('..') ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      /^(aws\.|amazon\.)/i.test(name)
    ) {
      throw invalid(`The message attribute name '${name}' is invalid.`);
    }
    out[name] = attributeValue(name, raw, 'message');
  }
  return out;
}

function systemAttributes(value: Record<string, unknown> | undefined): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of Object.entries(value ?? {})) {
    if (name !== 'AWSTraceHeader') throw invalid(`Message system attribute name '${name}' is invalid.`);
    out[name] = attributeValue(name, raw, 'message system');
  }
  return out;
}

function attributeValue(name: string, raw: unknown, kind: string): MessageAttributeValue {
  const v = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const type = typeof v.DataType === 'string' ? v.DataType : '';
  if (!/^(String|Number|Binary)(\.[^\s]{1,250})?$/.test(type)) {
    throw invalid(
      `The ${kind} attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  if (type.startsWith('Binary')) {
    if (typeof v.BinaryValue !== 'string' || v.BinaryValue.length === 0) {
      throw invalid(`The ${kind} attribute '${name}' with type 'Binary' must use field 'Binary'.`);
    }
    return { DataType: type, BinaryValue: v.BinaryValue };
  }
  if (typeof v.StringValue !== 'string' || v.StringValue.length === 0) {
    throw invalid(
      `The ${kind} attribute '${name}' must contain a non-empty value of message attribute type '${type}'.`,
    );
  }
  if (type.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.StringValue.trim())) {
    throw invalid(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
  return { DataType: type, StringValue: v.StringValue };
}

function attributesSize(attrs: Readonly<Record<string, MessageAttributeValue>>): number {
  let size = 0;
  for (const [name, v] of Object.entries(attrs)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(v.DataType);
    size +=
      v.BinaryValue !== undefined
        ? Buffer.from(v.BinaryValue, 'base64').length
        : Buffer.byteLength(v.StringValue ?? '');
  }
  return size;
}

/** `All`, `.*`, `prefix.*` or an exact name. */
function attributeNameMatches(pattern: string, name: string): boolean {
  if (pattern === 'All' || pattern === '.*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function isReceiptHandle(handle: string): boolean {
  return /^([0-9a-f-]{36}):\d+:[0-9a-f]{12}$/.test(Buffer.from(handle, 'base64').toString('utf8'));
}
