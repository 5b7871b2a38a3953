/**
 * The record a stream event source mapping sends to its on-failure destination when it gives up on
 * a batch. Pure: every varying value (request id, time) is an argument.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */

/**
 * Why the mapping gave up. `RetryAttemptsExhausted` is documented; the name AWS uses when records
 * pass `MaximumRecordAgeInSeconds` is not (docs/aws-semantics.md §C.5), so it is configurable.
 */
export type FailureCondition = 'RetryAttemptsExhausted' | 'MaximumRecordAgeExceeded' | (string & {});

/** The facts of the batch given up on. */
export interface FailedBatch {
  readonly source: 'kinesis' | 'dynamodb';
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: FailureCondition;
  /** Invocations of the batch (1 + retries). */
  readonly approximateInvokeCount: number;
  /** When the record was sent (epoch ms). */
  readonly timestampMs: number;
  readonly shardId: string;
  readonly streamArn: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  /** Approximate arrival of the first and last record (epoch ms). */
  readonly firstArrivalMs: number;
  readonly lastArrivalMs: number;
  readonly batchSize: number;
}

/** The on-failure record, as Lambda sends it to an SQS queue or SNS topic. */
export interface StreamFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: string;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError: string;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly KinesisBatchInfo?: StreamBatchInfo;
  readonly DDBStreamBatchInfo?: StreamBatchInfo;
}

/** `KinesisBatchInfo` / `DDBStreamBatchInfo`. */
export interface StreamBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly approximateArrivalOfLastRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

/**
 * Builds the on-failure record: `requestContext`, `responseContext` (status 200, `$LATEST`,
 * `Unhandled`), `version` 1.0, `timestamp`, and the batch info under `KinesisBatchInfo` (arrival
 * times with milliseconds) or `DDBStreamBatchInfo` (arrival times without milliseconds). The records
 * themselves are not included ("you must process this record and retrieve them from the stream").
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
export function buildStreamFailureRecord(batch: FailedBatch): StreamFailureRecord {
  const time = batch.source === 'kinesis' ? isoWithMillis : isoWithoutMillis;
  const info: StreamBatchInfo = {
    shardId: batch.shardId,
    startSequenceNumber: batch.startSequenceNumber,
    endSequenceNumber: batch.endSequenceNumber,
    approximateArrivalOfFirstRecord: time(batch.firstArrivalMs),
    approximateArrivalOfLastRecord: time(batch.lastArrivalMs),
    batchSize: batch.batchSize,
    streamArn: batch.streamArn,
  };
  return {
    requestContext: {
      requestId: batch.requestId,
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.approximateInvokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: isoWithMillis(batch.timestampMs),
    ...(batch.source === 'kinesis' ? { KinesisBatchInfo: info } : { DDBStreamBatchInfo: info }),
  };
}

function isoWithMillis(ms: number): string {
  return new Date(ms).toISOString();
}

function isoWithoutMillis(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
