/** Who is at fault, as AWS reports it in Query errors (`<Type>`) and SQS's `x-amzn-query-error`. */
export type ErrorFault = 'Sender' | 'Receiver';

/** Options of {@link AwsError}. */
export interface AwsErrorOptions {
  /** HTTP status. @default 400 */
  readonly status?: number;
  /** @default 'Sender' for 4xx, 'Receiver' for 5xx */
  readonly fault?: ErrorFault;
  /**
   * The code a query-compatible JSON service (SQS) reports in `x-amzn-query-error`, when it
   * differs from the shape name (`AWS.SimpleQueueService.NonExistentQueue` for `QueueDoesNotExist`).
   */
  readonly queryCode?: string;
  /** Extra members of the error body (e.g. `Item` on a DynamoDB conditional check failure). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * An error a local service answers with, in AWS's terms: the error shape's name (what the SDK
 * turns into `err.name`), a message and an HTTP status. The protocol helpers turn it into the wire form.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: ErrorFault;
  readonly queryCode?: string;
  readonly extra?: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, opts: AwsErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = opts.status ?? 400;
    this.fault = opts.fault ?? (this.status >= 500 ? 'Receiver' : 'Sender');
    this.queryCode = opts.queryCode;
    this.extra = opts.extra;
  }
}

/** A fresh request id in the shape AWS uses (a UUID). */
export function requestId(): string {
  return crypto.randomUUID();
}
