/**
 * Pattern 3, stream polling: Lambda polls a Kinesis stream and a DynamoDB stream shard by shard and invokes the
 * function synchronously per batch.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { StreamViewType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { Stream, StreamEncryption } from 'aws-cdk-lib/aws-kinesis';
import type { Construct } from 'constructs';
import { consoleLink } from '../constructs/console-links';
import { newTable } from '../constructs/order-store';
import { output, outputQueue, outputTable } from '../constructs/stack-outputs';
import { StreamConsumer, type StreamConsumerOptions } from '../constructs/stream-consumer';
import { PatternStack, type PatternStackProps } from './pattern-stack';

/** Batch settings of both stream mappings (the retry limit and record age come from the config). */
export const STREAM_BATCH = { batchSize: 10, maxBatchingWindow: Duration.seconds(1) } as const;

/**
 * A one-shard Kinesis stream and an intake table with a NEW_AND_OLD_IMAGES stream, each consumed by a function
 * with partial batch responses, bisect on error, a retry limit, a record age limit and an on-failure queue.
 *
 * Outputs: `StreamName`, `StreamArn`, `StreamConsoleLink`, `StreamFunction*`, `StreamLog*`, `StreamFailureQueue*`,
 * `IntakeTableName`, `IntakeTableArn`, `IntakeTableStreamArn`, `IntakeTableConsoleLink`, `ChangesFunction*`,
 * `ChangesLog*`, `ChangesFailureQueue*`, plus the store's outputs.
 *
 * @see docs/aws-semantics.md §C
 */
export class StreamPollingStack extends PatternStack {
  /** The Kinesis stream. */
  public readonly stream: Stream;
  /** The table whose changes are consumed (write orders here; the key attribute is `orderId`). */
  public readonly intakeTable: Table;
  /** Kinesis consumer. */
  public readonly streamConsumer: StreamConsumer;
  /** DynamoDB Streams consumer. */
  public readonly changeConsumer: StreamConsumer;

  constructor(scope: Construct, id: string, props: PatternStackProps) {
    super(scope, id, props);
    const { settings } = props.config;
    const mapping: StreamConsumerOptions = {
      ...STREAM_BATCH,
      retryAttempts: settings.streamRetryAttempts,
      maxRecordAge: Duration.seconds(settings.streamMaxRecordAgeSeconds),
    };

    // One provisioned shard: the cheapest stream, and one shard shows per-shard ordering plainly
    this.stream = new Stream(this, 'Stream', {
      shardCount: 1,
      retentionPeriod: Duration.hours(24),
      encryption: StreamEncryption.MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.streamConsumer = new StreamConsumer(this, 'StreamConsumer', {
      function: this.functionProps('process-order-stream', 'Records the orders of Kinesis records'),
      source: { kind: 'kinesis', stream: this.stream },
      ...mapping,
    });
    this.addFunction('Stream', this.streamConsumer.handler, 'record', 'the Kinesis consumer');
    output(this, 'StreamName', this.stream.streamName, 'Put order records (JSON data) on this Kinesis stream');
    output(this, 'StreamArn', this.stream.streamArn, 'ARN of the Kinesis stream');
    output(this, 'StreamConsoleLink', consoleLink.kinesisStream(this.stream.streamName), 'Console: the stream');
    outputQueue(
      this,
      'StreamFailureQueue',
      this.streamConsumer.failureQueue,
      "the Kinesis mapping's on-failure destination",
    );

    this.intakeTable = newTable(this, 'Intake', { partitionKey: 'orderId', stream: StreamViewType.NEW_AND_OLD_IMAGES });
    this.changeConsumer = new StreamConsumer(this, 'ChangeConsumer', {
      function: this.functionProps('process-order-changes', 'Records the orders written to the intake table'),
      source: { kind: 'dynamodb', table: this.intakeTable },
      ...mapping,
    });
    this.addFunction('Changes', this.changeConsumer.handler, 'record', 'the DynamoDB Streams consumer');
    outputTable(this, 'IntakeTable', this.intakeTable, 'the intake table (create items here)');
    output(this, 'IntakeTableStreamArn', this.intakeTable.tableStreamArn ?? '', 'ARN of the intake table stream');
    outputQueue(
      this,
      'ChangesFailureQueue',
      this.changeConsumer.failureQueue,
      "the DynamoDB Streams mapping's on-failure destination",
    );

    this.addTestEvents(this.streamConsumer.handler, 'kinesis', { label: 'stream', streamArn: this.stream.streamArn });
    this.addTestEvents(this.changeConsumer.handler, 'dynamodb', {
      label: 'changes',
      streamArn: this.intakeTable.tableStreamArn,
    });
    this.dashboard.addStreamMapping('Stream', this.streamConsumer.handler.function, this.stream);
    this.dashboard.addQueue('StreamFailureQueue', this.streamConsumer.failureQueue, { failurePath: true });
    this.dashboard.addStreamMapping('Changes', this.changeConsumer.handler.function);
    this.dashboard.addQueue('ChangesFailureQueue', this.changeConsumer.failureQueue, { failurePath: true });

    const failureQueueReason =
      'Event source mapping on-failure destination: it is itself the end of the failure path and holds only batch coordinates (shard and sequence numbers).';
    for (const consumer of [this.streamConsumer, this.changeConsumer]) {
      Validations.of(consumer.failureQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: failureQueueReason });
    }
    Validations.of(this.changeConsumer.handler).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams does not support resource-level permissions; the CDK DynamoEventSource adds it with "*" and the other stream actions are scoped to the table stream ARN.',
    });
  }
}
