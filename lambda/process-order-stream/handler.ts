/**
 * Kinesis stream → event source mapping → this function (synchronous per batch).
 *
 * Records are processed in order; a failed record is reported through the partial batch response, so Lambda
 * retries from it (bisecting on errors) up to the retry limit, then writes the batch's coordinates to the
 * on-failure queue and moves on.
 *
 * @see docs/aws-semantics.md §C.1-§C.5
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { recordItem } from '../shared/batch-item';
import { createOrderRuntime, type OrderRuntime } from '../shared/runtime';
import { readStreamRecord } from './core';

/** Builds the handler over its dependencies (AWS in Lambda, fakes in tests). */
export function createHandler(runtime: OrderRuntime) {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  return async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
    runtime.logger.addContext(context);
    runtime.recorder.registerContext(context);
    const limits = { maxQuantity: await runtime.maxQuantity() };
    const deps = { ...runtime, ports: runtime.portsFor(context) };
    const recordHandler = (record: KinesisStreamRecord) =>
      recordItem(readStreamRecord(record.kinesis.data, record.kinesis.sequenceNumber, limits), 'stream', deps);
    // In order: a shard's records must not overtake each other (docs/aws-semantics.md §C.2)
    return processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler(createOrderRuntime(process.env));
