/**
 * The typed model of a synthesized cloud assembly (`cdk.out`), as the local engine deploys it.
 *
 * `local/assembly/` is the only code that understands CloudFormation: it reads the manifest and
 * templates, gives every resource a physical name, resolves intrinsics (`Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, …) and fills absent properties with AWS's documented defaults. Every value
 * below is therefore final: names, ARNs, URLs and numbers, never template JSON.
 */

/** The whole assembly for one owner, ready to deploy. */
export interface AssemblyModel {
  /** Absolute path of the `cdk.out` folder that was read. */
  readonly directory: string;
  readonly region: string;
  readonly accountId: string;
  readonly stacks: readonly StackModel[];
}

/** One CloudFormation stack of the assembly. */
export interface StackModel {
  /** e.g. `local-QueuePolling`. */
  readonly stackName: string;
  /** `arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>` */
  readonly stackId: string;
  readonly description?: string;
  readonly functions: readonly FunctionModel[];
  readonly queues: readonly QueueModel[];
  readonly topics: readonly TopicModel[];
  readonly subscriptions: readonly SubscriptionModel[];
  readonly buckets: readonly BucketModel[];
  readonly tables: readonly TableModel[];
  readonly kinesisStreams: readonly KinesisStreamModel[];
  readonly parameters: readonly ParameterModel[];
  readonly secrets: readonly SecretModel[];
  readonly eventSourceMappings: readonly EventSourceMappingModel[];
  readonly eventInvokeConfigs: readonly EventInvokeConfigModel[];
  readonly restApis: readonly RestApiModel[];
  readonly outputs: readonly OutputModel[];
  /** Every resource of the template with its physical id and what the engine does with it. */
  readonly resources: readonly ResourceModel[];
  /** Roles, policies and permissions, for the engine's IAM. */
  readonly iam: StackIamModel;
}

/** A policy document as the template holds it (resolved), and where it comes from (`stack/logicalId`). */
export interface PolicySourceModel {
  readonly source: string;
  /** The resolved `PolicyDocument`. */
  readonly document: unknown;
}

/**
 * The IAM resources of a stack, resolved.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html
 */
export interface StackIamModel {
  /** `AWS::IAM::Role`: name, ARN, inline `Policies` and `ManagedPolicyArns`. */
  readonly roles: ReadonlyArray<{
    readonly logicalId: string;
    readonly name: string;
    readonly arn: string;
    readonly policies: readonly PolicySourceModel[];
    readonly managedPolicyArns: readonly string[];
  }>;
  /** `AWS::IAM::Policy`, attached to roles by name. */
  readonly policies: ReadonlyArray<PolicySourceModel & { readonly roleNames: readonly string[] }>;
  /** `AWS::IAM::ManagedPolicy` (customer managed), by ARN, maybe attached to roles by name. */
  readonly managedPolicies: ReadonlyArray<
    PolicySourceModel & { readonly arn: string; readonly roleNames: readonly string[] }
  >;
  /** Bucket, queue and topic policies with the ARNs of the resources they are attached to. */
  readonly resourcePolicies: ReadonlyArray<PolicySourceModel & { readonly resourceArns: readonly string[] }>;
  /** `AWS::Lambda::Permission`: who may invoke a function. */
  readonly lambdaPermissions: ReadonlyArray<{
    readonly source: string;
    /** `FunctionName` as given (name or ARN). */
    readonly functionName: string;
    readonly action: string;
    /** A service (`s3.amazonaws.com`), an account id or an ARN. */
    readonly principal: string;
    readonly sourceArn?: string;
    readonly sourceAccount?: string;
  }>;
}

/** What the deployer does with one template resource. */
export interface ResourceModel {
  readonly logicalId: string;
  readonly type: string;
  /** The value `Ref` returns for it (name, URL, ARN or id, per resource type). */
  readonly physicalId: string;
  /**
   * `deployed`: the engine creates it; `applied`: its effect is applied through another resource
   * (e.g. `Custom::S3BucketNotifications`); `skipped`: no local meaning (IAM, log groups, alarms, …);
   * `unsupported`: an unknown type, reported by name.
   */
  readonly disposition: 'deployed' | 'applied' | 'skipped' | 'unsupported';
  /** Why it was skipped, applied or unsupported; shown by `npm start`. */
  readonly note?: string;
}

/** A stack output, resolved to its local value. */
export interface OutputModel {
  readonly key: string;
  readonly value: string;
  readonly description?: string;
  readonly exportName?: string;
}

/**
 * A Lambda function (`AWS::Lambda::Function`).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html
 */
