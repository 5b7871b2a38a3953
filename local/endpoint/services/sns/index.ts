import { createHash, randomUUID } from 'node:crypto';
import { realClock, type Clock } from '../../../core/clock';
import {
  AwsError,
  indexedPrefixes,
  queryMap,
  queryStringList,
  serveQuery,
  XmlMap,
  type XmlValue,
} from '../../protocols/query';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse, SnsLambdaDelivery } from '../../types';
import { isSqsService, type MessageAttributeValue, type SqsService } from '../sqs';
import {
  FilterPolicyError,
  matchesAttributes,
  matchesBody,
  parseFilterPolicy,
  type FilterPolicy,
  type FilterPolicyScope,
  type SnsAttribute,
} from './filter-policy';

export { parseFilterPolicy, matchesAttributes, matchesBody } from './filter-policy';

/** Options of {@link snsService}. */
export interface SnsServiceOptions {
  /** Timestamps of notifications (wall clock) and the FIFO deduplication window (virtual). @default realClock */
  readonly clock?: Clock;
  /** The SQS service to deliver to. @default the endpoint's `sqs` service */
  readonly sqs?: () => SqsService | undefined;
}

/** A topic as other engine parts see it. */
export interface TopicInfo {
  readonly arn: string;
  readonly name: string;
  readonly fifo: boolean;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A subscription as other engine parts see it. */
export interface SubscriptionInfo {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A message published in-process (same rules as Publish). */
export interface InternalPublish {
  readonly message: string;
  readonly subject?: string;
  readonly messageAttributes?: Readonly<Record<string, SnsAttribute>>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

/** The local SNS service (AWS Query protocol) plus an in-process API for the engine. */
export interface SnsService extends LocalService {
  readonly name: 'sns';
  listTopics(): TopicInfo[];
  listSubscriptions(topicArn?: string): SubscriptionInfo[];
  /** Publishes like Publish; throws an `AwsError` (`NotFoundException`, `InvalidParameterException`). */
  publishInternal(
    topicArn: string,
    message: InternalPublish,
  ): { readonly messageId: string; readonly sequenceNumber?: string };
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_MESSAGE_BYTES = 262144;
const DEDUP_WINDOW_MS = 5 * 60 * 1000;
const TOPIC_ATTRIBUTES = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'FifoTopic',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  'DataProtectionPolicy',
]);
const SUBSCRIPTION_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterException', `Invalid parameter: ${message}`, { queryCode: 'InvalidParameter' });
const notFound = (message: string): AwsError =>
  new AwsError('NotFoundException', message, { status: 404, queryCode: 'NotFound' });

interface Topic {
  readonly arn: string;
  readonly name: string;
  readonly fifo: boolean;
  readonly attributes: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly subscriptions: Set<string>;
  readonly dedup: Map<
    string,
    { readonly expiresAt: number; readonly messageId: string; readonly sequenceNumber: string }
  >;
  sequence: bigint;
}

interface Subscription {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly attributes: Record<string, string>;
  filter?: FilterPolicy;
}

interface Notification {
  readonly messageId: string;
  readonly message: string;
  /** Per-protocol messages when MessageStructure is `json`. */
  readonly structured?: Readonly<Record<string, string>>;
  readonly subject?: string;
  readonly attributes: Readonly<Record<string, SnsAttribute>>;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  readonly timestamp: string;
}

/**
 * Creates the local SNS service: topics, SQS and Lambda subscriptions with filter policies and raw
 * delivery, Publish and PublishBatch. SQS deliveries go straight into the local SQS service; Lambda
 * deliveries are emitted as `'sns:lambda'` on the endpoint's bus for the engine.
 * @see https://docs.aws.amazon.com/sns/latest/api/welcome.html
 */
export function snsService(opts: SnsServiceOptions = {}): (ctx: EndpointContext) => SnsService {
  return (ctx) => new LocalSns(ctx, opts.clock ?? realClock, opts.sqs);
}

class LocalSns implements SnsService {
  readonly name = 'sns' as const;
  private readonly topics = new Map<string, Topic>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly actions: Readonly<Record<string, (p: URLSearchParams) => XmlValue>>;

