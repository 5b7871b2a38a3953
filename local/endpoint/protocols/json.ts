import type { ServiceRequest, ServiceResponse } from '../types';
import { AwsError, requestId } from './errors';

export { AwsError, requestId } from './errors';

/** AWS JSON protocol version: 1.0 (SQS, DynamoDB) or 1.1 (Kinesis, SSM). */
export type JsonVersion = '1.0' | '1.1';

/** A decoded AWS JSON RPC request. */
export interface JsonRequest {
  /** The operation from `X-Amz-Target: <prefix>.<Operation>`. */
  readonly operation: string;
  /** The JSON body (`{}` when empty). */
  readonly input: Record<string, unknown>;
}

/** How a service writes its JSON errors. */
export interface JsonErrorStyle {
  readonly version: JsonVersion;
  /**
   * Shape namespace put before the code in `__type` (`com.amazonaws.sqs` →
   * `com.amazonaws.sqs#QueueDoesNotExist`); without it `__type` is the bare code.
   */
  readonly namespace?: string;
  /**
   * Query-compatible services (SQS) also send `x-amzn-query-error: <code>;<Sender|Receiver>`,
   * which the SDK prefers when it picks the error class.
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-faqs.html
   */
  readonly queryCompatible?: boolean;
}

/**
 * Decodes an AWS JSON 1.0/1.1 RPC request: the operation from `X-Amz-Target` and the JSON body.
 * Throws an {@link AwsError} (`UnknownOperationException`, `SerializationException`) for what
 * AWS would reject before the operation runs.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
export function parseJsonRequest(req: ServiceRequest, targetPrefix: string): JsonRequest {
  const target = req.headers['x-amz-target'] ?? '';
  if (!target.startsWith(`${targetPrefix}.`)) {
    throw new AwsError(
      'UnknownOperationException',
      `The local '${req.service}' service expects X-Amz-Target '${targetPrefix}.<Operation>' (given '${target}').`,
    );
  }
  const operation = target.slice(targetPrefix.length + 1);
  const text = req.body.toString('utf8').trim();
  if (text === '') return { operation, input: {} };
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  }
  return { operation, input: input as Record<string, unknown> };
}

/** A successful AWS JSON answer. */
export function jsonResult(version: JsonVersion, value: unknown): ServiceResponse {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId() },
    body: JSON.stringify(value ?? {}),
  };
}

/**
 * An AWS JSON error answer: `{"__type": "<ns>#<Code>", "message": …}` with `x-amzn-errortype`,
 * and `x-amzn-query-error` for query-compatible services.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#operation-error-serialization
 */
export function jsonError(style: JsonErrorStyle, err: AwsError): ServiceResponse {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${style.version}`,
    'x-amzn-requestid': requestId(),
    'x-amzn-errortype': err.code,
  };
  if (style.queryCompatible) headers['x-amzn-query-error'] = `${err.queryCode ?? err.code};${err.fault}`;
  const type = style.namespace ? `${style.namespace}#${err.code}` : err.code;
  return { status: err.status, headers, body: JSON.stringify({ __type: type, message: err.message, ...err.extra }) };
}

/**
 * Runs a JSON RPC service's operation table: decodes the request, calls the handler for the
 * operation, and turns thrown {@link AwsError}s into AWS JSON errors. An unknown operation gets
 * `UnknownOperationException` naming it; any other exception becomes `InternalFailure` (500).
 */
export async function serveJson(
  req: ServiceRequest,
  opts: JsonErrorStyle & { readonly targetPrefix: string; readonly serviceLabel: string },
  operations: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>,
): Promise<ServiceResponse> {
  try {
    const { operation, input } = parseJsonRequest(req, opts.targetPrefix);
    const handler = Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation] : undefined;
    if (!handler) {
      throw new AwsError(
        'UnknownOperationException',
        `The local ${opts.serviceLabel} does not support the operation '${operation}'.`,
        { queryCode: 'InvalidAction' },
      );
    }
    return jsonResult(opts.version, await handler(input));
  } catch (err) {
    if (err instanceof AwsError) return jsonError(opts, err);
    const message = `Internal error in the local ${opts.serviceLabel}: ${err instanceof Error ? err.message : String(err)}`;
    return jsonError(opts, new AwsError('InternalFailure', message, { status: 500 }));
  }
}

/** Typed readers for JSON input members; each throws the given service's validation error. */
export interface InputReader {
  str(name: string): string | undefined;
  reqStr(name: string): string;
  num(name: string): number | undefined;
  bool(name: string): boolean | undefined;
  obj(name: string): Record<string, unknown> | undefined;
  list(name: string): unknown[] | undefined;
  strList(name: string): string[] | undefined;
}

/**
 * Reads members of a decoded JSON input with type checks. `invalid(message)` builds the service's
 * error for a wrong type or a missing required member (e.g. SQS `MissingParameter`, SSM `ValidationException`).
 */
export function reader(
  input: Record<string, unknown>,
  invalid: (message: string, missing: boolean) => AwsError,
): InputReader {
  const typed = <T>(name: string, kind: string, ok: (v: unknown) => boolean): T | undefined => {
    const v = input[name];
    if (v === undefined || v === null) return undefined;
    if (!ok(v)) throw invalid(`The parameter ${name} must be ${kind}.`, false);
    return v as T;
  };
  const r: InputReader = {
    str: (name) => typed<string>(name, 'a string', (v) => typeof v === 'string'),
    reqStr: (name) => {
      const v = r.str(name);
      if (v === undefined) throw invalid(`The request must contain the parameter ${name}.`, true);
      return v;
    },
    num: (name) => typed<number>(name, 'a number', (v) => typeof v === 'number' && Number.isFinite(v)),
    bool: (name) => typed<boolean>(name, 'a boolean', (v) => typeof v === 'boolean'),
    obj: (name) =>
      typed<Record<string, unknown>>(
        name,
        'an object',
        (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      ),
    list: (name) => typed<unknown[]>(name, 'a list', Array.isArray),
    strList: (name) =>
      typed<string[]>(name, 'a list of strings', (v) => Array.isArray(v) && v.every((s) => typeof s === 'string')),
  };
  return r;
}
