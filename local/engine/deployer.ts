import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type LocalSecondaryIndex,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type {
  AssemblyModel,
  BucketModel,
  EventInvokeConfigModel,
  EventSourceMappingModel,
  FunctionModel,
  KinesisStreamModel,
  ParameterModel,
  QueueModel,
  RestApiModel,
  StackModel,
  SubscriptionModel,
  TableModel,
  TopicModel,
} from '../assembly/model';
import { queueCreationWaves, substituteValues } from './deploy-plan';
import { createSecret, deleteSecret } from './deploy-secrets';

/** One step of a deployment, as `npm start` prints it. */
export interface DeployProgress {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  /** The name, URL, ARN or id the resource has on the local endpoint. */
  readonly physicalId: string;
  /** `created` on the endpoint, `exists` when an earlier deploy made it, `registered` with the engine. */
  readonly action: 'created' | 'exists' | 'updated' | 'registered' | 'deleted';
  readonly durationMs: number;
}

/**
 * What the engine does with the parts of the model that are not endpoint resources. Each hook gets
 * the final model values (with the ids the endpoint reported) and may be async.
 */
export interface DeployHooks {
  /** Registers a function with the runtime; called after queues, topics, buckets, tables, streams, parameters and secrets exist. */
  registerFunction?(fn: FunctionModel, stack: StackModel): void | Promise<void>;
  /** Asynchronous invocation settings; called after every function is registered. */
  registerEventInvokeConfig?(config: EventInvokeConfigModel, stack: StackModel): void | Promise<void>;
  /** A REST API for the local gateway; called after every function is registered. */
  registerRestApi?(api: RestApiModel, stack: StackModel): void | Promise<void>;
  /** An event source mapping for the pollers; called last, when everything it reads and invokes exists. */
  registerEventSourceMapping?(mapping: EventSourceMappingModel, stack: StackModel): void | Promise<void>;
}

/** Options of {@link deploy} and {@link undeploy}. */
export interface DeployOptions extends DeployHooks {
  /** The endpoint, e.g. `http://127.0.0.1:4566`. */
  readonly endpointUrl: string;
  /** @default the model's region */
  readonly region?: string;
  /** Any credentials do; the endpoint does not check signatures. @default test/test */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Called after each resource. */
  onProgress?(step: DeployProgress): void;
}

/** What {@link deploy} did. */
export interface DeployResult {
  /** The model with every value the endpoint reported in place of the reader's prediction. */
  readonly model: AssemblyModel;
  readonly steps: readonly DeployProgress[];
  readonly durationMs: number;
}

interface Clients {
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly kinesis: KinesisClient;
  readonly ssm: SSMClient;
  readonly secretsManager: SecretsManagerClient;
  destroy(): void;
}

