/**
 * What the four pattern stacks share: the validated config, the order store and its outputs, and the
 * acknowledgments that apply to every stack.
 */
import { Stack, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';
import type { AppConfig } from '../config';
import { consoleLink } from '../constructs/console-links';
import type { OrderFunctionProps } from '../constructs/order-function';
import { OrderStore } from '../constructs/order-store';
import { PatternDashboard } from '../constructs/pattern-dashboard';
import { ConsoleTestEvents, TestEventRegistry } from '../constructs/console-test-events';
import { consoleTestEvents, type SourceKind, type SourceResources } from '../test-events/console-events';
import { output, outputFunction, outputTable } from '../constructs/stack-outputs';
import type { OrderFunction } from '../constructs/order-function';

/** Properties of every pattern stack. */
export interface PatternStackProps extends StackProps {
  /** The validated app configuration. */
  readonly config: AppConfig;
}

/**
 * Base of the pattern stacks: creates the {@link OrderStore} (`Store`) with the outputs `OrdersTable*`,
 * `IdempotencyTable*`, `AttemptsTable*`, `MaxQuantityParameter*` and `ReceiptKeySecret*`.
 */
export abstract class PatternStack extends Stack {
  /** The validated app configuration. */
  public readonly config: AppConfig;
  /** Orders, idempotency records, attempt counters and the Parameter Store setting. */
  public readonly store: OrderStore;
  /** The stack's CloudWatch dashboard and alarms; each stack adds the rows of its failure story. */
  public readonly dashboard: PatternDashboard;
  /** Ensures the Lambda console's test-event registry exists (never deletes it). */
  public readonly testEventRegistry: TestEventRegistry;

  protected constructor(scope: Construct, id: string, props: PatternStackProps) {
    super(scope, id, props);
    this.config = props.config;
    this.store = new OrderStore(this, 'Store', {
      maxQuantity: props.config.settings.maxQuantity,
      parameterCacheSeconds: props.config.settings.parameterCacheSeconds,
    });
    this.dashboard = new PatternDashboard(this, 'Monitoring', {
      title: `${this.stackName}: ${this.templateOptions.description ?? 'Lambda Pipelines Lab'}`,
    });
    output(this, 'DashboardName', this.dashboard.dashboard.dashboardName, 'Name of the CloudWatch dashboard');
    output(
      this,
      'DashboardConsoleLink',
      consoleLink.dashboard(this.dashboard.dashboard.dashboardName),
      'Console: the dashboard (metrics of every function, queue and source, and the alarms)',
    );
    this.testEventRegistry = new TestEventRegistry(this, 'TestEventRegistry', {
      logRetentionDays: props.config.settings.logRetentionDays,
    });
    outputTable(this, 'OrdersTable', this.store.ordersTable, 'the orders recorded by this stack');
    outputTable(this, 'IdempotencyTable', this.store.idempotencyTable, 'the idempotency records');
    outputTable(this, 'AttemptsTable', this.store.attemptsTable, 'the failure-drill attempt counters');
    output(
      this,
      'MaxQuantityParameterName',
      this.store.maxQuantityParameter.parameterName,
      'Parameter Store name of the largest accepted quantity',
    );
    output(
      this,
      'MaxQuantityParameterConsoleLink',
      consoleLink.parameter(this.store.maxQuantityParameter.parameterName),
      'Console: edit the largest accepted quantity',
    );
    output(this, 'ReceiptKeySecretArn', this.store.receiptKey.secretArn, 'Secrets Manager ARN of the receipt key');
    output(
      this,
      'ReceiptKeySecretConsoleLink',
      consoleLink.secret(this.store.receiptKey.secretName),
      'Console: the receipt key (set a new value to re-sign new orders)',
    );
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'AWSLambdaBasicExecutionRole only allows writing CloudWatch Logs; every function (ours and the CDK bucket-notification handler) needs exactly that, and the managed policy is the form AWS documents for it.',
    });
  }

  /**
   * Gives the function the console's shareable test events, one per drill, shaped like `kind`'s events and
   * naming this stack's resources.
   */
  protected addTestEvents(fn: OrderFunction, kind: SourceKind, resources: SourceResources): ConsoleTestEvents {
    return new ConsoleTestEvents(fn, 'TestEvents', {
      function: fn.function,
      events: consoleTestEvents(kind, resources),
      registry: this.testEventRegistry,
    });
  }

  /** The resolved logical id of a construct's CloudFormation resource, as cdk-nag names it in finding ids. */
  protected logicalIdOf(construct: IConstruct): string {
    return this.resolve(this.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
  }

  /** Function settings from the config, for a function in `lambda/<handlerFolder>`. */
  protected functionProps(handlerFolder: string, description: string): OrderFunctionProps {
    return { handlerFolder, description, logRetentionDays: this.config.settings.logRetentionDays };
  }

  /**
   * Binds a function to the store, adds its `<prefix>Function*` and `<prefix>Log*` outputs, and its row and
   * errors alarm on the dashboard.
   */
  protected addFunction(prefix: string, fn: OrderFunction, access: 'record' | 'read', what: string): void {
    this.store.bind(fn, access);
    outputFunction(this, prefix, fn, what);
    this.dashboard.addFunction(prefix, fn.function);
  }
}
