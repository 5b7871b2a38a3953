import { IntrinsicError } from './intrinsics';
import { generatedId, generatedName, type NameRules, stableUuid, streamLabel } from './names';

/** What {@link identify} needs to know about one resource. */
export interface IdentityInput {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly region: string;
  readonly accountId: string;
  /** The local endpoint, e.g. `http://127.0.0.1:4566` (queue URLs). */
  readonly endpointUrl: string;
  /** One resolved property of the resource (only the ones that shape its name are asked for). */
  prop(name: string): unknown;
}

/** The values `Ref` and `Fn::GetAtt` return for a resource. */
export interface ResourceIdentity {
  readonly ref: string;
  /** `Fn::GetAtt` values by attribute name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Custom resources and unknown types answer any attribute with a placeholder. */
  readonly anyAttribute?: boolean;
}

/** The local SQS queue URL of a queue name. */
export function localQueueUrl(endpointUrl: string, accountId: string, name: string): string {
  return `${endpointUrl.replace(/\/+$/, '')}/${accountId}/${name}`;
}

const truthy = (v: unknown): boolean => v === true || v === 'true';

function nameOf(input: IdentityInput, property: string | undefined, rules: NameRules): string {
  const explicit = property ? input.prop(property) : undefined;
  if (typeof explicit === 'string' && explicit !== '') return explicit;
  return generatedName(input.stackName, input.logicalId, rules);
}

/**
 * `Ref` and `Fn::GetAtt` values per resource type, as the "Return values" section of each
 * CloudFormation resource page lists them, with names generated the way CloudFormation does.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */
