/**
 * Pure parsing of a function's reply to a batch of SQS messages or stream records, for event
 * source mappings with `FunctionResponseTypes: ['ReportBatchItemFailures']`.
 */

/** How the poller must treat the batch after the function returned. */
export type BatchVerdict =
  /** Every item succeeded. */
  | { readonly kind: 'success' }
  /** Only these items failed (identifiers as the function returned them, in the batch's order). */
  | { readonly kind: 'partial'; readonly failedIds: readonly string[] }
  /** The whole batch failed; `reason` says why, for the timeline. */
  | { readonly kind: 'failure'; readonly reason: string };

/** What the poller knows about one invocation of a batch. */
export interface BatchReply {
  /** The JSON text the function returned (or the error object when it failed). */
  readonly payload: string;
  /** Set when the invocation failed (error, timeout, crash). */
  readonly functionError?: string;
}

/**
 * Judges a batch reply against the identifiers of the batch (SQS `messageId`s, or stream sequence
 * numbers), with the rules AWS documents for both sources:
 * - a function error fails the whole batch;
 * - without ReportBatchItemFailures the reply is ignored ("these responses will not be processed by
 *   Lambda unless the ReportBatchItemFailures feature is explicitly turned on");
 * - success: empty or null `batchItemFailures`, an empty or null response (a reply that is not an
 *   object carries no `batchItemFailures` either);
 * - whole-batch failure: invalid JSON, `batchItemFailures` that is not a list, an item that is not an
 *   object, an item without `itemIdentifier` ("bad key name"), a null, empty or non-string
 *   identifier, or an identifier that is not in the batch.
 *
 * The unknown-identifier rule is documented for SQS; for streams AWS is silent and LocalStack fails
 * the whole batch, which this follows (docs/aws-semantics.md §C.3).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export function parseBatchResponse(
  reply: BatchReply,
  batchIds: readonly string[],
  reportBatchItemFailures: boolean,
): BatchVerdict {
  if (reply.functionError) return { kind: 'failure', reason: `function error (${reply.functionError})` };
  if (!reportBatchItemFailures) return { kind: 'success' };
  let response: unknown;
  try {
    response = reply.payload.trim() === '' ? null : JSON.parse(reply.payload);
  } catch {
    return { kind: 'failure', reason: 'invalid JSON response' };
  }
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return { kind: 'success' };
  const failures = (response as Record<string, unknown>).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  const known = new Set(batchIds);
  const failed = new Set<string>();
  for (const item of failures as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return { kind: 'failure', reason: 'a batchItemFailures entry is not an object' };
    if (!('itemIdentifier' in item))
      return { kind: 'failure', reason: 'a batchItemFailures entry has no itemIdentifier' };
    const id = (item as { itemIdentifier: unknown }).itemIdentifier;
    if (id === null || id === undefined) return { kind: 'failure', reason: 'itemIdentifier is null' };
    if (typeof id !== 'string') return { kind: 'failure', reason: 'itemIdentifier is not a string' };
    if (id === '') return { kind: 'failure', reason: 'itemIdentifier is empty' };
    if (!known.has(id)) return { kind: 'failure', reason: `itemIdentifier ${id} is not in the batch` };
    failed.add(id);
  }
  if (failed.size === 0) return { kind: 'success' };
  return { kind: 'partial', failedIds: batchIds.filter((id) => failed.has(id)) };
}

/**
 * Where a stream batch resumes after a partial failure: Lambda "uses the record with the lowest
 * sequence number as the checkpoint" and "retries all records starting from that checkpoint".
 * Sequence numbers are decimal strings longer than a double holds, so they compare as BigInt.
 * Returns the index in `sequenceNumbers` (batch order) of the lowest failed one.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 */
export function lowestFailedIndex(sequenceNumbers: readonly string[], failedIds: readonly string[]): number {
  let lowest: bigint | undefined;
  for (const id of failedIds) {
    const value = toBigInt(id);
    if (lowest === undefined || value < lowest) lowest = value;
  }
  if (lowest === undefined) return -1;
  return sequenceNumbers.findIndex((seq) => toBigInt(seq) >= (lowest as bigint));
}

/** Compares two sequence numbers as numbers (negative, zero or positive). */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = toBigInt(a);
  const y = toBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function toBigInt(seq: string): bigint {
  try {
    return BigInt(seq);
  } catch {
    return 0n;
  }
}
