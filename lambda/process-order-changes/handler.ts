/**
 * DynamoDB table stream (NEW_AND_OLD_IMAGES) → event source mapping → this function (synchronous per batch).
 *
 * Same failure handling as the Kinesis consumer: partial batch response, bisect, retry limit, record age and an
 * on-failure queue.
 *
 * @see docs/aws-semantics.md §C.1-§C.6
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { recordItem } from '../shared/batch-item';
import { createOrderRuntime, type OrderRuntime } from '../shared/runtime';
import { planChange } from './core';

/** Builds the handler over its dependencies (AWS in Lambda, fakes in tests). */
export function createHandler(runtime: OrderRuntime) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    runtime.logger.addContext(context);
    runtime.recorder.registerContext(context);
    const limits = { maxQuantity: await runtime.maxQuantity() };
    const deps = { ...runtime, ports: runtime.portsFor(context) };
    const recordHandler = async (record: DynamoDBRecord) => {
      const image = record.dynamodb?.NewImage;
      const plan = planChange(
        {
          eventName: record.eventName,
          // The stream's attribute values have the SDK's shape; the two type packages just don't share a type
          newImage: image ? unmarshall(image as Record<string, AttributeValue>) : undefined,
          sequenceNumber: record.dynamodb?.SequenceNumber ?? 'unknown',
        },
        limits,
      );
      if (plan.kind === 'skip') {
        runtime.logger.info('change skipped', { reason: plan.reason });
        return plan.reason;
      }
      return recordItem(plan.validation, 'table-stream', deps);
    };
    // In order: a shard's records must not overtake each other (docs/aws-semantics.md §C.2)
    return processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler(createOrderRuntime(process.env));
