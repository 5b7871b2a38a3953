import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ESM_DEFAULTS, EVENT_INVOKE_DEFAULTS, FUNCTION_DEFAULTS, KINESIS_DEFAULTS, QUEUE_DEFAULTS } from './defaults';
import { dispositionOf } from './dispositions';
import { buildIam } from './iam-models';
import { asString } from './intrinsics';
import type {
  BucketModel,
  BucketNotificationModel,
  EventInvokeConfigModel,
  EventSourceMappingModel,
  FunctionModel,
  KinesisStreamModel,
  OutputModel,
  ParameterModel,
  QueueModel,
  ResourceModel,
  StackModel,
  SubscriptionModel,
  TableModel,
  TopicModel,
} from './model';
import { referencedIds } from './references';
import { buildRestApis, localizeApiUrls } from './rest-apis';
import { buildSecret } from './secrets';
import { AssemblyError, type StackReader } from './stack-reader';

/** Where function code comes from, beyond the template. */
export interface CodeLocator {
  /** Absolute path of the `cdk.out` folder. */
  readonly directory: string;
  /** Asset folders by asset hash, from the asset manifests (`<stack>.assets.json`). */
  readonly assetPaths: ReadonlyMap<string, string>;
  readonly endpointUrl: string;
}

type Props = Record<string, unknown>;

const isObject = (v: unknown): v is Props => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const num = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};
const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || v === 'true');
const jsonText = (v: unknown): string | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);

/** The function name in a `FunctionName` value (a name, a full or partial ARN, maybe qualified). */
export function functionNameOf(value: string): string {
  const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(value) ?? /^[^:]*:function:([^:]+)/.exec(value);
  if (m?.[1]) return m[1];
  return value.split(':')[0] ?? value;
}