function clients(model: AssemblyModel, opts: DeployOptions): Clients {
  const config = {
    endpoint: opts.endpointUrl,
    region: opts.region ?? model.region,
    credentials: opts.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const c = {
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    dynamodb: new DynamoDBClient(config),
    kinesis: new KinesisClient(config),
    ssm: new SSMClient(config),
    secretsManager: new SecretsManagerClient(config),
  };
  return { ...c, destroy: () => Object.values(c).forEach((client) => client.destroy()) };
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : '');

/** SQS attributes `CreateQueue` accepts besides the modelled ones. */
const QUEUE_ATTRIBUTES = new Set([
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'RedriveAllowPolicy',
  'Policy',
]);

/**
 * `CreateQueue` attributes of a queue model.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
export function queueAttributes(q: QueueModel): Record<string, string> {
  const attrs: Record<string, string> = {
    VisibilityTimeout: String(q.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(q.messageRetentionPeriodSeconds),
    DelaySeconds: String(q.delaySeconds),
    ReceiveMessageWaitTimeSeconds: String(q.receiveMessageWaitTimeSeconds),
  };
  if (q.maximumMessageSize !== undefined) attrs.MaximumMessageSize = String(q.maximumMessageSize);
  if (q.redrivePolicy) attrs.RedrivePolicy = JSON.stringify(q.redrivePolicy);
  if (q.fifo) {
    attrs.FifoQueue = 'true';
    attrs.ContentBasedDeduplication = String(q.contentBasedDeduplication);
  }
  for (const [k, v] of Object.entries(q.otherAttributes)) if (QUEUE_ATTRIBUTES.has(k)) attrs[k] = v;
  return attrs;
}

/**
 * Creates every resource of the model on the local endpoint through the AWS SDK, in dependency
 * order, and hands functions, invoke configs, REST APIs and mappings to the engine's hooks:
 * queues (dead-letter queues first), topics, buckets, tables (+ TTL), Kinesis streams (until
 * ACTIVE), SSM parameters, secrets → functions → bucket notifications, subscriptions → invoke configs,
 * REST APIs → event source mappings. Deploying the same model again is harmless.
 */
export async function deploy(model: AssemblyModel, opts: DeployOptions): Promise<DeployResult> {
  const started = performance.now();
  const c = clients(model, opts);
  const steps: DeployProgress[] = [];
  const replacements = new Map<string, string>();
  const step = async (
    stack: StackModel,
    logicalId: string,
    type: string,
    physicalId: string,
    fn: () => Promise<DeployProgress['action']>,
  ): Promise<void> => {
    const t0 = performance.now();
    let action: DeployProgress['action'];
    try {
      action = await fn();
    } catch (err) {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new Error(`Deploying ${stack.stackName}/${logicalId} (${type}) failed: ${message}`, { cause: err });
    }
    const done: DeployProgress = {
      stackName: stack.stackName,
      logicalId,
      type,
      physicalId,
      action,
      durationMs: Math.round(performance.now() - t0),
    };
    steps.push(done);
    opts.onProgress?.(done);
  };
  // Resources of one kind do not depend on each other: create them concurrently.
  const each = async <T>(
    pick: (s: StackModel) => readonly T[],
    fn: (item: T, stack: StackModel) => Promise<void>,
    m: AssemblyModel = model,
  ): Promise<void> => {
    await Promise.all(m.stacks.flatMap((stack) => pick(stack).map((item) => fn(item, stack))));
  };
  // Engine hooks run one at a time, in model order, so registration order is predictable.
  const eachInOrder = async <T>(
    pick: (s: StackModel) => readonly T[],
    fn: (item: T, stack: StackModel) => Promise<void>,
    m: AssemblyModel,
  ): Promise<void> => {
    for (const stack of m.stacks) for (const item of pick(stack)) await fn(item, stack);
  };

  try {
    // Queues of every stack in one order: a dead-letter queue may live in another stack.
    const stackOf = new Map<QueueModel, StackModel>();
    for (const s of model.stacks) for (const q of s.queues) stackOf.set(q, s);
    for (const wave of queueCreationWaves([...stackOf.keys()])) {
      await Promise.all(
        wave.map((q) =>
          step(stackOf.get(q) as StackModel, q.logicalId, 'AWS::SQS::Queue', q.url, () =>
            createQueue(c, q, replacements),
          ),
        ),
      );
    }
    await each(
      (s) => s.topics,
      (t, s) => step(s, t.logicalId, 'AWS::SNS::Topic', t.arn, () => createTopic(c, t)),
    );
    await each(
      (s) => s.buckets,
      (b, s) => step(s, b.logicalId, 'AWS::S3::Bucket', b.name, () => createBucket(c, b)),
    );
    await each(
      (s) => s.tables,
      (t, s) => step(s, t.logicalId, 'AWS::DynamoDB::Table', t.name, () => createTable(c, t, replacements)),
    );
    await each(
      (s) => s.kinesisStreams,
      (k, s) => step(s, k.logicalId, 'AWS::Kinesis::Stream', k.name, () => createStream(c, k)),
    );
    await each(
      (s) => s.parameters,
      (p, s) => step(s, p.logicalId, 'AWS::SSM::Parameter', p.name, () => putParameter(c, p)),
    );
    await each(
      (s) => s.secrets,
      (x, s) =>
        step(s, x.logicalId, 'AWS::SecretsManager::Secret', x.name, () =>
          createSecret(c.secretsManager, x, replacements),
        ),
    );

    let final = substituteValues(model, replacements);
    await eachInOrder(
      (s) => s.functions,
      (f, s) =>
        step(s, f.logicalId, 'AWS::Lambda::Function', f.name, async () => {
          await opts.registerFunction?.(f, s);
          return 'registered';
        }),
      final,
    );
    await each(
      (s) => s.buckets.filter((b) => b.notifications.length > 0),
      (b, s) =>
        step(s, `${b.logicalId}.Notifications`, 'Custom::S3BucketNotifications', b.name, () => putNotifications(c, b)),
      final,
    );
    await each(
      (s) => s.subscriptions,
      (sub, s) =>
        step(s, sub.logicalId, 'AWS::SNS::Subscription', sub.endpoint, () => subscribe(c, sub, model, replacements)),
      final,
    );
    final = substituteValues(model, replacements);
    await eachInOrder(
      (s) => s.eventInvokeConfigs,
      (cfg, s) =>
        step(
          s,
          `${cfg.functionName}.EventInvokeConfig`,
          'AWS::Lambda::EventInvokeConfig',
          cfg.functionName,
          async () => {
            await opts.registerEventInvokeConfig?.(cfg, s);
            return 'registered';
          },
        ),
      final,
    );
    await eachInOrder(
      (s) => s.restApis,
      (api, s) =>
        step(s, api.logicalId, 'AWS::ApiGateway::RestApi', api.id, async () => {
          await opts.registerRestApi?.(api, s);
          return 'registered';
        }),
      final,
    );
    await eachInOrder(
      (s) => s.eventSourceMappings,
      (esm, s) =>
        step(s, esm.logicalId, 'AWS::Lambda::EventSourceMapping', esm.uuid, async () => {
          await opts.registerEventSourceMapping?.(esm, s);
          return 'registered';
        }),
      final,
    );
    return { model: final, steps, durationMs: Math.round(performance.now() - started) };
  } finally {
    c.destroy();
  }
}

async function createQueue(
  c: Clients,
  q: QueueModel,
  replacements: Map<string, string>,
): Promise<DeployProgress['action']> {
  const attrs = queueAttributes(q);
  let url: string;
  let action: DeployProgress['action'] = 'created';
  try {
    url = (await c.sqs.send(new CreateQueueCommand({ QueueName: q.name, Attributes: attrs }))).QueueUrl ?? q.url;
  } catch (err) {
    // A queue from an earlier deploy with other settings: bring its attributes up to date.
    if (!['QueueNameExists', 'QueueAlreadyExists'].includes(errorName(err))) throw err;
    url = (await c.sqs.send(new GetQueueUrlCommand({ QueueName: q.name }))).QueueUrl ?? q.url;
    const { FifoQueue: _fifo, ...changeable } = attrs;
    await c.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: changeable as Partial<Record<QueueAttributeName, string>>,
      }),
    );
    action = 'updated';
  }
  replacements.set(q.url, url);
  return action;
}