  constructor(
    private readonly ctx: EndpointContext,
    private readonly clock: Clock,
    private readonly sqsLookup: (() => SqsService | undefined) | undefined,
  ) {
    this.actions = {
      CreateTopic: (p) => this.createTopic(p),
      DeleteTopic: (p) => this.deleteTopic(p),
      ListTopics: (p) => this.listTopicsAction(p),
      GetTopicAttributes: (p) => ({ Attributes: new XmlMap(this.topicAttributes(this.topicOf(p))) }),
      SetTopicAttributes: (p) => this.setTopicAttributes(p),
      Subscribe: (p) => this.subscribe(p),
      Unsubscribe: (p) => this.unsubscribe(p),
      ListSubscriptions: (p) => this.listSubscriptionsAction(p, undefined),
      ListSubscriptionsByTopic: (p) => this.listSubscriptionsAction(p, this.topicOf(p)),
      GetSubscriptionAttributes: (p) => ({
        Attributes: new XmlMap(this.subscriptionAttributes(this.subscriptionOf(p))),
      }),
      SetSubscriptionAttributes: (p) => this.setSubscriptionAttributes(p),
      Publish: (p) => this.publish(p),
      PublishBatch: (p) => this.publishBatch(p),
      TagResource: (p) => this.tagResource(p),
      UntagResource: (p) => this.untagResource(p),
      ListTagsForResource: (p) => ({
        Tags: Object.entries(this.topicByArn(required(p, 'ResourceArn')).tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    };
  }

  handle(req: ServiceRequest): Promise<ServiceResponse> {
    return serveQuery(req, { xmlns: XMLNS, serviceLabel: 'SNS service' }, this.actions);
  }

  health(): string {
    return `running (${this.topics.size} topics, ${this.subscriptions.size} subscriptions)`;
  }

  // ---- in-process API ----

  listTopics(): TopicInfo[] {
    return [...this.topics.values()].map((t) => ({
      arn: t.arn,
      name: t.name,
      fifo: t.fifo,
      attributes: this.topicAttributes(t),
    }));
  }

  listSubscriptions(topicArn?: string): SubscriptionInfo[] {
    return [...this.subscriptions.values()]
      .filter((s) => topicArn === undefined || s.topicArn === topicArn)
      .map((s) => ({
        arn: s.arn,
        topicArn: s.topicArn,
        protocol: s.protocol,
        endpoint: s.endpoint,
        attributes: this.subscriptionAttributes(s),
      }));
  }

  publishInternal(topicArn: string, m: InternalPublish): { messageId: string; sequenceNumber?: string } {
    const topic = this.topicByArn(topicArn);
    return this.doPublish(topic, {
      message: m.message,
      subject: m.subject,
      attributes: { ...m.messageAttributes },
      groupId: m.messageGroupId,
      deduplicationId: m.messageDeduplicationId,
    });
  }

  // ---- topics ----

  private createTopic(p: URLSearchParams): XmlValue {
    const name = required(p, 'Name');
    const attrs = queryMap(p, 'Attributes');
    const fifo = attrs.FifoTopic === 'true';
    if (!(fifo ? FIFO_TOPIC_NAME : TOPIC_NAME).test(name)) {
      throw invalidParameter(
        fifo
          ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
          : 'Topic Name',
      );
    }
    for (const key of Object.keys(attrs)) {
      if (!TOPIC_ATTRIBUTES.has(key)) throw invalidParameter(`Attributes Reason: Unknown attribute ${key}`);
    }
    const arn = `arn:aws:sns:${this.ctx.region}:${this.ctx.accountId}:${name}`;
    const existing = this.topics.get(arn);
    if (existing) {
      for (const [k, v] of Object.entries(attrs)) {
        if (existing.attributes[k] !== v) {
          throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
        }
      }
      return { TopicArn: arn };
    }
    const tags: Record<string, string> = {};
    for (const prefix of indexedPrefixes(p, 'Tags.member')) {
      const key = p.get(`${prefix}.Key`);
      if (key !== null) tags[key] = p.get(`${prefix}.Value`) ?? '';
    }
    this.topics.set(arn, {
      arn,
      name,
      fifo,
      attributes: { ...(fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : {}), ...attrs },
      tags,
      subscriptions: new Set(),
      dedup: new Map(),
      sequence: 0n,
    });
    return { TopicArn: arn };
  }

  private deleteTopic(p: URLSearchParams): XmlValue {
    // DeleteTopic is idempotent: a missing topic is not an error.
    const topic = this.topics.get(required(p, 'TopicArn'));
    if (topic) {
      for (const sub of topic.subscriptions) this.subscriptions.delete(sub);
      this.topics.delete(topic.arn);
    }
    return undefined;
  }

  private listTopicsAction(p: URLSearchParams): XmlValue {
    const arns = [...this.topics.keys()].sort();
    const { page, next } = paginate(arns, p.get('NextToken'), 100);
    return { Topics: page.map((TopicArn) => ({ TopicArn })), NextToken: next };
  }

  private setTopicAttributes(p: URLSearchParams): XmlValue {
    const topic = this.topicOf(p);
    const name = required(p, 'AttributeName');
    if (!TOPIC_ATTRIBUTES.has(name) || name === 'FifoTopic') throw invalidParameter(`AttributeName`);
    topic.attributes[name] = p.get('AttributeValue') ?? '';
    return undefined;
  }

  private topicAttributes(t: Topic): Record<string, string> {
    const subs = [...t.subscriptions].length;
    return {
      TopicArn: t.arn,
      Owner: this.ctx.accountId,
      DisplayName: '',
      SubscriptionsConfirmed: String(subs),
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
      Policy: JSON.stringify(defaultTopicPolicy(t.arn, this.ctx.accountId)),
      EffectiveDeliveryPolicy: JSON.stringify(DEFAULT_DELIVERY_POLICY),
      ...t.attributes,
    };
  }

  // ---- subscriptions ----

  private subscribe(p: URLSearchParams): XmlValue {
    const topic = this.topicOf(p);
    const protocol = required(p, 'Protocol');
    const endpoint = p.get('Endpoint') ?? '';
    const attrs = queryMap(p, 'Attributes');
    if (protocol === 'sqs' && !/^arn:aws[\w-]*:sqs:[^:]*:\d{12}:[\w.-]+$/.test(endpoint)) {
      throw invalidParameter('SQS endpoint ARN');
    }
    if (protocol === 'lambda' && !/^arn:aws[\w-]*:lambda:[^:]*:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(endpoint)) {
      throw invalidParameter('Lambda endpoint ARN');
    }
    if (topic.fifo && protocol !== 'sqs') {
      throw invalidParameter('Invalid protocol type: ' + protocol + ' for FIFO topics');
    }
    for (const [k, v] of Object.entries(attrs)) this.checkSubscriptionAttribute(k, v, attrs.FilterPolicyScope);
    for (const arn of topic.subscriptions) {
      const s = this.subscriptions.get(arn)!;
      if (s.protocol !== protocol || s.endpoint !== endpoint) continue;
      for (const [k, v] of Object.entries(attrs)) {
        if (s.attributes[k] !== v)
          throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
      }
      return { SubscriptionArn: s.arn };
    }
    const sub: Subscription = {
      arn: `${topic.arn}:${randomUUID()}`,
      topicArn: topic.arn,
      protocol,
      endpoint,
      attributes: { ...attrs },
    };
    this.refreshFilter(sub);
    this.subscriptions.set(sub.arn, sub);
    topic.subscriptions.add(sub.arn);
    return { SubscriptionArn: sub.arn };
  }

  private unsubscribe(p: URLSearchParams): XmlValue {
    const sub = this.subscriptionOf(p);
    this.subscriptions.delete(sub.arn);
    this.topics.get(sub.topicArn)?.subscriptions.delete(sub.arn);
    return undefined;
  }

  private listSubscriptionsAction(p: URLSearchParams, topic: Topic | undefined): XmlValue {
    const subs = [...this.subscriptions.values()].filter((s) => !topic || s.topicArn === topic.arn);
    const { page, next } = paginate(subs, p.get('NextToken'), 100);
    return {
      Subscriptions: page.map((s) => ({
        SubscriptionArn: s.arn,
        Owner: this.ctx.accountId,
        Protocol: s.protocol,
        Endpoint: s.endpoint,
        TopicArn: s.topicArn,
      })),
      NextToken: next,
    };
  }

  private setSubscriptionAttributes(p: URLSearchParams): XmlValue {
    const sub = this.subscriptionOf(p);
    const name = required(p, 'AttributeName');
    const value = p.get('AttributeValue') ?? '';
    const scope = name === 'FilterPolicyScope' ? value : sub.attributes.FilterPolicyScope;
    this.checkSubscriptionAttribute(name, value, scope);
    if (name === 'FilterPolicyScope' && sub.attributes.FilterPolicy) {
      this.checkSubscriptionAttribute('FilterPolicy', sub.attributes.FilterPolicy, value);
    }
    if (name === 'FilterPolicy' && (value === '' || value === '{}')) delete sub.attributes.FilterPolicy;
    else sub.attributes[name] = value;
    this.refreshFilter(sub);
    return undefined;
  }

  private checkSubscriptionAttribute(name: string, value: string, scope: string | undefined): void {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter(`AttributeName`);
    if (name === 'RawMessageDelivery' && value !== 'true' && value !== 'false') {
      throw invalidParameter('RawMessageDelivery: Invalid value [' + value + ']. Must be true or false.');
    }
    if (name === 'FilterPolicyScope' && value !== 'MessageAttributes' && value !== 'MessageBody') {
      throw invalidParameter(
        'FilterPolicyScope: Invalid value [' + value + ']. Please use either MessageBody or MessageAttributes',
      );
    }
    if (name === 'FilterPolicy' && value !== '') {
      try {
        parseFilterPolicy(value, scopeOf(scope));
      } catch (err) {
        if (err instanceof FilterPolicyError) throw invalidParameter(`FilterPolicy: ${err.message}`);
        throw err;
      }
    }
    if (name === 'RedrivePolicy' && value !== '') {
      let target: unknown;
      try {
        target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      } catch {
        throw invalidParameter('RedrivePolicy: failed to parse JSON.');
      }
      if (typeof target !== 'string' || !target.startsWith('arn:')) {
        throw invalidParameter('RedrivePolicy: deadLetterTargetArn is missing or not an ARN.');
      }
    }
  }

  private refreshFilter(sub: Subscription): void {
    const text = sub.attributes.FilterPolicy;
    sub.filter = text ? parseFilterPolicy(text, scopeOf(sub.attributes.FilterPolicyScope)) : undefined;
  }

  private subscriptionAttributes(s: Subscription): Record<string, string> {
    return {
      SubscriptionArn: s.arn,
      TopicArn: s.topicArn,
      Owner: this.ctx.accountId,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      ConfirmationWasAuthenticated: 'true',
      PendingConfirmation: 'false',
      RawMessageDelivery: 'false',
      ...(s.attributes.FilterPolicy ? { FilterPolicyScope: 'MessageAttributes' } : {}),
      ...s.attributes,
    };
  }

  // ---- publishing ----

  private publish(p: URLSearchParams): XmlValue {
    if (p.get('PhoneNumber'))
      throw invalidParameter('PhoneNumber Reason: SMS is not supported by the local SNS service');
    const arn = p.get('TopicArn') ?? p.get('TargetArn');
    if (!arn) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    const topic = this.topicByArn(arn);
    const result = this.doPublish(topic, this.publishInput(p, ''));
    return { MessageId: result.messageId, SequenceNumber: result.sequenceNumber };
  }

  private publishBatch(p: URLSearchParams): XmlValue {
    const topic = this.topicByArn(required(p, 'TopicArn'));
    const entries = indexedPrefixes(p, 'PublishBatchRequestEntries.member');
    if (entries.length === 0) {
      throw new AwsError('EmptyBatchRequestException', "The batch request doesn't contain any entries.", {
        queryCode: 'EmptyBatchRequest',
      });
    }
    if (entries.length > 10) {
      throw new AwsError(
        'TooManyEntriesInBatchRequestException',
        'The batch request contains more entries than permissible.',
        {
          queryCode: 'TooManyEntriesInBatchRequest',
        },
      );
    }
    const ids = new Set<string>();
    for (const prefix of entries) {
      const id = p.get(`${prefix}.Id`) ?? '';
      if (!BATCH_ID.test(id)) {
        throw new AwsError(
          'InvalidBatchEntryIdException',
          "The Id of a batch entry in a batch request doesn't abide by the specification.",
          {
            queryCode: 'InvalidBatchEntryId',
          },
        );
      }
      if (ids.has(id)) {
        throw new AwsError(
          'BatchEntryIdsNotDistinctException',
          'Two or more batch entries in the request have the same Id.',
          {
            queryCode: 'BatchEntryIdsNotDistinct',
          },
        );
      }
      ids.add(id);
    }
    const successful: XmlValue[] = [];
    const failed: XmlValue[] = [];
    for (const prefix of entries) {
      const id = p.get(`${prefix}.Id`)!;
      try {
        const r = this.doPublish(topic, this.publishInput(p, `${prefix}.`));
        successful.push({ Id: id, MessageId: r.messageId, SequenceNumber: r.sequenceNumber });
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        failed.push({
          Id: id,
          Code: err.queryCode ?? err.code,
          Message: err.message,
          SenderFault: err.fault === 'Sender',
        });
      }
    }
    return { Successful: successful, Failed: failed };
  }

  private publishInput(p: URLSearchParams, prefix: string): PublishInput {
    const attributes: Record<string, SnsAttribute> = {};
    for (const e of indexedPrefixes(p, `${prefix}MessageAttributes.entry`)) {
      const name = p.get(`${e}.Name`);
      if (name === null) continue;
      const type = p.get(`${e}.Value.DataType`) ?? '';
      const sv = p.get(`${e}.Value.StringValue`);
      const bv = p.get(`${e}.Value.BinaryValue`);
      attributes[name] = {
        DataType: type,
        ...(sv !== null && { StringValue: sv }),
        ...(bv !== null && { BinaryValue: bv }),
      };
    }
    return {
      message: p.get(`${prefix}Message`) ?? '',
      subject: p.get(`${prefix}Subject`) ?? undefined,
      structure: p.get(`${prefix}MessageStructure`) ?? undefined,
      attributes,
      groupId: p.get(`${prefix}MessageGroupId`) ?? undefined,
      deduplicationId: p.get(`${prefix}MessageDeduplicationId`) ?? undefined,
    };
  }

  /**
   * Validates and fans a message out to the topic's subscriptions.
   * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
   */
  private doPublish(topic: Topic, input: PublishInput): { messageId: string; sequenceNumber?: string } {
    if (input.message === '') throw invalidParameter('Empty message');
    const size = Buffer.byteLength(input.message) + attributesSize(input.attributes);
    if (size > MAX_MESSAGE_BYTES) {
      throw invalidParameter(`Message too long. Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`);
    }
    if (input.subject !== undefined && (input.subject.length === 0 || input.subject.length > 100)) {
      throw invalidParameter('Subject');
    }
    validateAttributes(input.attributes);
    let structured: Record<string, string> | undefined;
    if (input.structure !== undefined) {
      if (input.structure !== 'json')
        throw invalidParameter(`MessageStructure Reason: Invalid value [${input.structure}]`);
      structured = parseStructured(input.message);
    }
    let deduplicationId = input.deduplicationId;
    if (topic.fifo) {
      if (!input.groupId) {
        throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
      }
      if (deduplicationId === undefined) {
        if (topic.attributes.ContentBasedDeduplication !== 'true') {
          throw invalidParameter(
            'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        deduplicationId = createHash('sha256').update(input.message, 'utf8').digest('hex');
      }
    } else if (input.deduplicationId !== undefined) {
      throw invalidParameter(
        'MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    }
    const now = this.clock.now();
    let sequenceNumber: string | undefined;
    if (topic.fifo && deduplicationId !== undefined) {
      for (const [key, entry] of topic.dedup) {
        if (entry.expiresAt > now) break;
        topic.dedup.delete(key);
      }
      const earlier = topic.dedup.get(deduplicationId);
      if (earlier) return { messageId: earlier.messageId, sequenceNumber: earlier.sequenceNumber };
      sequenceNumber = (++topic.sequence).toString().padStart(20, '0');
    }
    const n: Notification = {
      messageId: randomUUID(),
      message: input.message,
      structured,
      subject: input.subject,
      attributes: input.attributes,
      groupId: input.groupId,
      deduplicationId,
      sequenceNumber,
      timestamp: new Date(this.clock.wallNow()).toISOString(),
    };
    if (topic.fifo && deduplicationId !== undefined && sequenceNumber !== undefined) {
      topic.dedup.set(deduplicationId, { expiresAt: now + DEDUP_WINDOW_MS, messageId: n.messageId, sequenceNumber });
    }
    for (const arn of topic.subscriptions) {
      const sub = this.subscriptions.get(arn);
      if (sub) this.deliver(topic, sub, n);
    }
    return { messageId: n.messageId, sequenceNumber };
  }

  /**
   * Filter, then deliver one notification to one subscription.
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html
   */
  private deliver(topic: Topic, sub: Subscription, n: Notification): void {
    if (sub.filter) {
      const scope = scopeOf(sub.attributes.FilterPolicyScope);
      const ok =
        scope === 'MessageBody' ? matchesBody(sub.filter, n.message) : matchesAttributes(sub.filter, n.attributes);
      if (!ok) return;
    }
    const message = n.structured ? (n.structured[sub.protocol] ?? n.structured.default ?? '') : n.message;
    const deadLetterTargetArn = redriveTarget(sub);
    if (sub.protocol === 'lambda') {
      const delivery: SnsLambdaDelivery = {
        subscriptionArn: sub.arn,
        topicArn: topic.arn,
        functionArn: sub.endpoint,
        deadLetterTargetArn,
        messageId: n.messageId,
        message,
        subject: n.subject,
        timestamp: n.timestamp,
        messageAttributes: envelopeAttributes(n.attributes),
      };
      try {
        this.ctx.bus.emit('sns:lambda', delivery);
      } catch {
        // A failing listener is the engine's concern; Publish has already succeeded.
      }
      return;
    }
    if (sub.protocol !== 'sqs') return;
    const sqs = this.sqs();
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const body = raw ? message : JSON.stringify(this.envelope(topic, sub, n, message));
    const messageAttributes = raw ? sqsAttributes(n.attributes) : undefined;
    const send = (target: string, attrs?: Record<string, MessageAttributeValue>): void => {
      const queue = sqs?.findQueue(target);
      sqs?.sendInternal(target, {
        body,
        messageAttributes: attrs,
        messageGroupId: queue?.fifo ? (n.groupId ?? topic.name) : undefined,
        messageDeduplicationId: queue?.fifo ? (n.deduplicationId ?? n.messageId) : undefined,
        senderId: this.ctx.accountId,
      });
    };
    try {
      if (!sqs) throw new AwsError('QueueDoesNotExist', 'No SQS service on this endpoint.');
      send(sub.endpoint, messageAttributes);
    } catch (err) {
      // Client-side errors (missing queue, rejected message) go to the subscription's DLQ, if any.
      if (!deadLetterTargetArn || !sqs) return;
      const reason = err instanceof Error ? err.message : String(err);
      try {
        send(deadLetterTargetArn, {
          ...messageAttributes,
          ErrorCode: { DataType: 'String', StringValue: err instanceof AwsError ? err.code : 'InternalError' },
          ErrorMessage: { DataType: 'String', StringValue: reason.slice(0, 256) },
          TopicArn: { DataType: 'String', StringValue: topic.arn },
        });
      } catch {
        // A missing DLQ loses the message, as on AWS.
      }
    }
  }

  private envelope(topic: Topic, sub: Subscription, n: Notification, message: string): Record<string, unknown> {
    const base = this.ctx.baseUrl();
    const attrs = envelopeAttributes(n.attributes);
    return {
      Type: 'Notification',
      MessageId: n.messageId,
      ...(n.sequenceNumber !== undefined && { SequenceNumber: n.sequenceNumber }),
      TopicArn: topic.arn,
      ...(n.subject !== undefined && { Subject: n.subject }),
      Message: message,
      Timestamp: n.timestamp,
      SignatureVersion: topic.attributes.SignatureVersion ?? '1',
      Signature: Buffer.from(createHash('sha1').update(`${n.messageId}${message}`).digest()).toString('base64'),
      SigningCertURL: `https://sns.${this.ctx.region}.amazonaws.com/SimpleNotificationService-local.pem`,
      UnsubscribeURL: `${base}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.arn)}`,
      ...(Object.keys(attrs).length > 0 && { MessageAttributes: attrs }),
    };
  }

  private sqs(): SqsService | undefined {
    if (this.sqsLookup) return this.sqsLookup();
    const s = this.ctx.service?.('sqs');
    return isSqsService(s) ? s : undefined;
  }

  // ---- tags ----

  private tagResource(p: URLSearchParams): XmlValue {
    const topic = this.topicByArn(required(p, 'ResourceArn'));
    for (const prefix of indexedPrefixes(p, 'Tags.member')) {
      const key = p.get(`${prefix}.Key`);
      if (key !== null) topic.tags[key] = p.get(`${prefix}.Value`) ?? '';
    }
    return undefined;
  }

  private untagResource(p: URLSearchParams): XmlValue {
    const topic = this.topicByArn(required(p, 'ResourceArn'));
    for (const key of queryStringList(p, 'TagKeys')) delete topic.tags[key];
    return undefined;
  }

  // ---- lookups ----

  private topicOf(p: URLSearchParams): Topic {
    return this.topicByArn(required(p, 'TopicArn'));
  }

  private topicByArn(arn: string): Topic {
    const topic = this.topics.get(arn);
    if (!topic) throw notFound('Topic does not exist');
    return topic;
  }

  private subscriptionOf(p: URLSearchParams): Subscription {
    const sub = this.subscriptions.get(required(p, 'SubscriptionArn'));
    if (!sub) throw notFound('Subscription does not exist');
    return sub;
  }
}

interface PublishInput {
  readonly message: string;
  readonly subject?: string;
  readonly structure?: string;
  readonly attributes: Record<string, SnsAttribute>;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

const DEFAULT_DELIVERY_POLICY = {
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
};

function defaultTopicPolicy(arn: string, account: string): unknown {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:Publish', 'SNS:Subscribe', 'SNS:GetTopicAttributes'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  };
}

function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (v === null || v === '') throw invalidParameter(`${name} Reason: no value for required parameter`);
  return v;
}

function paginate<T>(items: readonly T[], token: string | null, size: number): { page: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0 : 0;
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return { page, next };
}

function scopeOf(value: string | undefined): FilterPolicyScope {
  return value === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
}

function redriveTarget(sub: Subscription): string | undefined {
  const raw = sub.attributes.RedrivePolicy;
  if (!raw) return undefined;
  try {
    const target = (JSON.parse(raw) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Message attribute rules of Publish.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
 */
function validateAttributes(attrs: Readonly<Record<string, SnsAttribute>>): void {
  for (const [name, a] of Object.entries(attrs)) {
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || /^(aws\.|amazon\.)/i.test(name) || name.includes('..')) {
      throw invalidParameter(`MessageAttributes Reason: Invalid attribute name: ${name}`);
    }
    if (!/^(String|Number|Binary)(\..+)?$/.test(a.DataType)) {
      throw invalidParameter(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (a.DataType.startsWith('Binary')) {
      if (!a.BinaryValue)
        throw invalidParameter(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      continue;
    }
    if (a.StringValue === undefined || a.StringValue === '') {
      throw invalidParameter(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.DataType}'.`,
      );
    }
    if (a.DataType.startsWith('Number') && !Number.isFinite(Number(a.StringValue))) {
      throw invalidParameter(`Could not cast message attribute '${name}' value to number.`);
    }
    if (a.DataType === 'String.Array') {
      let ok: boolean;
      try {
        ok = Array.isArray(JSON.parse(a.StringValue));
      } catch {
        ok = false;
      }
      if (!ok) throw invalidParameter(`The message attribute '${name}' with type 'String.Array' has an invalid value.`);
    }
  }
}

function attributesSize(attrs: Readonly<Record<string, SnsAttribute>>): number {
  let n = 0;
  for (const [name, a] of Object.entries(attrs)) {
    n +=
      Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? '');
  }
  return n;
}

function parseStructured(message: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const obj = json as Record<string, unknown>;
  if (typeof obj.default !== 'string')
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** `{"name": {"Type": "String", "Value": "…"}}` as in notification envelopes and Lambda events. */
function envelopeAttributes(
  attrs: Readonly<Record<string, SnsAttribute>>,
): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attrs))
    out[name] = { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' };
  return out;
}

/** SNS attributes as SQS message attributes (raw delivery). */
function sqsAttributes(attrs: Readonly<Record<string, SnsAttribute>>): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(attrs)) {
    out[name] = a.DataType.startsWith('Binary')
      ? { DataType: a.DataType, BinaryValue: a.BinaryValue ?? '' }
      : { DataType: a.DataType, StringValue: a.StringValue ?? '' };
  }
  return out;
}
