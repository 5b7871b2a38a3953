import type { ResourceModel } from './model';

/** Resource types the deployer creates or hands to the engine. */
export const DEPLOYED_TYPES: ReadonlySet<string> = new Set([
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Kinesis::Stream',
  'AWS::SSM::Parameter',
  'AWS::SecretsManager::Secret',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Stage',
]);

const IAM = "evaluated by the engine's IAM (npm start -- --no-iam turns it off)";

/** Types whose effect is applied through another resource. */
const APPLIED: Readonly<Record<string, string>> = {
  'Custom::S3BucketNotifications': 'applied as the bucket notification configuration',
  'AWS::IAM::Role': IAM,
  'AWS::IAM::Policy': IAM,
  'AWS::IAM::ManagedPolicy': IAM,
  'AWS::Lambda::Permission': IAM,
  'AWS::S3::BucketPolicy': IAM,
  'AWS::SQS::QueuePolicy': IAM,
  'AWS::SNS::TopicPolicy': IAM,
};

const NOT_EVALUATED = 'not evaluated by the local IAM (see docs/engine-fidelity.md)';

/** Types with no local meaning, and why. */
const SKIPPED: Readonly<Record<string, string>> = {
  'AWS::IAM::InstanceProfile': 'instance profiles have no local meaning',
  'AWS::SQS::QueueInlinePolicy': NOT_EVALUATED,
  'AWS::SNS::TopicInlinePolicy': NOT_EVALUATED,
  'AWS::KMS::Key': 'encryption keys are not used locally (data stays on this machine)',
  'AWS::KMS::Alias': 'encryption keys are not used locally (data stays on this machine)',
  'AWS::Logs::LogGroup': 'function logs are captured by the engine, not CloudWatch Logs',
  'AWS::Logs::MetricFilter': 'CloudWatch is not emulated locally',
  'AWS::CloudWatch::Alarm': 'CloudWatch is not emulated locally',
  'AWS::CloudWatch::Dashboard': 'CloudWatch is not emulated locally',
  'AWS::EventSchemas::Schema': "the Lambda console's shareable test events have no local runtime meaning",
  'Custom::AWS': "AWS SDK calls of CDK custom resources are not run locally (here: the console's test-event registry)",
  'AWS::CDK::Metadata': 'CDK version reporting only',
  'AWS::ApiGateway::Account': 'account-level API Gateway settings (CloudWatch role) have no local meaning',
  'AWS::ApiGateway::GatewayResponse':
    'custom gateway responses are not applied locally; the engine answers with the defaults',
  'Custom::S3AutoDeleteObjects': 'local buckets are removed with the engine; nothing to empty',
  'Custom::LogRetention': 'function logs are captured by the engine, not CloudWatch Logs',
  'Custom::CDKBucketDeployment': 'bucket deployments are not run locally',
};

/**
 * What the deployer does with a resource of `type`. `internalFunction` marks a CDK-internal
 * function (a custom resource provider) that is skipped rather than deployed.
 */
export function dispositionOf(type: string, internalFunction = false): Pick<ResourceModel, 'disposition' | 'note'> {
  if (type === 'AWS::Lambda::Function' && internalFunction) {
    return { disposition: 'skipped', note: 'CDK-internal custom resource provider; its work is done by the deployer' };
  }
  if (DEPLOYED_TYPES.has(type)) return { disposition: 'deployed' };
  const applied = APPLIED[type];
  if (applied) return { disposition: 'applied', note: applied };
  const skipped = SKIPPED[type];
  if (skipped) return { disposition: 'skipped', note: skipped };
  return { disposition: 'unsupported', note: `the local engine does not support ${type}` };
}