/** @see https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html */
async function createTopic(c: Clients, t: TopicModel): Promise<DeployProgress['action']> {
  const attributes = { ...t.attributes, ...(t.fifo && { FifoTopic: 'true' }) };
  await c.sns.send(new CreateTopicCommand({ Name: t.name, Attributes: attributes }));
  return 'created';
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html */
async function createBucket(c: Clients, b: BucketModel): Promise<DeployProgress['action']> {
  try {
    await c.s3.send(new CreateBucketCommand({ Bucket: b.name }));
    return 'created';
  } catch (err) {
    if (['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(errorName(err))) return 'exists';
    throw err;
  }
}

/**
 * The bucket's notification configuration, the S3 API shape of the model.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 */
async function putNotifications(c: Clients, b: BucketModel): Promise<DeployProgress['action']> {
  const filter = (n: BucketModel['notifications'][number]) => {
    const rules = [
      ...(n.prefix !== undefined ? [{ Name: 'prefix' as const, Value: n.prefix }] : []),
      ...(n.suffix !== undefined ? [{ Name: 'suffix' as const, Value: n.suffix }] : []),
    ];
    return rules.length > 0 ? { Key: { FilterRules: rules } } : undefined;
  };
  const of = (target: string) => b.notifications.filter((n) => n.target === target);
  const events = (n: BucketModel['notifications'][number]) => n.events as never[];
  await c.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: b.name,
      SkipDestinationValidation: true,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: of('lambda').map((n) => ({
          Id: n.id,
          LambdaFunctionArn: n.targetArn,
          Events: events(n),
          Filter: filter(n),
        })),
        QueueConfigurations: of('sqs').map((n) => ({
          Id: n.id,
          QueueArn: n.targetArn,
          Events: events(n),
          Filter: filter(n),
        })),
        TopicConfigurations: of('sns').map((n) => ({
          Id: n.id,
          TopicArn: n.targetArn,
          Events: events(n),
          Filter: filter(n),
        })),
      },
    }),
  );
  return 'created';
}

/**
 * A table on demand (throughput has no local meaning), with its stream and Time to Live.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
 */
