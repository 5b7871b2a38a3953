/**
 * Why an invocation record was sent: `Success` to on-success destinations; `RetriesExhausted` or
 * `EventAgeExceeded` to on-failure destinations.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export type InvocationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** The invocation record an asynchronous destination receives. */
export interface InvocationRecord {
  readonly version: '1.0';
  /** ISO time the record was made. */
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    /** Qualified: `<function arn>:$LATEST`. */
    readonly functionArn: string;
    readonly condition: InvocationCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: 'Unhandled';
  };
  readonly responsePayload?: unknown;
}

/** Everything {@link buildInvocationRecord} needs; all fixed so the builder is pure. */
export interface InvocationRecordInput {
  readonly requestId: string;
  /** Unqualified function ARN. */
  readonly functionArn: string;
  /** @default '$LATEST' */
  readonly qualifier?: string;
  readonly condition: InvocationCondition;
  /** Function invocations made (throttled tries do not count). */
  readonly approximateInvokeCount: number;
  /** The event as JSON text. */
  readonly requestPayload: string;
  /** The last invocation's result, absent when the function never ran (throttled until too old). */
  readonly response?: { readonly payload: string; readonly functionError?: 'Unhandled' };
  /** Status Lambda reports when there is no response, e.g. 429 after throttles. @default 200 */
  readonly statusCode?: number;
  /** Epoch ms. */
  readonly timestamp: number;
}

/**
 * Builds the invocation record of an asynchronous invocation for an on-success or on-failure
 * destination (SQS body, SNS message, Lambda payload).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 * @see https://aws.amazon.com/blogs/compute/introducing-aws-lambda-destinations/
 */
export function buildInvocationRecord(input: InvocationRecordInput): InvocationRecord {
  const qualifier = input.qualifier ?? '$LATEST';
  const responseContext = {
    statusCode: input.response ? 200 : (input.statusCode ?? 200),
    executedVersion: qualifier,
    ...(input.response?.functionError ? { functionError: input.response.functionError } : {}),
  };
  return {
    version: '1.0',
    timestamp: new Date(input.timestamp).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:${qualifier}`,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: parseJson(input.requestPayload),
    responseContext,
    ...(input.response ? { responsePayload: parseJson(input.response.payload) } : {}),
  };
}

/** A message attribute as SQS SendMessage and SNS Publish take it. */
export interface MessageAttribute {
  readonly type: 'String' | 'Number';
  readonly value: string;
}

/** Longest `ErrorMessage` attribute: "The first 1 KB of the error message." */
export const DLQ_ERROR_MESSAGE_BYTES = 1024;

/**
 * The message attributes Lambda puts on an event it sends to a function's dead-letter queue:
 * `RequestID`, `ErrorCode` (the HTTP status, 200 for a function error) and `ErrorMessage` (first
 * 1 KB). The body is the event as is.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
 */
export function deadLetterAttributes(
  requestId: string,
  errorCode: number,
  errorMessage: string,
): Record<'RequestID' | 'ErrorCode' | 'ErrorMessage', MessageAttribute> {
  return {
    RequestID: { type: 'String', value: requestId },
    ErrorCode: { type: 'Number', value: String(errorCode) },
    ErrorMessage: { type: 'String', value: truncateUtf8(errorMessage || 'Unknown error', DLQ_ERROR_MESSAGE_BYTES) },
  };
}

/** The `errorMessage` of an error payload, else the payload text. */
export function errorMessageOf(payload: string): string {
  const parsed = parseJson(payload);
  if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
    const message = (parsed as { errorMessage: unknown }).errorMessage;
    if (typeof message === 'string') return message;
  }
  return payload;
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Drop a split multi-byte character at the cut rather than emit U+FFFD.
  return bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
