/**
 * One order-processing function: a NodejsFunction with the app's defaults, its own log group, and its settings
 * as environment variables.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, type IDestination } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLE_HANDLER, bundledHandler } from './lambda-bundle';

/** Timeout of most functions: short, because the `timeout` drill runs in real time (1-900 s allowed). */
export const DEFAULT_FUNCTION_TIMEOUT = Duration.seconds(5);
/** Memory of every function, in MB (128-10240 allowed). */
export const DEFAULT_FUNCTION_MEMORY_MB = 256;

/** Properties of an {@link OrderFunction}. */
export interface OrderFunctionProps {
  /** Folder under `lambda/` that holds `handler.ts`, e.g. `create-order`. Also the Powertools service name. */
  readonly handlerFolder: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** Log retention in days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /**
   * Maximum run time of one invocation (1-900 s).
   * @default 5 seconds
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB (128-10240).
   * @default 256
   */
  readonly memorySize?: number;
  /** Extra environment variables (settings); the app adds the Powertools and Node.js ones. */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Retries after a failed asynchronous invocation (0-2). Setting this creates the function's EventInvokeConfig.
   * @default - no EventInvokeConfig (Lambda's default: 2)
   * @see docs/aws-semantics.md §B.2
   */
  readonly retryAttempts?: number;
  /**
   * Maximum age of an asynchronous event (60 s - 6 h).
   * @default - no EventInvokeConfig (Lambda's default: 6 hours)
   */
  readonly maxEventAge?: Duration;
  /** Destination for successful asynchronous invocations. @default - none */
  readonly onSuccess?: IDestination;
  /** Destination for asynchronous invocations that exhausted their retries or age. @default - none */
  readonly onFailure?: IDestination;
  /**
   * Dead-letter queue for asynchronous events that exhausted their retries or age (the event only, as-is).
   * @default - none
   * @see docs/aws-semantics.md §B.3
   */
  readonly deadLetterQueue?: IQueue;
}

/**
 * A NodejsFunction on nodejs24.x and arm64, bundled with the project's esbuild, with:
 * - timeout {@link DEFAULT_FUNCTION_TIMEOUT} and {@link DEFAULT_FUNCTION_MEMORY_MB} MB unless given;
 * - its own log group with the given retention, deleted by `cdk destroy` (the CDK-managed default would be
 *   retained for 731 days);
 * - JSON log format, `POWERTOOLS_SERVICE_NAME` = the folder, `NODE_OPTIONS=--enable-source-maps`.
 */
export class OrderFunction extends Construct {
  /** The Lambda function. */
  public readonly function: NodejsFunction;
  /** The function's log group. */
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: OrderFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      code: bundledHandler(props.handlerFolder),
      handler: BUNDLE_HANDLER,
      // Pinned, never NODEJS_LATEST: a variable runtime makes NodejsFunction bundle the whole SDK
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? DEFAULT_FUNCTION_TIMEOUT,
      memorySize: props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.handlerFolder,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onSuccess: props.onSuccess,
      onFailure: props.onFailure,
      deadLetterQueue: props.deadLetterQueue,
    });
  }
}
