/**
 * S3 → Lambda, asynchronous: a bucket whose `ObjectCreated` events under a prefix invoke a function, with an
 * explicit retry policy, an on-failure destination and an on-success destination.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OrderFunction, type OrderFunctionProps } from './order-function';
import { FAILURE_QUEUE_DEFAULTS, QUEUE_DEFAULTS } from './queue-defaults';

/** The function settings a {@link FileDrop} leaves to its caller; it owns the asynchronous failure path. */
export type AsyncFunctionProps = Omit<
  OrderFunctionProps,
  'retryAttempts' | 'maxEventAge' | 'onSuccess' | 'onFailure' | 'deadLetterQueue'
>;

/** Properties of a {@link FileDrop}. */
export interface FileDropProps {
  /** The processing function. */
  readonly function: AsyncFunctionProps;
  /** Key prefix whose new objects invoke the function; must end with `/`. */
  readonly prefix: string;
  /**
   * Retries after a failed invocation, 0-2.
   * @see docs/aws-semantics.md §B.2
   */
  readonly retryAttempts: number;
  /** Maximum event age, 60 s - 6 h. */
  readonly maxEventAge: Duration;
}

/**
 * A private bucket (SSE-S3, TLS only, public access blocked, emptied and deleted by `cdk destroy`) that invokes
 * a function for each new object under {@link FileDropProps.prefix}. The function may only read that prefix.
 * Invocation records go to `FailureQueue` (retries exhausted or event too old) and `SuccessQueue`.
 */
export class FileDrop extends Construct {
  /** The upload bucket. */
  public readonly bucket: Bucket;
  /** The processing function. */
  public readonly handler: OrderFunction;
  /** On-failure destination: invocation records with the original event and the error. */
  public readonly failureQueue: Queue;
  /** On-success destination: invocation records with the function's result. */
  public readonly successQueue: Queue;

  constructor(scope: Construct, id: string, props: FileDropProps) {
    super(scope, id);
    if (!props.prefix.endsWith('/')) throw new Error(`prefix must end with "/" (given "${props.prefix}")`);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    this.failureQueue = new Queue(this, 'FailureQueue', FAILURE_QUEUE_DEFAULTS);
    this.successQueue = new Queue(this, 'SuccessQueue', { ...QUEUE_DEFAULTS, retentionPeriod: Duration.days(1) });
    this.handler = new OrderFunction(this, 'Handler', {
      ...props.function,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onFailure: new SqsDestination(this.failureQueue),
      onSuccess: new SqsDestination(this.successQueue),
    });
    this.handler.function.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${props.prefix}*`)] }),
    );
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.handler.function), {
      prefix: props.prefix,
    });
  }
}