export function identify(input: IdentityInput): ResourceIdentity {
  const { region, accountId, stackName, logicalId } = input;
  const arn = (service: string, resource: string): string => `arn:aws:${service}:${region}:${accountId}:${resource}`;
  switch (input.type) {
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html#aws-resource-sqs-queue-return-values
    case 'AWS::SQS::Queue': {
      const fifo = truthy(input.prop('FifoQueue'));
      const name = nameOf(input, 'QueueName', { maxLength: 80, ending: fifo ? '.fifo' : '' });
      const url = localQueueUrl(input.endpointUrl, accountId, name);
      return { ref: url, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-topic.html#aws-resource-sns-topic-return-values
    case 'AWS::SNS::Topic': {
      const fifo = truthy(input.prop('FifoTopic'));
      const name = nameOf(input, 'TopicName', { maxLength: 256, ending: fifo ? '.fifo' : '' });
      const topicArn = arn('sns', name);
      return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html#aws-resource-sns-subscription-return-values
    case 'AWS::SNS::Subscription': {
      const topicArn = input.prop('TopicArn');
      const subArn = `${typeof topicArn === 'string' ? topicArn : arn('sns', 'topic')}:${stableUuid(stackName, logicalId)}`;
      return { ref: subArn, attributes: { Arn: subArn } };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html#aws-resource-s3-bucket-return-values
    case 'AWS::S3::Bucket': {
      const name = nameOf(input, 'BucketName', { maxLength: 63, lowercase: true });
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
          WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
        },
      };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html#aws-resource-dynamodb-table-return-values
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': {
      const name = nameOf(input, 'TableName', { maxLength: 255 });
      const tableArn = arn('dynamodb', `table/${name}`);
      return {
        ref: name,
        attributes: {
          Arn: tableArn,
          StreamArn: `${tableArn}/stream/${streamLabel(tableArn)}`,
          TableId: stableUuid(tableArn),
        },
      };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kinesis-stream.html#aws-resource-kinesis-stream-return-values
    case 'AWS::Kinesis::Stream': {
      const name = nameOf(input, 'Name', { maxLength: 128 });
      return { ref: name, attributes: { Arn: arn('kinesis', `stream/${name}`) } };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html#aws-resource-lambda-function-return-values
    case 'AWS::Lambda::Function': {
      const name = nameOf(input, 'FunctionName', { maxLength: 64 });
      return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html#aws-resource-lambda-eventsourcemapping-return-values
    case 'AWS::Lambda::EventSourceMapping': {
      const uuid = stableUuid(stackName, logicalId);
      return {
        ref: uuid,
        attributes: { Id: uuid, EventSourceMappingArn: arn('lambda', `event-source-mapping:${uuid}`) },
      };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-parameter.html#aws-resource-ssm-parameter-return-values
    case 'AWS::SSM::Parameter': {
      // CloudFormation names a parameter without a Name `CFN-<logicalId>-<random>`.
      const explicit = input.prop('Name');
      const name =
        typeof explicit === 'string' && explicit !== ''
          ? explicit
          : `CFN-${logicalId}-${generatedId(12, stackName, logicalId)}`;
      const value = input.prop('Value');
      const type = input.prop('Type');
      return {
        ref: name,
        attributes: { Value: typeof value === 'string' ? value : '', Type: typeof type === 'string' ? type : 'String' },
      };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html#aws-resource-secretsmanager-secret-return-values
    case 'AWS::SecretsManager::Secret': {
      // CloudFormation names a secret without a Name `<logicalId>-<12 random characters>`; Secrets Manager then
      // appends `-<6 random characters>` in the ARN. The local suffix is predicted here and replaced by the one
      // the endpoint returns when the deployer creates the secret.
      const explicit = input.prop('Name');
      const name =
        typeof explicit === 'string' && explicit !== ''
          ? explicit
          : `${logicalId}-${generatedId(12, stackName, logicalId)}`;
      const secretArn = arn('secretsmanager', `secret:${name}-${generatedId(6, stackName, logicalId, 'suffix')}`);
      return { ref: secretArn, attributes: { Id: secretArn } };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-restapi.html#aws-resource-apigateway-restapi-return-values
    case 'AWS::ApiGateway::RestApi': {
      const id = generatedId(10, stackName, logicalId);
      return { ref: id, attributes: { RestApiId: id, RootResourceId: generatedId(10, stackName, logicalId, 'root') } };
    }
    case 'AWS::ApiGateway::Resource': {
      const id = generatedId(6, stackName, logicalId);
      return { ref: id, attributes: { ResourceId: id } };
    }
    case 'AWS::ApiGateway::Deployment': {
      const id = generatedId(6, stackName, logicalId);
      return { ref: id, attributes: { DeploymentId: id } };
    }
    case 'AWS::ApiGateway::RequestValidator': {
      const id = generatedId(6, stackName, logicalId);
      return { ref: id, attributes: { RequestValidatorId: id } };
    }
    // Stage Ref is the stage name; Model Ref is the model name.
    case 'AWS::ApiGateway::Stage': {
      const name = input.prop('StageName');
      return { ref: typeof name === 'string' ? name : logicalId, attributes: {} };
    }
    case 'AWS::ApiGateway::Model': {
      const explicit = input.prop('Name');
      const name =
        typeof explicit === 'string' && explicit !== ''
          ? explicit
          : `${logicalId.replace(/[^A-Za-z0-9]/g, '')}${generatedId(6, stackName, logicalId)}`;
      return { ref: name, attributes: {} };
    }
    case 'AWS::ApiGateway::Method': {
      const id = generatedId(6, stackName, logicalId);
      return { ref: id, attributes: {} };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#aws-resource-iam-role-return-values
    case 'AWS::IAM::Role': {
      const name = nameOf(input, 'RoleName', { maxLength: 64 });
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:iam::${accountId}:role/${name}`,
          RoleId: `AROA${generatedId(17, stackName, logicalId).toUpperCase()}`,
        },
      };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const name = nameOf(input, 'ManagedPolicyName', { maxLength: 128 });
      const policyArn = `arn:aws:iam::${accountId}:policy/${name}`;
      return { ref: policyArn, attributes: { PolicyArn: policyArn } };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html#aws-resource-logs-loggroup-return-values
    case 'AWS::Logs::LogGroup': {
      const name = nameOf(input, 'LogGroupName', { maxLength: 512 });
      return { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html#aws-resource-kms-key-return-values
    case 'AWS::KMS::Key': {
      const keyId = stableUuid(stackName, logicalId);
      return { ref: keyId, attributes: { Arn: arn('kms', `key/${keyId}`), KeyId: keyId } };
    }
    case 'AWS::CloudWatch::Alarm': {
      const name = nameOf(input, 'AlarmName', { maxLength: 255 });
      return { ref: name, attributes: { Arn: arn('cloudwatch', `alarm:${name}`) } };
    }
    default: {
      // Custom resources answer whatever attributes their handler returns; unknown types are reported
      // as unsupported, so a placeholder keeps the rest of the stack readable.
      const ref = generatedName(stackName, logicalId, { maxLength: 255 });
      return { ref, attributes: {}, anyAttribute: true };
    }
  }
}

/** `Fn::GetAtt` of an identified resource; an attribute the type does not have is an error. */
export function attributeOf(identity: ResourceIdentity, type: string, logicalId: string, attribute: string): string {
  const value = identity.attributes[attribute];
  if (value !== undefined) return value;
  if (identity.anyAttribute) return `${identity.ref}.${attribute}`;
  throw new IntrinsicError(
    `Fn::GetAtt ${logicalId}.${attribute}: ${type} has no attribute ${attribute} the local engine knows`,
  );
}
