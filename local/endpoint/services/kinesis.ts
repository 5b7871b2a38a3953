import kinesalite from 'kinesalite';
import { dispatchToNodeServer, type RequestEmitter } from '../node-adapter';
import { json } from '../server';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse } from '../types';
import { withProcessEnv } from './engine-env';
import { nullListMember, nullMemberMessage } from './null-members';

/** Options of {@link kinesisService}. */
export interface KinesisServiceOptions {
  /**
   * Most shards one stream (and the account) may have; kinesalite's own default is 10.
   * @default 500
   */
  readonly shardLimit?: number;
}

/** The local Kinesis Data Streams service: kinesalite, run in-process behind the shared port. */
export interface KinesisService extends LocalService {
  readonly name: 'kinesis';
}

/** Operations kinesalite 3.3.3 implements; anything else gets a clear UnknownOperationException. */
const OPERATIONS = new Set([
  'AddTagsToStream',
  'CreateStream',
  'DecreaseStreamRetentionPeriod',
  'DeleteStream',
  'DescribeStream',
  'DescribeStreamSummary',
  'GetRecords',
  'GetShardIterator',
  'IncreaseStreamRetentionPeriod',
  'ListShards',
  'ListStreams',
  'ListTagsForStream',
  'MergeShards',
  'PutRecord',
  'PutRecords',
  'RemoveTagsFromStream',
  'SplitShard',
]);

const TARGET_PREFIX = 'Kinesis_20131202.';

/**
 * Kinesis Data Streams on the shared endpoint, served by kinesalite without a port of its own.
 * Streams become ACTIVE at once; ARNs carry the endpoint's region and account. Requests that
 * name the stream by `StreamARN` only (as current SDKs allow) are rewritten to `StreamName`,
 * which kinesalite needs.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/Welcome.html
 */
export function kinesisService(options: KinesisServiceOptions = {}): (ctx: EndpointContext) => KinesisService {
  return (ctx) => {
    const engine: RequestEmitter & { close(cb: (err?: Error) => void): void } = withProcessEnv(
      { AWS_REGION: ctx.region, AWS_DEFAULT_REGION: ctx.region, AWS_ACCOUNT_ID: ctx.accountId },
      () =>
        kinesalite({
          createStreamMs: 0,
          deleteStreamMs: 0,
          updateStreamMs: 0,
          shardLimit: options.shardLimit ?? 500,
        }),
    );
    let state = 'running';

    const handle = async (req: ServiceRequest): Promise<ServiceResponse> => {
      const target = req.headers['x-amz-target'] ?? '';
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      if (!OPERATIONS.has(operation)) {
        const message = operation
          ? `The local Kinesis service does not implement the operation '${operation}'.`
          : `The local Kinesis service needs an X-Amz-Target of the form ${TARGET_PREFIX}<Operation> (given '${target}').`;
        return json(
          400,
          { __type: 'UnknownOperationException', message },
          { 'x-amzn-errortype': 'UnknownOperationException' },
        );
      }
      // Only a body holding the word null can hold a null member: most bodies skip the parse.
      const nullMember = req.body.includes('null') ? nullListMember(parseJson(req.body)) : undefined;
      if (nullMember)
        return json(
          400,
          { __type: 'ValidationException', message: nullMemberMessage(nullMember) },
          { 'x-amzn-errortype': 'ValidationException', 'content-type': 'application/x-amz-json-1.1' },
        );
      return dispatchToNodeServer(
        engine,
        {
          method: req.method,
          url: req.rawQuery ? `${req.path}?${req.rawQuery}` : req.path,
          headers: req.headers,
          body: streamArnToName(req.body),
        },
        {
          onFailure: (err) =>
            json(
              500,
              {
                __type: 'InternalFailureException',
                message: `Internal error in the local Kinesis service: ${err.message}`,
              },
              { 'x-amzn-errortype': 'InternalFailureException', 'content-type': 'application/x-amz-json-1.1' },
            ),
        },
      );
    };

    return {
      name: 'kinesis',
      handle,
      health: () => state,
      close: () =>
        new Promise<void>((resolve) => {
          state = 'stopped';
          engine.close(() => resolve());
        }),
    };
  };
}

/** The JSON body, or undefined when it is not JSON (kinesalite answers that itself). */
function parseJson(body: Buffer): unknown {
  try {
    return body.length ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** `arn:aws:kinesis:<region>:<account>:stream/<name>` → `<name>`, for bodies that only carry the ARN. */
function streamArnToName(body: Buffer): Buffer {
  // No size cap: PutRecords by ARN may carry up to 5 MiB of records.
  if (body.length === 0 || !body.includes('"StreamARN"')) return body;
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (typeof data !== 'object' || data === null) return body;
  const record = data as Record<string, unknown>;
  const arn = record.StreamARN;
  if (typeof arn !== 'string' || typeof record.StreamName === 'string') return body;
  const name = /:stream\/([^/]+)$/.exec(arn)?.[1];
  if (!name) return body;
  return Buffer.from(JSON.stringify({ ...record, StreamName: name }));
}
