/**
 * SQS → event source mapping → Lambda: a queue with its DLQ and a consuming function.
 */
import { Duration, Token } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_FUNCTION_TIMEOUT, OrderFunction, type OrderFunctionProps } from './order-function';
import { FAILURE_QUEUE_DEFAULTS, QUEUE_DEFAULTS } from './queue-defaults';

/** Properties of a {@link QueueConsumer}. */
export interface QueueConsumerProps {
  /** The consuming function. */
  readonly function: OrderFunctionProps;
  /**
   * A FIFO queue (with a FIFO DLQ and content-based deduplication): messages of one group are processed in
   * order, and a failure holds back the rest of its group.
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * Messages per batch: 1-10000 for a standard queue (above 10 needs a batching window), 1-10 for FIFO.
   * @see docs/aws-semantics.md §D.1
   */
  readonly batchSize: number;
  /**
   * How long to gather messages before invoking, 0-300 s. Not supported for FIFO queues.
   * @default - none
   */
  readonly maxBatchingWindow?: Duration;
  /** Upper bound on concurrent invocations by the mapping, 2-1000. */
  readonly maxConcurrency: number;
  /**
   * Receives before SQS moves a message to the DLQ, 1-1000.
   * @see docs/aws-semantics.md §D.3
   */
  readonly maxReceiveCount: number;
}

/**
 * A queue, its DLQ (redrive after {@link QueueConsumerProps.maxReceiveCount} receives) and a function reading it
 * with partial batch responses and a concurrency limit. The visibility timeout is derived, never guessed:
 * 6 × the function timeout + the batching window, as AWS recommends, so a message is not redelivered while a
 * retried batch still holds it.
 *
 * @see docs/aws-semantics.md §D.3
 * @throws Error when a setting is out of range (tokens are not checked)
 */
export class QueueConsumer extends Construct {
  /** The source queue. */
  public readonly queue: Queue;
  /** Where messages go after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: Queue;
  /** The consuming function. */
  public readonly handler: OrderFunction;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    validateQueueConsumerProps(props);
    const fifo = props.fifo ?? false;
    const timeout = props.function.timeout ?? DEFAULT_FUNCTION_TIMEOUT;
    const windowSeconds = props.maxBatchingWindow?.toSeconds() ?? 0;
    const fifoProps = fifo ? { fifo: true, contentBasedDeduplication: true } : {};
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', { ...FAILURE_QUEUE_DEFAULTS, ...fifoProps });
    this.queue = new Queue(this, 'Queue', {
      ...QUEUE_DEFAULTS,
      ...fifoProps,
      visibilityTimeout: Duration.seconds(6 * timeout.toSeconds() + windowSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
    this.handler = new OrderFunction(this, 'Handler', props.function);
    this.handler.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize,
        maxBatchingWindow: props.maxBatchingWindow,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}

/** Rejects out-of-range or conflicting settings with the given value. */
export function validateQueueConsumerProps(props: QueueConsumerProps): void {
  const fifo = props.fifo ?? false;
  const { batchSize, maxConcurrency, maxReceiveCount } = props;
  const windowSeconds = props.maxBatchingWindow?.toSeconds();
  const maxBatch = fifo ? 10 : 10000;
  if (!Token.isUnresolved(batchSize) && (batchSize < 1 || batchSize > maxBatch)) {
    throw new Error(`batchSize must be 1-${maxBatch} for a ${fifo ? 'FIFO' : 'standard'} queue (given ${batchSize})`);
  }
  if (fifo && windowSeconds !== undefined) {
    throw new Error(`maxBatchingWindow is not supported for FIFO queues (given ${windowSeconds} seconds)`);
  }
  if (windowSeconds !== undefined && windowSeconds > 300) {
    throw new Error(`maxBatchingWindow must be 0-300 seconds (given ${windowSeconds})`);
  }
  if (!Token.isUnresolved(batchSize) && batchSize > 10 && (windowSeconds ?? 0) < 1) {
    throw new Error(`batchSize above 10 needs maxBatchingWindow of at least 1 second (given ${windowSeconds ?? 0})`);
  }
  if (!Token.isUnresolved(maxConcurrency) && (maxConcurrency < 2 || maxConcurrency > 1000)) {
    throw new Error(`maxConcurrency must be 2-1000 (given ${maxConcurrency})`);
  }
  if (!Token.isUnresolved(maxReceiveCount) && (maxReceiveCount < 1 || maxReceiveCount > 1000)) {
    throw new Error(`maxReceiveCount must be 1-1000 (given ${maxReceiveCount})`);
  }
}