/** CDK-internal functions: used only as the `ServiceToken` of custom resources. */
function internalFunctions(reader: StackReader, ids: readonly string[]): Set<string> {
  const tokens = new Set<string>();
  const otherUses = new Set<string>();
  const neutral = new Set(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::Lambda::Permission', 'AWS::Logs::LogGroup']);
  for (const id of ids) {
    const res = reader.resource(id);
    const isCustom = res.Type.startsWith('Custom::') || res.Type === 'AWS::CloudFormation::CustomResource';
    const props = res.Properties ?? {};
    if (isCustom) {
      referencedIds(props.ServiceToken, tokens);
      referencedIds({ ...props, ServiceToken: undefined }, otherUses);
    } else if (!neutral.has(res.Type)) {
      for (const ref of referencedIds(props)) if (ref !== id) otherUses.add(ref);
    }
  }
  for (const output of Object.values(reader.template.Outputs ?? {})) referencedIds(output.Value, otherUses);
  return new Set(
    ids.filter((id) => reader.resource(id).Type === 'AWS::Lambda::Function' && tokens.has(id) && !otherUses.has(id)),
  );
}

/** Builds the model of one stack from its resolved template. */
export function buildStackModel(reader: StackReader, code: CodeLocator): StackModel {
  const ids = reader.logicalIds();
  const internal = internalFunctions(reader, ids);
  const byType = (type: string): string[] => ids.filter((id) => reader.resource(id).Type === type);
  const overrides = new Map<string, Pick<ResourceModel, 'disposition' | 'note'>>();

  const functions: FunctionModel[] = byType('AWS::Lambda::Function')
    .filter((id) => !internal.has(id))
    .map((id) => buildFunction(reader, id, code));

  const eventInvokeConfigs = buildInvokeConfigs(reader, byType('AWS::Lambda::EventInvokeConfig'), functions);

  const queues: QueueModel[] = byType('AWS::SQS::Queue').map((id) => buildQueue(reader, id));

  const topics: TopicModel[] = [];
  const subscriptions: SubscriptionModel[] = [];
  for (const id of byType('AWS::SNS::Topic')) {
    const p = reader.properties(id);
    const identity = reader.identity(id);
    const attributes: Record<string, string> = {};
    for (const key of [
      'DisplayName',
      'KmsMasterKeyId',
      'ContentBasedDeduplication',
      'FifoTopic',
      'TracingConfig',
      'SignatureVersion',
    ]) {
      const v = p[key];
      if (v !== undefined) attributes[key] = String(v);
    }
    if (p.ArchivePolicy !== undefined) attributes.ArchivePolicy = jsonText(p.ArchivePolicy) ?? '';
    topics.push({
      logicalId: id,
      name: identity.attributes.TopicName ?? '',
      arn: identity.ref,
      fifo: bool(p.FifoTopic) ?? false,
      attributes,
    });
    // Inline `Subscription` entries of a topic.
    const inline = Array.isArray(p.Subscription) ? p.Subscription : [];
    inline.forEach((s, i) => {
      if (!isObject(s)) return;
      subscriptions.push({
        logicalId: `${id}.Subscription${i}`,
        topicArn: identity.ref,
        protocol: String(s.Protocol),
        endpoint: String(s.Endpoint),
        rawMessageDelivery: false,
      });
    });
  }
  for (const id of byType('AWS::SNS::Subscription')) subscriptions.push(buildSubscription(reader, id));

  const buckets = buildBuckets(reader, byType('AWS::S3::Bucket'), ids);
  const tables = [...byType('AWS::DynamoDB::Table'), ...byType('AWS::DynamoDB::GlobalTable')].map((id) =>
    buildTable(reader, id),
  );
  const kinesisStreams = byType('AWS::Kinesis::Stream').map((id) => buildKinesisStream(reader, id));
  const parameters: ParameterModel[] = byType('AWS::SSM::Parameter').map((id) => {
    const p = reader.properties(id);
    return {
      logicalId: id,
      name: reader.identity(id).ref,
      type: str(p.Type) ?? 'String',
      value: Array.isArray(p.Value) ? p.Value.join(',') : (str(p.Value) ?? ''),
      ...(p.Description !== undefined && { description: String(p.Description) }),
    };
  });

  const secrets = byType('AWS::SecretsManager::Secret').map((id) => buildSecret(reader, id));

  const eventSourceMappings: EventSourceMappingModel[] = [];
  for (const id of byType('AWS::Lambda::EventSourceMapping')) {
    const esm = buildEventSourceMapping(reader, id);
    if (typeof esm === 'string') overrides.set(id, { disposition: 'unsupported', note: esm });
    else eventSourceMappings.push(esm);
  }

  const restApis = buildRestApis(reader, ids, code.endpointUrl);
  const localize = (text: string): string => localizeApiUrls(text, restApis);

  const outputs: OutputModel[] = [];
  for (const [key, output] of Object.entries(reader.template.Outputs ?? {})) {
    if (output.Condition !== undefined && !reader.condition(output.Condition)) continue;
    const value = reader.resolve(output.Value, `Outputs.${key}.Value`);
    const exportName = output.Export ? reader.resolve(output.Export.Name, `Outputs.${key}.Export.Name`) : undefined;
    const description =
      output.Description === undefined ? undefined : reader.resolve(output.Description, `Outputs.${key}.Description`);
    outputs.push({
      key,
      value: localize(Array.isArray(value) ? value.join(',') : asString(value ?? '', `Outputs.${key}.Value`)),
      ...(description !== undefined && { description: String(description) }),
      ...(exportName !== undefined && { exportName: String(exportName) }),
    });
  }

  const localizedParameters = parameters.map((p) => ({ ...p, value: localize(p.value) }));
  const localizedFunctions = functions.map((f) => ({
    ...f,
    environment: Object.fromEntries(Object.entries(f.environment).map(([k, v]) => [k, localize(v)])),
  }));

  const resources: ResourceModel[] = ids.map((id) => {
    const type = reader.resource(id).Type;
    return {
      logicalId: id,
      type,
      physicalId: reader.identity(id).ref,
      ...(overrides.get(id) ?? dispositionOf(type, internal.has(id))),
    };
  });

  return {
    stackName: reader.stackName,
    stackId: reader.stackId,
    ...(reader.template.Description !== undefined && { description: reader.template.Description }),
    functions: localizedFunctions,
    queues,
    topics,
    subscriptions,
    buckets,
    tables,
    kinesisStreams,
    parameters: localizedParameters,
    secrets,
    eventSourceMappings,
    eventInvokeConfigs,
    restApis,
    outputs,
    resources,
    iam: buildIam(reader, ids, reader.stackId.split(':')[3] ?? ''),
  };
}

function buildFunction(reader: StackReader, id: string, code: CodeLocator): FunctionModel {
  const p = reader.properties(id);
  const identity = reader.identity(id);
  const name = identity.ref;
  const env = isObject(p.Environment) && isObject(p.Environment.Variables) ? p.Environment.Variables : {};
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) environment[k] = asString(v, `${id}.Environment.Variables.${k}`);
  const logging = isObject(p.LoggingConfig) ? p.LoggingConfig : {};
  const dlq = isObject(p.DeadLetterConfig) ? str(p.DeadLetterConfig.TargetArn) : undefined;
  const reserved = num(p.ReservedConcurrentExecutions);
  return {
    logicalId: id,
    name,
    arn: identity.attributes.Arn ?? '',
    handler: str(p.Handler) ?? 'index.handler',
    runtime: str(p.Runtime) ?? '',
    codeDir: codeDirOf(reader, id, p, code),
    timeoutSeconds: num(p.Timeout) ?? FUNCTION_DEFAULTS.timeoutSeconds,
    memorySizeMb: num(p.MemorySize) ?? FUNCTION_DEFAULTS.memorySizeMb,
    architectures: Array.isArray(p.Architectures) ? p.Architectures.map(String) : [...FUNCTION_DEFAULTS.architectures],
    environment,
    ...(reserved !== undefined && { reservedConcurrency: reserved }),
    ...(dlq && { deadLetterTargetArn: dlq }),
    logGroupName: str(logging.LogGroup) ?? `/aws/lambda/${name}`,
    ...(p.Description !== undefined && { description: String(p.Description) }),
    ...(p.Role !== undefined && { roleArn: String(p.Role) }),
  };
}

