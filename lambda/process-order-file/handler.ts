/**
 * S3 `ObjectCreated` under `orders/` → this function (asynchronous invocation).
 *
 * Reads the object, records every order in it, and throws if any failed, so Lambda retries the event (2 retries
 * by default) and finally sends it to the on-failure destination. A success goes to the on-success destination.
 *
 * @see docs/aws-semantics.md §B.2, §B.4, §B.5
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, S3Event } from 'aws-lambda';
import { EventFailedError, recordEach, summarize, type EventSummary } from '../shared/outcomes';
import { createOrderRuntime, type OrderRuntime } from '../shared/runtime';
import { decodeObjectKey, fileId, readOrdersFromFile } from './core';

/** Reads an object's body as text. */
export type ObjectReader = (bucket: string, key: string) => Promise<string>;

/** Builds the handler over its dependencies (AWS in Lambda, fakes in tests). */
export function createHandler(runtime: OrderRuntime, readObject: ObjectReader) {
  return async (event: S3Event, context: Context): Promise<EventSummary> => {
    runtime.logger.addContext(context);
    runtime.recorder.registerContext(context);
    const limits = { maxQuantity: await runtime.maxQuantity() };
    const ports = runtime.portsFor(context);
    const outcomes = [];
    for (const record of event.Records) {
      const bucket = record.s3.bucket.name;
      const key = decodeObjectKey(record.s3.object.key);
      const text = await readObject(bucket, key);
      const validations = readOrdersFromFile(
        text,
        fileId(key, record.s3.object.sequencer, record.s3.object.eTag),
        limits,
      );
      outcomes.push(...(await recordEach(validations, (v) => runtime.recorder.record(v.order, 'file', ports))));
    }
    const summary = summarize(outcomes);
    if (summary.failures.length > 0) {
      runtime.logger.error('file failed', { failures: summary.failures });
      throw new EventFailedError(
        event.Records.map((r) => `s3://${r.s3.bucket.name}/${r.s3.object.key}`).join(', '),
        summary,
      );
    }
    runtime.logger.info('file recorded', { recorded: summary.recorded });
    return summary;
  };
}

/** Reads objects with an S3 client built once per execution environment. */
export function s3ObjectReader(client: S3Client): ObjectReader {
  return async (bucket, key) => {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body ? object.Body.transformToString('utf8') : '';
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler(createOrderRuntime(process.env), s3ObjectReader(new S3Client({})));
