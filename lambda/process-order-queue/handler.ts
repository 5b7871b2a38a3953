/**
 * SQS queue (standard or FIFO) → event source mapping → this function (synchronous per batch).
 *
 * A failed message is reported through the partial batch response; it returns to the queue after the visibility
 * timeout and moves to the DLQ after `maxReceiveCount` receives, while the other messages are deleted. On a FIFO
 * queue a failure also holds back the rest of its message group (other groups go on).
 *
 * @see docs/aws-semantics.md §D.2-§D.5
 */
import {
  BatchProcessor,
  EventType,
  SqsFifoPartialProcessorAsync,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { recordItem } from '../shared/batch-item';
import { createOrderRuntime, type OrderRuntime } from '../shared/runtime';
import { isFifoQueueArn, readMessage } from './core';

/** Builds the handler over its dependencies (AWS in Lambda, fakes in tests). */
export function createHandler(runtime: OrderRuntime) {
  const standardProcessor = new BatchProcessor(EventType.SQS);
  const fifoProcessor = new SqsFifoPartialProcessorAsync();
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    runtime.logger.addContext(context);
    runtime.recorder.registerContext(context);
    const limits = { maxQuantity: await runtime.maxQuantity() };
    const deps = { ...runtime, ports: runtime.portsFor(context) };
    const fifo = isFifoQueueArn(event.Records[0]?.eventSourceARN);
    const recordHandler = (record: SQSRecord) =>
      recordItem(readMessage(record.body, record.messageId, limits), fifo ? 'fifo-queue' : 'queue', deps);
    return fifo
      ? // Stops a group at its first failure and reports the group's remaining messages too (docs/aws-semantics.md §D.4)
        processPartialResponse(event, recordHandler, fifoProcessor, { context, skipGroupOnError: true })
      : processPartialResponse(event, recordHandler, standardProcessor, { context, processInParallel: false });
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler(createOrderRuntime(process.env));