/**
 * The function's code folder: the `aws:asset:path` metadata (relative to `cdk.out`), else the asset
 * whose hash names the `Code.S3Key`, else inline `Code.ZipFile` written to a temporary folder.
 */
function codeDirOf(reader: StackReader, id: string, p: Props, code: CodeLocator): string {
  const metaPath = reader.resource(id).Metadata?.['aws:asset:path'];
  if (typeof metaPath === 'string') return path.resolve(code.directory, metaPath);
  const c = isObject(p.Code) ? p.Code : {};
  const key = str(c.S3Key);
  if (key) {
    const hash = path.basename(key).replace(/\.(zip|jar)$/, '');
    const asset = code.assetPaths.get(hash);
    if (asset) return path.resolve(code.directory, asset);
  }
  if (typeof c.ZipFile === 'string') {
    const digest = crypto.createHash('sha256').update(c.ZipFile).digest('hex').slice(0, 16);
    const dir = path.join(os.tmpdir(), 'lambda-lab-inline-code', digest);
    const handler = str(p.Handler) ?? 'index.handler';
    const file = `${handler.slice(0, handler.lastIndexOf('.'))}.js`;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, file), c.ZipFile);
    return dir;
  }
  throw new AssemblyError(
    `${reader.stackName}: function ${id} has no code folder (no aws:asset:path metadata, no asset for S3Key ${key ?? '(none)'}, no ZipFile)`,
  );
}

function buildInvokeConfigs(
  reader: StackReader,
  ids: readonly string[],
  functions: readonly FunctionModel[],
): EventInvokeConfigModel[] {
  const configs: EventInvokeConfigModel[] = ids.map((id) => {
    const p = reader.properties(id);
    const dest = isObject(p.DestinationConfig) ? p.DestinationConfig : {};
    const onSuccess = isObject(dest.OnSuccess) ? str(dest.OnSuccess.Destination) : undefined;
    const onFailure = isObject(dest.OnFailure) ? str(dest.OnFailure.Destination) : undefined;
    return {
      functionName: functionNameOf(String(p.FunctionName)),
      qualifier: str(p.Qualifier) ?? EVENT_INVOKE_DEFAULTS.qualifier,
      maximumRetryAttempts: num(p.MaximumRetryAttempts) ?? EVENT_INVOKE_DEFAULTS.maximumRetryAttempts,
      maximumEventAgeInSeconds: num(p.MaximumEventAgeInSeconds) ?? EVENT_INVOKE_DEFAULTS.maximumEventAgeInSeconds,
      ...(onSuccess && { onSuccess }),
      ...(onFailure && { onFailure }),
    };
  });
  // Every function has asynchronous invocation settings; without a resource they are AWS's defaults.
  for (const fn of functions) {
    if (!configs.some((c) => c.functionName === fn.name && c.qualifier === EVENT_INVOKE_DEFAULTS.qualifier)) {
      configs.push({
        functionName: fn.name,
        qualifier: EVENT_INVOKE_DEFAULTS.qualifier,
        maximumRetryAttempts: EVENT_INVOKE_DEFAULTS.maximumRetryAttempts,
        maximumEventAgeInSeconds: EVENT_INVOKE_DEFAULTS.maximumEventAgeInSeconds,
      });
    }
  }
  return configs;
}

