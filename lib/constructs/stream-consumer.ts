/**
 * Kinesis or DynamoDB Streams → event source mapping → Lambda, with every failure control the pattern teaches.
 */
import { type Duration, Token } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OrderFunction, type OrderFunctionProps } from './order-function';
import { FAILURE_QUEUE_DEFAULTS } from './queue-defaults';

/**
 * Mapping settings shared by the Kinesis and the DynamoDB consumer, so the two cannot drift.
 *
 * Always set by this construct: `startingPosition: TRIM_HORIZON`, `bisectBatchOnError: true`,
 * `reportBatchItemFailures: true`, and an SQS on-failure destination.
 *
 * @see docs/aws-semantics.md §C.1
 */
export interface StreamConsumerOptions {
  /** Records per batch, 1-10000 (above 10 needs a batching window of at least 1 s). */
  readonly batchSize: number;
  /** How long to gather records before invoking, 0-300 s. */
  readonly maxBatchingWindow: Duration;
  /** Retries of a failed batch, 0-10000; finite so a poison record cannot block the shard for a day. */
  readonly retryAttempts: number;
  /** Records older than this are skipped to the on-failure destination, 60 s - 7 days. */
  readonly maxRecordAge: Duration;
}

/** The stream a {@link StreamConsumer} reads. */
export type StreamSource =
  { readonly kind: 'kinesis'; readonly stream: IStream } | { readonly kind: 'dynamodb'; readonly table: ITable };

/** Properties of a {@link StreamConsumer}. */
export interface StreamConsumerProps extends StreamConsumerOptions {
  /** The consuming function. */
  readonly function: OrderFunctionProps;
  /** The stream to read. */
  readonly source: StreamSource;
}

/**
 * A function reading a stream through an event source mapping from `TRIM_HORIZON`, in batches, with partial
 * batch responses, bisect on error, a retry limit, a record age limit and an on-failure queue
 * (`FailureQueue`, which receives the failed batch's shard and sequence numbers, not the records).
 *
 * @throws Error when a setting is out of range (tokens are not checked)
 */
export class StreamConsumer extends Construct {
  /** The consuming function. */
  public readonly handler: OrderFunction;
  /** On-failure destination of the mapping. */
  public readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    validateStreamOptions(props);
    this.failureQueue = new Queue(this, 'FailureQueue', FAILURE_QUEUE_DEFAULTS);
    this.handler = new OrderFunction(this, 'Handler', props.function);
    const options = {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      bisectBatchOnError: true,
      retryAttempts: props.retryAttempts,
      maxRecordAge: props.maxRecordAge,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.failureQueue),
    };
    this.handler.function.addEventSource(
      props.source.kind === 'kinesis'
        ? new KinesisEventSource(props.source.stream, options)
        : new DynamoEventSource(props.source.table, options),
    );
  }
}

/** Rejects out-of-range settings with the given value. */
export function validateStreamOptions(options: StreamConsumerOptions): void {
  const { batchSize, retryAttempts } = options;
  const windowSeconds = options.maxBatchingWindow.toSeconds();
  const ageSeconds = options.maxRecordAge.toSeconds();
  if (!Token.isUnresolved(batchSize) && (batchSize < 1 || batchSize > 10000)) {
    throw new Error(`batchSize must be 1-10000 (given ${batchSize})`);
  }
  if (windowSeconds > 300) throw new Error(`maxBatchingWindow must be 0-300 seconds (given ${windowSeconds})`);
  if (!Token.isUnresolved(batchSize) && batchSize > 10 && windowSeconds < 1) {
    throw new Error(`batchSize above 10 needs maxBatchingWindow of at least 1 second (given ${windowSeconds})`);
  }
  if (!Token.isUnresolved(retryAttempts) && (retryAttempts < 0 || retryAttempts > 10000)) {
    throw new Error(`retryAttempts must be 0-10000 (given ${retryAttempts})`);
  }
  if (ageSeconds < 60 || ageSeconds > 604800) {
    throw new Error(`maxRecordAge must be 60-604800 seconds (given ${ageSeconds})`);
  }
}
