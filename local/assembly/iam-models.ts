import type { StackIamModel } from './model';
import { type StackReader } from './stack-reader';

type Props = Record<string, unknown>;
const isObject = (v: unknown): v is Props => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** The queue ARN of a local queue URL (`<endpoint>/<account>/<name>`), as `QueuePolicy.Queues` holds them. */
function queueArnOfUrl(url: string, region: string): string {
  const parts = url.replace(/\/+$/, '').split('/');
  return `arn:aws:sqs:${region}:${parts[parts.length - 2] ?? ''}:${parts[parts.length - 1] ?? ''}`;
}

/**
 * The IAM side of one stack, resolved: execution roles with their inline and attached policies and
 * managed policy ARNs, customer managed policies, resource policies (bucket, queue, topic) and
 * function permissions (`AWS::Lambda::Permission`). The engine's IAM evaluates them.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-policy.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html
 */
export function buildIam(reader: StackReader, ids: readonly string[], region: string): StackIamModel {
  const byType = (type: string): string[] => ids.filter((id) => reader.resource(id).Type === type);
  const where = (id: string): string => `${reader.stackName}/${id}`;

  const roles = byType('AWS::IAM::Role').map((id) => {
    const p = reader.properties(id);
    const identity = reader.identity(id);
    const inline = Array.isArray(p.Policies) ? p.Policies.filter(isObject) : [];
    return {
      logicalId: id,
      name: identity.ref,
      arn: identity.attributes.Arn ?? '',
      policies: inline.map((pol) => ({
        source: `${where(id)}/${String(pol.PolicyName)}`,
        document: pol.PolicyDocument,
      })),
      managedPolicyArns: strings(p.ManagedPolicyArns),
    };
  });
  const policies = byType('AWS::IAM::Policy').map((id) => {
    const p = reader.properties(id);
    return { source: where(id), roleNames: strings(p.Roles), document: p.PolicyDocument };
  });
  const managedPolicies = byType('AWS::IAM::ManagedPolicy').map((id) => {
    const p = reader.properties(id);
    return { source: where(id), arn: reader.identity(id).ref, roleNames: strings(p.Roles), document: p.PolicyDocument };
  });

  const resourcePolicies = [
    ...byType('AWS::S3::BucketPolicy').map((id) => {
      const p = reader.properties(id);
      return { source: where(id), resourceArns: [`arn:aws:s3:::${String(p.Bucket)}`], document: p.PolicyDocument };
    }),
    ...byType('AWS::SQS::QueuePolicy').map((id) => {
      const p = reader.properties(id);
      const arns = strings(p.Queues).map((u) => (u.startsWith('arn:') ? u : queueArnOfUrl(u, region)));
      return { source: where(id), resourceArns: arns, document: p.PolicyDocument };
    }),
    ...byType('AWS::SNS::TopicPolicy').map((id) => {
      const p = reader.properties(id);
      return { source: where(id), resourceArns: strings(p.Topics), document: p.PolicyDocument };
    }),
  ];

  const lambdaPermissions = byType('AWS::Lambda::Permission').map((id) => {
    const p = reader.properties(id);
    return {
      source: where(id),
      functionName: String(p.FunctionName),
      action: String(p.Action),
      principal: String(p.Principal),
      ...(p.SourceArn !== undefined && { sourceArn: String(p.SourceArn) }),
      ...(p.SourceAccount !== undefined && { sourceAccount: String(p.SourceAccount) }),
    };
  });
  return { roles, policies, managedPolicies, resourcePolicies, lambdaPermissions };
}