export interface FunctionModel {
  readonly logicalId: string;
  /** Physical name (`FunctionName` or generated, ≤ 64 characters). */
  readonly name: string;
  readonly arn: string;
  /** e.g. `index.handler`. */
  readonly handler: string;
  /** e.g. `nodejs24.x`. */
  readonly runtime: string;
  /** Absolute path of the code folder (the asset found through `aws:asset:path` metadata). */
  readonly codeDir: string;
  /** @default 3 (seconds) */
  readonly timeoutSeconds: number;
  /** @default 128 (MB) */
  readonly memorySizeMb: number;
  /** @default ['x86_64'] */
  readonly architectures: readonly string[];
  /** Resolved environment variables of the template. */
  readonly environment: Readonly<Record<string, string>>;
  readonly reservedConcurrency?: number;
  /** `DeadLetterConfig.TargetArn` (SQS queue or SNS topic ARN). */
  readonly deadLetterTargetArn?: string;
  /** From `LoggingConfig.LogGroup`, else `/aws/lambda/<name>`. */
  readonly logGroupName: string;
  readonly description?: string;
  /** The execution role's ARN (`Role`). */
  readonly roleArn?: string;
}

/**
 * Asynchronous invocation settings of a function (`AWS::Lambda::EventInvokeConfig`), with AWS's
 * defaults filled in when the template has none for a function.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
export interface EventInvokeConfigModel {
  readonly functionName: string;
  /** `$LATEST` or a version/alias. */
  readonly qualifier: string;
  /** 0–2. @default 2 */
  readonly maximumRetryAttempts: number;
  /** 60–21,600. @default 21600 */
  readonly maximumEventAgeInSeconds: number;
  /** Destination ARN (SQS, SNS, Lambda, EventBridge, S3). */
  readonly onSuccess?: string;
  readonly onFailure?: string;
}

/**
 * An SQS queue (`AWS::SQS::Queue`) with defaults filled in.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
export interface QueueModel {
  readonly logicalId: string;
  /** Ends in `.fifo` for FIFO queues. */
  readonly name: string;
  readonly arn: string;
  /** The local queue URL (`Ref` value). */
  readonly url: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  /** @default 30 */
  readonly visibilityTimeoutSeconds: number;
  /** @default 345600 */
  readonly messageRetentionPeriodSeconds: number;
  /** @default 0 */
  readonly delaySeconds: number;
  /** @default 0 */
  readonly receiveMessageWaitTimeSeconds: number;
  readonly maximumMessageSize?: number;
  readonly redrivePolicy?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
  /** Every other attribute, as `CreateQueue` takes them (e.g. `SqsManagedSseEnabled`, `KmsMasterKeyId`). */
  readonly otherAttributes: Readonly<Record<string, string>>;
}

/** An SNS topic (`AWS::SNS::Topic`). */
export interface TopicModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * An SNS subscription (`AWS::SNS::Subscription`, or inline `Subscription` of a topic).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html
 */
export interface SubscriptionModel {
  readonly logicalId: string;
  readonly topicArn: string;
  /** `lambda`, `sqs`, … */
  readonly protocol: string;
  /** Function ARN, queue ARN, … */
  readonly endpoint: string;
  readonly rawMessageDelivery: boolean;
  /** The filter policy as JSON text. */
  readonly filterPolicy?: string;
  /** `MessageAttributes` (default) or `MessageBody`. */
  readonly filterPolicyScope?: string;
  /** The subscription's RedrivePolicy as JSON text (`{"deadLetterTargetArn": …}`). */
  readonly redrivePolicy?: string;
}

/**
 * An S3 bucket (`AWS::S3::Bucket`) with its notification configuration, taken from the bucket's
 * own `NotificationConfiguration` or from the CDK's `Custom::S3BucketNotifications` resource.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 */
export interface BucketModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly notifications: readonly BucketNotificationModel[];
}

/** One notification configuration of a bucket. */
export interface BucketNotificationModel {
  readonly id?: string;
  readonly target: 'lambda' | 'sqs' | 'sns';
  readonly targetArn: string;
  /** e.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  readonly prefix?: string;
  readonly suffix?: string;
}

/**
 * A DynamoDB table (`AWS::DynamoDB::Table`, or `AWS::DynamoDB::GlobalTable` as a single-Region table).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html
 */
export interface TableModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** As `CreateTable` takes them. */
  readonly keySchema: ReadonlyArray<{ readonly AttributeName: string; readonly KeyType: 'HASH' | 'RANGE' }>;
  readonly attributeDefinitions: ReadonlyArray<{
    readonly AttributeName: string;
    readonly AttributeType: 'S' | 'N' | 'B';
  }>;
  readonly globalSecondaryIndexes?: readonly unknown[];
  readonly localSecondaryIndexes?: readonly unknown[];
  readonly streamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /**
   * The table's stream ARN (`Fn::GetAtt Table.StreamArn`), present when the table has a stream.
   * The label is derived from the table ARN; the deployer replaces it with the one the local
   * DynamoDB service reports if they differ.
   */
  readonly streamArn?: string;
  readonly timeToLiveAttribute?: string;
}

/** A Kinesis data stream (`AWS::Kinesis::Stream`). */
export interface KinesisStreamModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** @default 1 (provisioned); on-demand streams get 4 locally. */
  readonly shardCount: number;
  /** @default 24 */
  readonly retentionPeriodHours: number;
}

/** A Systems Manager parameter (`AWS::SSM::Parameter`). */
export interface ParameterModel {
  readonly logicalId: string;
  readonly name: string;
  /** `String` or `StringList` (CloudFormation cannot create SecureString). */
  readonly type: string;
  readonly value: string;
  readonly description?: string;
}

