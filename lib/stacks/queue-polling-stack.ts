/**
 * Pattern 4, queue polling: Lambda polls SQS queues and invokes the function synchronously per batch; SQS
 * redelivers failed messages after the visibility timeout and moves them to a DLQ after 3 receives.
 */
import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { QueueConsumer } from '../constructs/queue-consumer';
import { outputQueue } from '../constructs/stack-outputs';
import { PatternStack, type PatternStackProps } from './pattern-stack';

/** Receives before a message moves to its DLQ. */
export const MAX_RECEIVE_COUNT = 3;
/** Messages per batch (both queues). */
export const QUEUE_BATCH_SIZE = 10;
/** Batching window of the standard queue (FIFO mappings do not support one). */
export const QUEUE_BATCHING_WINDOW = Duration.seconds(2);

/**
 * A standard queue and a FIFO queue, each with its own DLQ and a consuming function with partial batch
 * responses and maximum concurrency.
 *
 * Outputs: `QueueUrl`, `QueueArn`, `QueueName`, `QueueConsoleLink`, `DeadLetterQueue*`, `QueueFunction*`,
 * `QueueLog*`, `FifoQueueUrl`, `FifoQueueArn`, `FifoQueueName`, `FifoQueueConsoleLink`, `FifoDeadLetterQueue*`,
 * `FifoFunction*`, `FifoLog*`, plus the store's outputs.
 *
 * @see docs/aws-semantics.md §D
 */
export class QueuePollingStack extends PatternStack {
  /** Standard queue consumer. */
  public readonly standard: QueueConsumer;
  /** FIFO queue consumer. */
  public readonly fifo: QueueConsumer;

  constructor(scope: Construct, id: string, props: PatternStackProps) {
    super(scope, id, props);
    const { settings } = props.config;
    this.standard = new QueueConsumer(this, 'Standard', {
      function: this.functionProps('process-order-queue', 'Records the orders of SQS messages'),
      batchSize: QUEUE_BATCH_SIZE,
      maxBatchingWindow: QUEUE_BATCHING_WINDOW,
      maxConcurrency: settings.queueMaxConcurrency,
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    this.addFunction('Queue', this.standard.handler, 'record', 'the standard queue consumer');
    outputQueue(this, 'Queue', this.standard.queue, 'the standard queue (send orders here)');
    outputQueue(this, 'DeadLetterQueue', this.standard.deadLetterQueue, "the standard queue's DLQ");

    this.fifo = new QueueConsumer(this, 'Fifo', {
      function: this.functionProps('process-order-queue', 'Records the orders of FIFO SQS messages, in group order'),
      fifo: true,
      batchSize: QUEUE_BATCH_SIZE,
      maxConcurrency: settings.queueMaxConcurrency,
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    this.addFunction('Fifo', this.fifo.handler, 'record', 'the FIFO queue consumer');
    outputQueue(this, 'FifoQueue', this.fifo.queue, 'the FIFO queue (send orders with a message group id here)');
    outputQueue(this, 'FifoDeadLetterQueue', this.fifo.deadLetterQueue, "the FIFO queue's DLQ");

    this.addTestEvents(this.standard.handler, 'sqs', { label: 'queue', queueArn: this.standard.queue.queueArn });
    this.addTestEvents(this.fifo.handler, 'sqs-fifo', { label: 'fifo', queueArn: this.fifo.queue.queueArn });
    this.dashboard.addQueue('Queue', this.standard.queue, { failurePath: false });
    this.dashboard.addQueue('DeadLetterQueue', this.standard.deadLetterQueue, { failurePath: true });
    this.dashboard.addQueue('FifoQueue', this.fifo.queue, { failurePath: false });
    this.dashboard.addQueue('FifoDeadLetterQueue', this.fifo.deadLetterQueue, { failurePath: true });
  }
}
