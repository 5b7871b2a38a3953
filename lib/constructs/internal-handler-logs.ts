/**
 * Log groups for the CDK's own handler functions (S3 bucket notifications, S3 auto-delete), so `cdk destroy`
 * leaves no `/aws/lambda/...` log group behind.
 */
import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Properties of {@link InternalHandlerLogs}. */
export interface InternalHandlerLogsProps {
  /** Retention of the created log groups, in days. */
  readonly logRetentionDays: number;
}

/**
 * Call last in a stack. Finds the functions the CDK adds as raw `AWS::Lambda::Function` resources (our own
 * functions are `CfnFunction`s with a log group already) and creates `/aws/lambda/<name>` for each, deleted on
 * destroy. Without it, Lambda creates that group on the handler's first run and nothing ever deletes it
 * (measured on deploy and destroy of this project's stacks). Every custom resource of the stack is made to depend on these groups,
 * so CloudFormation deletes a group only after the last invocation that could write to it.
 */
export class InternalHandlerLogs extends Construct {
  /** The created log groups. */
  public readonly logGroups: readonly LogGroup[];

  constructor(scope: Construct, id: string, props: InternalHandlerLogsProps) {
    super(scope, id);
    const resources = Stack.of(this)
      .node.findAll()
      .filter((c): c is CfnResource => c instanceof CfnResource);
    const handlers = resources.filter(
      (r) => r.cfnResourceType === 'AWS::Lambda::Function' && !(r instanceof CfnFunction),
    );
    this.logGroups = handlers.map(
      (handler, index) =>
        new LogGroup(this, `Logs${index}`, {
          logGroupName: `/aws/lambda/${handler.ref}`,
          retention: props.logRetentionDays,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );
    for (const resource of resources.filter((r) => r.cfnResourceType.startsWith('Custom::'))) {
      for (const logGroup of this.logGroups) resource.node.addDependency(logGroup);
    }
  }
}