/**
 * How CloudFormation generates a secret's value (`GenerateSecretString`): `GetRandomPassword`'s options, and
 * optionally a JSON template the password is put into under `generateStringKey`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-secretsmanager-secret-generatesecretstring.html
 */
export interface GenerateSecretStringModel {
  readonly passwordLength?: number;
  readonly excludeCharacters?: string;
  readonly excludeNumbers?: boolean;
  readonly excludePunctuation?: boolean;
  readonly excludeUppercase?: boolean;
  readonly excludeLowercase?: boolean;
  readonly includeSpace?: boolean;
  readonly requireEachIncludedType?: boolean;
  readonly secretStringTemplate?: string;
  readonly generateStringKey?: string;
}

/** A Secrets Manager secret (`AWS::SecretsManager::Secret`). */
export interface SecretModel {
  readonly logicalId: string;
  readonly name: string;
  /** The predicted ARN (what `Ref` returns); the deployer replaces it with the endpoint's. */
  readonly arn: string;
  readonly description?: string;
  /** A literal value (`SecretString`). */
  readonly secretString?: string;
  /** A value generated at deploy time; absent with neither, the secret has no value (as on AWS). */
  readonly generate?: GenerateSecretStringModel;
}

/**
 * An event source mapping (`AWS::Lambda::EventSourceMapping`) with AWS's defaults for its source.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
export interface EventSourceMappingModel {
  readonly logicalId: string;
  /** A UUID, stable for the same stack and logical id. */
  readonly uuid: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly eventSourceArn: string;
  readonly source: 'sqs' | 'kinesis' | 'dynamodb';
  /** @default true */
  readonly enabled: boolean;
  /** @default 10 for SQS, 100 for streams */
  readonly batchSize: number;
  /** @default 0 */
  readonly maximumBatchingWindowInSeconds: number;
  /** Streams only: `TRIM_HORIZON`, `LATEST` or `AT_TIMESTAMP`. */
  readonly startingPosition?: string;
  readonly startingPositionTimestamp?: number;
  /** Streams only. @default false */
  readonly bisectBatchOnFunctionError: boolean;
  /** Streams only; -1 means retry until the record expires. @default -1 */
  readonly maximumRetryAttempts: number;
  /** Streams only; -1 means no limit. @default -1 */
  readonly maximumRecordAgeInSeconds: number;
  /** Streams only. @default 1 */
  readonly parallelizationFactor: number;
  /** Streams only. @default 0 */
  readonly tumblingWindowInSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /** SQS only: `ScalingConfig.MaximumConcurrency` (2–1,000). */
  readonly maximumConcurrency?: number;
  /** Streams only: `DestinationConfig.OnFailure.Destination` (SQS, SNS or S3 ARN). */
  readonly onFailureDestination?: string;
  /** `FilterCriteria.Filters[].Pattern`, each JSON text. */
  readonly filterPatterns: readonly string[];
}

/**
 * A REST API (API Gateway v1) with its resources, methods, validators, models and stage.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
export interface RestApiModel {
  readonly logicalId: string;
  /** The API id (`Ref` of the RestApi). */
  readonly id: string;
  readonly name: string;
  readonly stages: readonly RestApiStageModel[];
  /** Every resource path with its methods, e.g. `/orders/{orderId}`. */
  readonly routes: readonly RestApiRouteModel[];
  readonly binaryMediaTypes: readonly string[];
}

/** A deployed stage of a REST API. */
export interface RestApiStageModel {
  readonly name: string;
  /** The local invoke URL, e.g. `http://127.0.0.1:4566/restapis/<id>/<stage>/_user_request_/`. */
  readonly url: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Stage-wide `MethodSettings` for `/*` `/*` (rate in requests per second, burst). */
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Per-method throttling keyed `<METHOD> <resourcePath>`. */
  readonly methodThrottling: Readonly<Record<string, { readonly rateLimit: number; readonly burstLimit: number }>>;
}

/** One method on one resource path. */
export interface RestApiRouteModel {
  /** e.g. `/orders/{orderId}` or `/{proxy+}`. */
  readonly resourcePath: string;
  /** `GET`, `POST`, …, or `ANY`. */
  readonly httpMethod: string;
  /** `AWS_PROXY` for Lambda proxy integrations; other types are served as 500 with a note. */
  readonly integrationType: string;
  /** The function the proxy integration invokes. */
  readonly functionName?: string;
  /** @default 29000 */
  readonly timeoutInMillis: number;
  readonly authorizationType: string;
  readonly apiKeyRequired: boolean;
  readonly validateRequestBody: boolean;
  readonly validateRequestParameters: boolean;
  /** `method.request.querystring.x` → required, from `RequestParameters`. */
  readonly requestParameters: Readonly<Record<string, boolean>>;
  /** JSON schema (draft 4) of the request body by content type, from the method's `RequestModels`. */
  readonly requestModels: Readonly<Record<string, unknown>>;
}