async function createTable(
  c: Clients,
  t: TableModel,
  replacements: Map<string, string>,
): Promise<DeployProgress['action']> {
  const onDemand = <T extends object>(index: unknown): T => {
    const {
      ProvisionedThroughput: _p,
      OnDemandThroughput: _o,
      ContributorInsightsSpecification: _c,
      ...rest
    } = index as Record<string, unknown>;
    return rest as T;
  };
  let action: DeployProgress['action'] = 'created';
  let streamArn: string | undefined;
  try {
    const out = await c.dynamodb.send(
      new CreateTableCommand({
        TableName: t.name,
        KeySchema: [...t.keySchema],
        AttributeDefinitions: [...t.attributeDefinitions],
        BillingMode: 'PAY_PER_REQUEST',
        ...(t.globalSecondaryIndexes && {
          GlobalSecondaryIndexes: t.globalSecondaryIndexes.map((i) => onDemand<GlobalSecondaryIndex>(i)),
        }),
        ...(t.localSecondaryIndexes && {
          LocalSecondaryIndexes: t.localSecondaryIndexes.map((i) => onDemand<LocalSecondaryIndex>(i)),
        }),
        ...(t.streamViewType && { StreamSpecification: { StreamEnabled: true, StreamViewType: t.streamViewType } }),
      }),
    );
    streamArn = out.TableDescription?.LatestStreamArn;
  } catch (err) {
    if (errorName(err) !== 'ResourceInUseException') throw err;
    action = 'exists';
    streamArn = (await c.dynamodb.send(new DescribeTableCommand({ TableName: t.name }))).Table?.LatestStreamArn;
  }
  if (t.streamArn && streamArn) replacements.set(t.streamArn, streamArn);
  if (t.timeToLiveAttribute) {
    try {
      await c.dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: t.name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: t.timeToLiveAttribute },
        }),
      );
    } catch (err) {
      // "TimeToLive is already enabled" on a second deploy.
      if (!(action === 'exists' && errorName(err) === 'ValidationException')) throw err;
    }
  }
  return action;
}

/**
 * A provisioned stream with the model's shard count, waited for until ACTIVE.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html
 */
