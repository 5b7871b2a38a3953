/** A Lambda API error: HTTP status, the `x-amzn-ErrorType` code, and its message. */
export class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Lambda's model validation message, which the service sends as a 400 `ValidationException`.
 * @see https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
 */
export function validationError(member: string, value: string, constraint: string): LambdaError {
  return new LambdaError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/**
 * The `FunctionName` of Invoke and GetFunction: a name, `name:qualifier`, a partial or a full ARN.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax
 */
const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const FUNCTION_NAME_MAX = 256;

/**
 * Percent-decodes a path parameter. A malformed escape (`%zz`) is kept as it came: the member then
 * fails its pattern with the service's own 400, as any other character outside the pattern does.
 */
export function decodePathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Rejects a function name that no function can have, with Lambda's `ValidationException`. */
export function assertFunctionName(name: string): void {
  if (name.length === 0 || name.length > FUNCTION_NAME_MAX) {
    throw validationError('functionName', name, `Member must have length between 1 and ${FUNCTION_NAME_MAX}`);
  }
  if (!FUNCTION_NAME.test(name)) {
    throw validationError(
      'functionName',
      name,
      `Member must satisfy regular expression pattern: ${FUNCTION_NAME.source.slice(1, -1)}`,
    );
  }
}

/**
 * `MaxItems` of the list operations: an integer 1-10000.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html#API_ListFunctions_RequestSyntax
 */
export function parseMaxItems(text: string | null, defaultMax: number): number {
  if (text === null) return defaultMax;
  if (!/^-?\d+$/.test(text.trim())) throw validationError('maxItems', text, 'Member must be an integer');
  const n = Number(text);
  if (n < 1) throw validationError('maxItems', text, 'Member must have value greater than or equal to 1');
  if (n > 10_000) throw validationError('maxItems', text, 'Member must have value less than or equal to 10000');
  return n;
}

/**
 * `X-Amz-Client-Context`: "Up to 3,583 bytes of base64-encoded data"; Lambda answers a value that is
 * not base64-encoded JSON with `InvalidRequestContentException`.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax
 * @see https://github.com/aws/aws-sdk-js/issues/1388 (the service's message, quoted)
 */
export const CLIENT_CONTEXT_MAX_BYTES = 3583;

export function assertClientContext(value: string | undefined): void {
  if (value === undefined) return;
  if (Buffer.byteLength(value) > CLIENT_CONTEXT_MAX_BYTES) {
    throw new LambdaError(
      400,
      'InvalidRequestContentException',
      `Client context must be at most ${CLIENT_CONTEXT_MAX_BYTES} bytes of base64-encoded data (given ${Buffer.byteLength(value)}).`,
    );
  }
  const base64 = value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
  let parsed: unknown;
  try {
    parsed = base64 ? JSON.parse(Buffer.from(value, 'base64').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LambdaError(
      400,
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object.',
    );
  }
}
