/**
 * Plain HTTP results for the API functions' cores, and their mapping to the Lambda proxy response.
 *
 * @see docs/aws-semantics.md §A.6 (API Gateway REST proxy integration: required response shape)
 */

/** An HTTP outcome as plain data. */
export interface HttpResult {
  readonly statusCode: number;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A Lambda proxy integration response; any other shape makes API Gateway answer 502. */
export interface ProxyResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Serializes an {@link HttpResult} as a JSON proxy response. */
export function toProxyResult(result: HttpResult): ProxyResult {
  return {
    statusCode: result.statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(result.body),
  };
}