async function createStream(c: Clients, k: KinesisStreamModel): Promise<DeployProgress['action']> {
  let action: DeployProgress['action'] = 'created';
  try {
    await c.kinesis.send(new CreateStreamCommand({ StreamName: k.name, ShardCount: k.shardCount }));
  } catch (err) {
    if (errorName(err) !== 'ResourceInUseException') throw err;
    action = 'exists';
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const summary = await c.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: k.name }));
    const d = summary.StreamDescriptionSummary;
    if (d?.StreamStatus === 'ACTIVE') {
      if (action === 'created' && k.retentionPeriodHours > (d.RetentionPeriodHours ?? 24)) {
        await c.kinesis.send(
          new IncreaseStreamRetentionPeriodCommand({
            StreamName: k.name,
            RetentionPeriodHours: k.retentionPeriodHours,
          }),
        );
      }
      return action;
    }
    if (Date.now() > deadline) throw new Error(`stream ${k.name} is still ${d?.StreamStatus ?? 'unknown'} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html */
async function putParameter(c: Clients, p: ParameterModel): Promise<DeployProgress['action']> {
  await c.ssm.send(
    new PutParameterCommand({
      Name: p.name,
      Value: p.value,
      Type: p.type as 'String' | 'StringList',
      Overwrite: true,
      ...(p.description !== undefined && { Description: p.description }),
    }),
  );
  return 'created';
}

/** Subscription attributes as `Subscribe` takes them. */
export function subscriptionAttributes(sub: SubscriptionModel): Record<string, string> {
  return {
    ...(sub.rawMessageDelivery && { RawMessageDelivery: 'true' }),
    ...(sub.filterPolicy !== undefined && { FilterPolicy: sub.filterPolicy }),
    ...(sub.filterPolicyScope !== undefined && { FilterPolicyScope: sub.filterPolicyScope }),
    ...(sub.redrivePolicy !== undefined && { RedrivePolicy: sub.redrivePolicy }),
  };
}

/**
 * Subscribes with the subscription's attributes; a subscription from an earlier deploy with other
 * attributes is updated attribute by attribute.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
 */
async function subscribe(
  c: Clients,
  sub: SubscriptionModel,
  model: AssemblyModel,
  replacements: Map<string, string>,
): Promise<DeployProgress['action']> {
  const attributes = subscriptionAttributes(sub);
  // The reader's predicted subscription ARN (`Ref`), replaced by the one SNS assigns.
  const predicted = model.stacks
    .flatMap((s) => s.resources)
    .find((r) => r.type === 'AWS::SNS::Subscription' && r.logicalId === sub.logicalId)?.physicalId;
  try {
    const out = await c.sns.send(
      new SubscribeCommand({
        TopicArn: sub.topicArn,
        Protocol: sub.protocol,
        Endpoint: sub.endpoint,
        Attributes: attributes,
        ReturnSubscriptionArn: true,
      }),
    );
    if (predicted && out.SubscriptionArn) replacements.set(predicted, out.SubscriptionArn);
    return 'created';
  } catch (err) {
    if (errorName(err) !== 'InvalidParameterException' && errorName(err) !== 'InvalidParameter') throw err;
    const list = await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: sub.topicArn }));
    const existing = list.Subscriptions?.find((s) => s.Protocol === sub.protocol && s.Endpoint === sub.endpoint);
    if (!existing?.SubscriptionArn) throw err;
    for (const [name, value] of Object.entries(attributes)) {
      await c.sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: existing.SubscriptionArn,
          AttributeName: name,
          AttributeValue: value,
        }),
      );
    }
    if (predicted) replacements.set(predicted, existing.SubscriptionArn);
    return 'updated';
  }
}

/**
 * Deletes what {@link deploy} created on the endpoint (buckets emptied first); resources already
 * gone are skipped. The engine unregisters functions and mappings itself.
 */
export async function undeploy(model: AssemblyModel, opts: DeployOptions): Promise<readonly DeployProgress[]> {
  const c = clients(model, opts);
  const steps: DeployProgress[] = [];
  const gone = (err: unknown): boolean =>
    /NotFound|NonExistent|NoSuchBucket|DoesNotExist|ResourceNotFound|ParameterNotFound/.test(errorName(err));
  const remove = async (
    stack: StackModel,
    logicalId: string,
    type: string,
    physicalId: string,
    fn: () => Promise<unknown>,
  ) => {
    const t0 = performance.now();
    try {
      await fn();
    } catch (err) {
      if (!gone(err)) throw err;
      return;
    }
    const done: DeployProgress = {
      stackName: stack.stackName,
      logicalId,
      type,
      physicalId,
      action: 'deleted',
      durationMs: Math.round(performance.now() - t0),
    };
    steps.push(done);
    opts.onProgress?.(done);
  };
  try {
    for (const s of [...model.stacks].reverse()) {
      for (const x of s.secrets)
        await remove(s, x.logicalId, 'AWS::SecretsManager::Secret', x.name, () => deleteSecret(c.secretsManager, x));
      for (const p of s.parameters)
        await remove(s, p.logicalId, 'AWS::SSM::Parameter', p.name, () =>
          c.ssm.send(new DeleteParameterCommand({ Name: p.name })),
        );
      for (const k of s.kinesisStreams)
        await remove(s, k.logicalId, 'AWS::Kinesis::Stream', k.name, () =>
          c.kinesis.send(new DeleteStreamCommand({ StreamName: k.name })),
        );
      for (const t of s.tables)
        await remove(s, t.logicalId, 'AWS::DynamoDB::Table', t.name, () =>
          c.dynamodb.send(new DeleteTableCommand({ TableName: t.name })),
        );
      for (const b of s.buckets) {
        await remove(s, b.logicalId, 'AWS::S3::Bucket', b.name, async () => {
          for (;;) {
            const page = await c.s3.send(new ListObjectsV2Command({ Bucket: b.name }));
            const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key as string }));
            if (keys.length === 0) break;
            await c.s3.send(new DeleteObjectsCommand({ Bucket: b.name, Delete: { Objects: keys } }));
          }
          await c.s3.send(new DeleteBucketCommand({ Bucket: b.name }));
        });
      }
      for (const t of s.topics)
        await remove(s, t.logicalId, 'AWS::SNS::Topic', t.arn, () =>
          c.sns.send(new DeleteTopicCommand({ TopicArn: t.arn })),
        );
      for (const q of s.queues)
        await remove(s, q.logicalId, 'AWS::SQS::Queue', q.url, () =>
          c.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url })),
        );
    }
    return steps;
  } finally {
    c.destroy();
  }
}
