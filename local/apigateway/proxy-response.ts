import type { InvocationOutcome } from '../core/contracts';
import { isBinaryMediaType } from './proxy-event';

/** What the client gets from a proxy integration, before API Gateway adds its own headers. */
export type ProxyResponseMapping =
  | {
      readonly kind: 'response';
      readonly statusCode: number;
      /** Merged `headers` and `multiValueHeaders`, names as the function gave them. */
      readonly headers: Readonly<Record<string, readonly string[]>>;
      readonly body: Buffer;
    }
  | {
      /** The function failed (`X-Amz-Function-Error`): 502. */
      readonly kind: 'function-error';
      readonly errorType?: string;
      readonly errorMessage?: string;
    }
  | {
      /** The function's output is not a proxy response: 502, reason in the execution log only. */
      readonly kind: 'malformed';
      readonly reason: string;
    };

/** Options of {@link mapProxyResponse}. */
export interface ProxyResponseOptions {
  /** The API's binary media types. */
  readonly binaryMediaTypes: readonly string[];
  /** The request's Accept header. */
  readonly accept?: string;
}

/** The output format's fields; `cookies` belongs to HTTP APIs (payload 2.0) and is malformed here. */
const RESPONSE_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Maps a function's result to the HTTP response of a REST API Lambda proxy integration.
 *
 * - A function error is a 502 `Internal server error` (no retries on this path).
 * - The result must be a JSON object with only the output format's fields: a `statusCode` (a
 *   number or numeric string; 200 when absent), string-valued `headers`, `multiValueHeaders` of
 *   string lists, a string `body` and a boolean `isBase64Encoded`; anything else is "Malformed
 *   Lambda proxy response", also a 502.
 * - `headers` and `multiValueHeaders` are merged into one list per name, the
 *   `multiValueHeaders` values first; a name-value pair given in both appears once.
 * - A base64 body is decoded when the response Content-Type or the request's Accept header is a
 *   binary media type of the API; otherwise the text passes through unchanged.
 * - Without a Content-Type the client gets `application/json`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
 * @see https://repost.aws/knowledge-center/malformed-502-api-gateway
 */
export function mapProxyResponse(outcome: InvocationOutcome, options: ProxyResponseOptions): ProxyResponseMapping {
  if (outcome.functionError !== undefined || outcome.outcome !== 'success') {
    const error = parseObject(outcome.payload);
    return {
      kind: 'function-error',
      errorType: typeof error?.errorType === 'string' ? error.errorType : undefined,
      errorMessage: typeof error?.errorMessage === 'string' ? error.errorMessage : undefined,
    };
  }
  const result = parseObject(outcome.payload);
  if (!result) return malformed('the function result is not a JSON object');
  for (const key of Object.keys(result)) {
    if (!RESPONSE_KEYS.has(key)) return malformed(`unexpected field '${key}'`);
  }
  const statusCode = statusCodeOf(result.statusCode);
  if (statusCode === undefined) return malformed('statusCode must be an integer HTTP status code');
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return malformed('body must be a string');
  }
  if (result.isBase64Encoded !== undefined && typeof result.isBase64Encoded !== 'boolean') {
    return malformed('isBase64Encoded must be a boolean');
  }

  const headers = new Map<string, string[]>();
  if (result.headers !== undefined && result.headers !== null) {
    if (!isPlainObject(result.headers)) return malformed('headers must be an object');
    for (const [name, value] of Object.entries(result.headers)) {
      if (!isScalar(value)) return malformed(`header '${name}' must be a string`);
      headers.set(name, [String(value)]);
    }
  }
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (!isPlainObject(result.multiValueHeaders)) return malformed('multiValueHeaders must be an object');
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every(isScalar)) {
        return malformed(`multiValueHeaders '${name}' must be a list of strings`);
      }
      const merged = values.map(String);
      const existing = [...headers.keys()].find((n) => n.toLowerCase() === name.toLowerCase());
      if (existing !== undefined) {
        // Both maps name the header: the lists are merged, a value given in both appearing once.
        for (const value of headers.get(existing) ?? []) if (!merged.includes(value)) merged.push(value);
        headers.delete(existing);
      }
      headers.set(name, merged);
    }
  }
  const contentTypeName = [...headers.keys()].find((n) => n.toLowerCase() === 'content-type');
  if (contentTypeName === undefined) headers.set('Content-Type', ['application/json']);
  const contentType = headers.get(contentTypeName ?? 'Content-Type')?.[0];

  const text = typeof result.body === 'string' ? result.body : '';
  const binary =
    result.isBase64Encoded === true &&
    (isBinaryMediaType(contentType, options.binaryMediaTypes) ||
      isBinaryMediaType(options.accept?.split(',')[0], options.binaryMediaTypes));
  const body = binary ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { kind: 'response', statusCode, headers: Object.fromEntries(headers), body };
}

/**
 * The HTTP status of a proxy result: API Gateway takes a number or a numeric string and answers 200
 * when the field is absent (observed on AWS; `{"statusCode":"test"}` is still malformed).
 * @see https://github.com/localstack/localstack/blob/main/tests/aws/services/apigateway/test_apigateway_lambda.py (AWS-validated `test_aws_proxy_response_payload_format_validation`)
 */
function statusCodeOf(value: unknown): number | undefined {
  if (value === undefined) return 200;
  const code = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) return undefined;
  return code;
}

function malformed(reason: string): ProxyResponseMapping {
  return { kind: 'malformed', reason };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
