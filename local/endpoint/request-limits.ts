import { AwsError, jsonError, type JsonErrorStyle } from './protocols/json';
import { queryError, toXml } from './protocols/query';
import { requestId } from './protocols/errors';
import type { ServiceResponse } from './types';

/** What the endpoint knows of a request before it reads the body. */
export interface RequestHead {
  readonly method: string;
  readonly path: string;
  /** Signing name (refined by `X-Amz-Target`), or '' for unsigned requests. */
  readonly service: string;
}

/** The endpoint's guard rails for one service: the largest body it reads and how long it may take. */
export interface RequestLimits {
  /**
   * Bodies above this many bytes are refused before they are read (by `Content-Length`, or as soon
   * as a chunked body passes it): no legal request of the service is larger.
   */
  readonly maxBodyBytes: number;
  /** The service's own error for a body above {@link maxBodyBytes}, in its wire form. */
  tooLarge(head: RequestHead, bytes: number): ServiceResponse;
  /**
   * A service that never waits on purpose must answer within this many real milliseconds; past it the
   * endpoint answers the service's `InternalFailure` (a bug, but never a silent socket). Unset for
   * services that wait by design (Lambda's Invoke runs the function).
   */
  readonly answerWithinMs?: number;
  /** The service's error for a request it did not answer in time, in its wire form. */
  internal(head: RequestHead, message: string): ServiceResponse;
}

const MiB = 1024 * 1024;

/** A wire form: how one protocol writes an error. */
type ErrorWriter = (code: string, message: string, status: number) => ServiceResponse;

const awsJson =
  (style: JsonErrorStyle): ErrorWriter =>
  (code, message, status) =>
    jsonError(style, new AwsError(code, message, { status }));

const awsQuery =
  (xmlns: string): ErrorWriter =>
  (code, message, status) =>
    queryError(xmlns, new AwsError(code, message, { status }));

/** S3's REST-XML error document. @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html */
const restXml: ErrorWriter = (code, message, status) => {
  const id = requestId();
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${toXml({ Code: code, Message: message, RequestId: id })}</Error>`,
  };
};

/** Lambda's REST-JSON error: the code in `x-amzn-ErrorType`, `{Type, message}` in the body. */
const restJson: ErrorWriter = (code, message, status) => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId() },
  body: JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message }),
});

/** The engine's own routes and unsigned requests: `{__type, message}` JSON. */
const plainJson: ErrorWriter = (code, message, status) => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
  body: JSON.stringify({ __type: code, message }),
});

function limits(
  maxBodyBytes: number,
  write: ErrorWriter,
  opts: { tooLargeCode?: string; answerWithinMs?: number } = {},
): RequestLimits {
  return {
    maxBodyBytes,
    answerWithinMs: opts.answerWithinMs,
    tooLarge: (head, bytes) =>
      write(
        opts.tooLargeCode ?? 'RequestEntityTooLarge',
        `The request body (${bytes} bytes or more) is larger than the ${maxBodyBytes} bytes ${head.service || 'the endpoint'} accepts.`,
        413,
      ),
    internal: (_head, message) => write('InternalFailure', message, 500),
  };
}

/** Plain reads and writes answer in milliseconds; ten real seconds is a hang, not load. */
const QUICK = 10_000;

/**
 * Per-service limits. Each ceiling is the documented maximum request of the service, raised by the
 * worst case of its encoding (JSON string escapes, base64, form encoding), so a legal request never
 * reaches it.
 */
const BY_SERVICE: Readonly<Record<string, RequestLimits>> = {
  /**
   * Sync Invoke payloads are at most 6 MB; the wire answer is `RequestEntityTooLargeException`.
   * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
   */
  lambda: {
    ...limits(6_291_456, restJson),
    tooLarge: () =>
      restJson(
        'RequestEntityTooLargeException',
        'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
        413,
      ),
  },
  /**
   * Messages and batches are at most 1 MiB; a JSON string escape takes up to 6 bytes per byte.
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
   */
  sqs: limits(8 * MiB, awsJson({ version: '1.0', namespace: 'com.amazonaws.sqs', queryCompatible: true }), {
    answerWithinMs: 30_000, // ReceiveMessage long polls up to 20 s
  }),
  /**
   * Messages (with attributes) are at most 256 KiB; form encoding takes up to 3 bytes per byte.
   * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
   */
  sns: limits(1 * MiB, awsQuery('http://sns.amazonaws.com/doc/2010-03-31/'), { answerWithinMs: QUICK }),
  /**
   * A PutRecords request carries at most 10 MiB of data (5 MiB before), base64 in JSON.
   * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
   */
  kinesis: limits(16 * MiB, awsJson({ version: '1.1' }), { answerWithinMs: QUICK }),
  /**
   * BatchWriteItem's total request size is at most 16 MB, before JSON escapes.
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
   */
  dynamodb: limits(32 * MiB, awsJson({ version: '1.0', namespace: 'com.amazonaws.dynamodb.v20120810' }), {
    answerWithinMs: QUICK,
  }),
  dynamodbstreams: limits(1 * MiB, awsJson({ version: '1.0', namespace: 'com.amazonaws.dynamodb.v20120810' }), {
    answerWithinMs: QUICK,
  }),
  /**
   * Parameter values are at most 8 KB (advanced tier); every SSM request is small.
   * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
   */
  ssm: limits(1 * MiB, awsJson({ version: '1.1' }), { answerWithinMs: QUICK }),
  cloudformation: limits(1 * MiB, awsQuery('http://cloudformation.amazonaws.com/doc/2010-05-15/'), {
    answerWithinMs: QUICK,
  }),
  /**
   * A single PUT uploads at most 5 GiB; S3 answers `EntityTooLarge`.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html
   */
  s3: limits(5 * 1024 * MiB, restXml, { tooLargeCode: 'EntityTooLarge' }),
};

/** Unsigned requests and services the endpoint does not serve. */
const FALLBACK = limits(1 * MiB, plainJson, { answerWithinMs: QUICK });

/** The limits of the service a request is for. */
export function limitsFor(service: string): RequestLimits {
  return Object.prototype.hasOwnProperty.call(BY_SERVICE, service) ? BY_SERVICE[service]! : FALLBACK;
}

/** Limits for a route of the engine's own (`/_lab/…`): small JSON bodies, quick answers. */
export const LAB_ROUTE_LIMITS: RequestLimits = FALLBACK;