/** Queue properties that are not attributes of `CreateQueue` or are modelled on their own. */
const QUEUE_MODELLED = new Set([
  'QueueName',
  'Tags',
  'FifoQueue',
  'ContentBasedDeduplication',
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'MaximumMessageSize',
  'RedrivePolicy',
]);

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html */
function buildQueue(reader: StackReader, id: string): QueueModel {
  const p = reader.properties(id);
  const identity = reader.identity(id);
  const redrive = typeof p.RedrivePolicy === 'string' ? (JSON.parse(p.RedrivePolicy) as unknown) : p.RedrivePolicy;
  const otherAttributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) {
    if (!QUEUE_MODELLED.has(k)) otherAttributes[k] = jsonText(v) ?? '';
  }
  const maximumMessageSize = num(p.MaximumMessageSize);
  return {
    logicalId: id,
    name: identity.attributes.QueueName ?? '',
    arn: identity.attributes.Arn ?? '',
    url: identity.ref,
    fifo: bool(p.FifoQueue) ?? false,
    contentBasedDeduplication: bool(p.ContentBasedDeduplication) ?? false,
    visibilityTimeoutSeconds: num(p.VisibilityTimeout) ?? QUEUE_DEFAULTS.visibilityTimeoutSeconds,
    messageRetentionPeriodSeconds: num(p.MessageRetentionPeriod) ?? QUEUE_DEFAULTS.messageRetentionPeriodSeconds,
    delaySeconds: num(p.DelaySeconds) ?? QUEUE_DEFAULTS.delaySeconds,
    receiveMessageWaitTimeSeconds: num(p.ReceiveMessageWaitTimeSeconds) ?? QUEUE_DEFAULTS.receiveMessageWaitTimeSeconds,
    ...(maximumMessageSize !== undefined && { maximumMessageSize }),
    ...(isObject(redrive) && {
      redrivePolicy: {
        deadLetterTargetArn: String(redrive.deadLetterTargetArn),
        maxReceiveCount: num(redrive.maxReceiveCount) ?? QUEUE_DEFAULTS.maxReceiveCount,
      },
    }),
    otherAttributes,
  };
}

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html */
function buildSubscription(reader: StackReader, id: string): SubscriptionModel {
  const p = reader.properties(id);
  const filterPolicy = jsonText(p.FilterPolicy);
  const redrivePolicy = jsonText(p.RedrivePolicy);
  return {
    logicalId: id,
    topicArn: String(p.TopicArn),
    protocol: String(p.Protocol),
    endpoint: String(p.Endpoint),
    rawMessageDelivery: bool(p.RawMessageDelivery) ?? false,
    ...(filterPolicy !== undefined && { filterPolicy }),
    ...(p.FilterPolicyScope !== undefined && { filterPolicyScope: String(p.FilterPolicyScope) }),
    ...(redrivePolicy !== undefined && { redrivePolicy }),
  };
}

function filterRules(
  filter: unknown,
  keyName: 'Key' | 'S3Key',
  rulesName: 'FilterRules' | 'Rules',
): Pick<BucketNotificationModel, 'prefix' | 'suffix'> {
  const key = isObject(filter) ? filter[keyName] : undefined;
  const rules = isObject(key) && Array.isArray(key[rulesName]) ? key[rulesName] : [];
  const out: { prefix?: string; suffix?: string } = {};
  for (const rule of rules) {
    if (!isObject(rule)) continue;
    const name = String(rule.Name).toLowerCase();
    if (name === 'prefix') out.prefix = String(rule.Value);
    if (name === 'suffix') out.suffix = String(rule.Value);
  }
  return out;
}

