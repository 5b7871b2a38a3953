/**
 * Core of the S3 file processor: turns an uploaded file into orders. Plain data in, plain data out.
 */
import { parseJson, validateOrder, type OrderLimits, type OrderValidation } from '../shared/order';

/**
 * Decodes an object key from an S3 event, where it is form-encoded ("red flower.json" arrives as
 * "red+flower.json").
 *
 * @see docs/aws-semantics.md §B.5 (S3UG-GH)
 */
export function decodeObjectKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * An id for the file's content: the notification's `sequencer` is unique per write of a key, so a re-upload of
 * the same key is a new file while a redelivered notification is the same one. Falls back to the ETag.
 */
export function fileId(key: string, sequencer: string | undefined, eTag: string | undefined): string {
  const version = sequencer ?? eTag ?? 'unknown';
  return `file-${key.replace(/[^A-Za-z0-9._-]/g, '_')}-${version}`;
}

/**
 * Reads a file holding one JSON order or a JSON array of orders. An order without `orderId` gets
 * `<fileId>-<index>`, so reprocessing the same file records nothing new.
 */
export function readOrdersFromFile(text: string, id: string, limits: OrderLimits): OrderValidation[] {
  const decoded = parseJson(text);
  if (!decoded.ok) return [decoded];
  if (!Array.isArray(decoded.value)) return [validateOrder(decoded.value, `${id}-0`, limits)];
  if (decoded.value.length === 0) return [{ ok: false, reason: 'invalid order: the file holds an empty array' }];
  return decoded.value.map((item: unknown, index) => validateOrder(item, `${id}-${index}`, limits));
}