/**
 * Bucket notifications from the bucket's own `NotificationConfiguration` (CloudFormation shape) and
 * from the CDK's `Custom::S3BucketNotifications` (S3 API shape).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-notificationconfiguration.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 */
function buildBuckets(reader: StackReader, bucketIds: readonly string[], ids: readonly string[]): BucketModel[] {
  const extra = new Map<string, BucketNotificationModel[]>();
  for (const id of ids) {
    if (reader.resource(id).Type !== 'Custom::S3BucketNotifications') continue;
    const p = reader.properties(id);
    const cfg = isObject(p.NotificationConfiguration) ? p.NotificationConfiguration : {};
    const list: BucketNotificationModel[] = [];
    const add = (key: string, target: BucketNotificationModel['target'], arnKey: string): void => {
      for (const c of Array.isArray(cfg[key]) ? cfg[key] : []) {
        if (!isObject(c)) continue;
        list.push({
          ...(c.Id !== undefined && { id: String(c.Id) }),
          target,
          targetArn: String(c[arnKey]),
          events: Array.isArray(c.Events) ? c.Events.map(String) : [],
          ...filterRules(c.Filter, 'Key', 'FilterRules'),
        });
      }
    };
    add('LambdaFunctionConfigurations', 'lambda', 'LambdaFunctionArn');
    add('QueueConfigurations', 'sqs', 'QueueArn');
    add('TopicConfigurations', 'sns', 'TopicArn');
    const bucket = String(p.BucketName);
    extra.set(bucket, [...(extra.get(bucket) ?? []), ...list]);
  }
  return bucketIds.map((id) => {
    const p = reader.properties(id);
    const identity = reader.identity(id);
    const cfg = isObject(p.NotificationConfiguration) ? p.NotificationConfiguration : {};
    const own: BucketNotificationModel[] = [];
    const add = (key: string, target: BucketNotificationModel['target'], arnKey: string): void => {
      for (const c of Array.isArray(cfg[key]) ? cfg[key] : []) {
        if (!isObject(c)) continue;
        own.push({
          target,
          targetArn: String(c[arnKey]),
          events: [String(c.Event)],
          ...filterRules(c.Filter, 'S3Key', 'Rules'),
        });
      }
    };
    add('LambdaConfigurations', 'lambda', 'Function');
    add('QueueConfigurations', 'sqs', 'Queue');
    add('TopicConfigurations', 'sns', 'Topic');
    return {
      logicalId: id,
      name: identity.ref,
      arn: identity.attributes.Arn ?? '',
      notifications: [...own, ...(extra.get(identity.ref) ?? [])],
    };
  });
}

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html */
function buildTable(reader: StackReader, id: string): TableModel {
  const p = reader.properties(id);
  const identity = reader.identity(id);
  const stream = isObject(p.StreamSpecification) ? str(p.StreamSpecification.StreamViewType) : undefined;
  const ttl = isObject(p.TimeToLiveSpecification) ? p.TimeToLiveSpecification : undefined;
  const gsis = Array.isArray(p.GlobalSecondaryIndexes) ? p.GlobalSecondaryIndexes : undefined;
  const lsis = Array.isArray(p.LocalSecondaryIndexes) ? p.LocalSecondaryIndexes : undefined;
  return {
    logicalId: id,
    name: identity.ref,
    arn: identity.attributes.Arn ?? '',
    keySchema: (Array.isArray(p.KeySchema) ? p.KeySchema : []) as TableModel['keySchema'],
    attributeDefinitions: (Array.isArray(p.AttributeDefinitions)
      ? p.AttributeDefinitions
      : []) as TableModel['attributeDefinitions'],
    ...(gsis && { globalSecondaryIndexes: gsis }),
    ...(lsis && { localSecondaryIndexes: lsis }),
    ...(stream && { streamViewType: stream as TableModel['streamViewType'], streamArn: identity.attributes.StreamArn }),
    ...(ttl &&
      bool(ttl.Enabled) !== false &&
      ttl.AttributeName !== undefined && { timeToLiveAttribute: String(ttl.AttributeName) }),
  };
}

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kinesis-stream.html */
function buildKinesisStream(reader: StackReader, id: string): KinesisStreamModel {
  const p = reader.properties(id);
  const identity = reader.identity(id);
  const onDemand = isObject(p.StreamModeDetails) && p.StreamModeDetails.StreamMode === 'ON_DEMAND';
  return {
    logicalId: id,
    name: identity.ref,
    arn: identity.attributes.Arn ?? '',
    shardCount: onDemand ? KINESIS_DEFAULTS.onDemandShardCount : (num(p.ShardCount) ?? KINESIS_DEFAULTS.shardCount),
    retentionPeriodHours: num(p.RetentionPeriodHours) ?? KINESIS_DEFAULTS.retentionPeriodHours,
  };
}

/** The event source kind of an ESM's source ARN, or undefined for sources the engine does not poll. */
export function eventSourceKind(arn: string): EventSourceMappingModel['source'] | undefined {
  if (/^arn:[^:]+:sqs:/.test(arn)) return 'sqs';
  if (/^arn:[^:]+:kinesis:/.test(arn)) return 'kinesis';
  if (/^arn:[^:]+:dynamodb:.*\/stream\//.test(arn)) return 'dynamodb';
  return undefined;
}

/**
 * An event source mapping with the defaults of its source, or the reason it is unsupported.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html
 */
function buildEventSourceMapping(reader: StackReader, id: string): EventSourceMappingModel | string {
  const p = reader.properties(id);
  const eventSourceArn = str(p.EventSourceArn) ?? '';
  const source = eventSourceKind(eventSourceArn);
  if (!source)
    return `the local engine polls SQS, Kinesis and DynamoDB Streams only (source ${eventSourceArn || 'none'})`;
  const functionName = functionNameOf(String(p.FunctionName));
  const stream = source !== 'sqs';
  const scaling = isObject(p.ScalingConfig) ? num(p.ScalingConfig.MaximumConcurrency) : undefined;
  const dest =
    isObject(p.DestinationConfig) && isObject(p.DestinationConfig.OnFailure)
      ? str(p.DestinationConfig.OnFailure.Destination)
      : undefined;
  const filters = isObject(p.FilterCriteria) && Array.isArray(p.FilterCriteria.Filters) ? p.FilterCriteria.Filters : [];
  const timestamp = num(p.StartingPositionTimestamp);
  return {
    logicalId: id,
    uuid: reader.identity(id).ref,
    functionName,
    functionArn: `arn:aws:lambda:${reader.ctx.region}:${reader.ctx.accountId}:function:${functionName}`,
    eventSourceArn,
    source,
    enabled: bool(p.Enabled) ?? ESM_DEFAULTS.enabled,
    batchSize: num(p.BatchSize) ?? (stream ? ESM_DEFAULTS.streamBatchSize : ESM_DEFAULTS.sqsBatchSize),
    maximumBatchingWindowInSeconds:
      num(p.MaximumBatchingWindowInSeconds) ?? ESM_DEFAULTS.maximumBatchingWindowInSeconds,
    ...(stream && p.StartingPosition !== undefined && { startingPosition: String(p.StartingPosition) }),
    ...(timestamp !== undefined && { startingPositionTimestamp: timestamp }),
    bisectBatchOnFunctionError: bool(p.BisectBatchOnFunctionError) ?? ESM_DEFAULTS.bisectBatchOnFunctionError,
    maximumRetryAttempts: num(p.MaximumRetryAttempts) ?? ESM_DEFAULTS.maximumRetryAttempts,
    maximumRecordAgeInSeconds: num(p.MaximumRecordAgeInSeconds) ?? ESM_DEFAULTS.maximumRecordAgeInSeconds,
    parallelizationFactor: num(p.ParallelizationFactor) ?? ESM_DEFAULTS.parallelizationFactor,
    tumblingWindowInSeconds: num(p.TumblingWindowInSeconds) ?? ESM_DEFAULTS.tumblingWindowInSeconds,
    reportBatchItemFailures:
      Array.isArray(p.FunctionResponseTypes) && p.FunctionResponseTypes.includes('ReportBatchItemFailures'),
    ...(scaling !== undefined && { maximumConcurrency: scaling }),
    ...(dest && { onFailureDestination: dest }),
    filterPatterns: filters.filter(isObject).map((f) => jsonText(f.Pattern) ?? ''),
  };
}
