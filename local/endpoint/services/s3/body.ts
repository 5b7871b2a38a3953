import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** A request body after the aws-chunked framing is removed, with its trailing headers. */
export interface DecodedBody {
  readonly data: Buffer;
  /** Trailer headers (lower-case), e.g. `x-amz-checksum-crc32`. */
  readonly trailers: Readonly<Record<string, string>>;
}

/** The `x-amz-content-sha256` values that announce aws-chunked framing. */
export function isAwsChunked(headers: Readonly<Record<string, string>>): boolean {
  const sha = headers['x-amz-content-sha256'] ?? '';
  return sha.startsWith('STREAMING-') || /(^|,)\s*aws-chunked\s*(,|$)/.test(headers['content-encoding'] ?? '');
}

/**
 * Removes aws-chunked framing: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` repeated, a zero-size
 * chunk, then optional trailer lines (`x-amz-checksum-crc32:…`) and a blank line. Covers unsigned
 * payloads with trailers (the SDK's default for streams) and SigV4-signed chunks; chunk
 * signatures are not verified (the local endpoint accepts any credentials).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
export function decodeAwsChunked(body: Buffer): DecodedBody {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', pos);
    if (lineEnd < 0) throw new Error('chunk header without CRLF');
    const header = body.toString('latin1', pos, lineEnd);
    const size = parseInt(header.split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw new Error(`bad chunk size '${header}'`);
    pos = lineEnd + 2;
    if (size === 0) break;
    if (pos + size > body.length) throw new Error('chunk longer than the body');
    parts.push(body.subarray(pos, pos + size));
    pos += size;
    if (body.toString('latin1', pos, pos + 2) !== '\r\n') throw new Error('chunk data not followed by CRLF');
    pos += 2;
  }
  while (pos < body.length) {
    let lineEnd = body.indexOf('\r\n', pos);
    if (lineEnd < 0) lineEnd = body.length;
    const line = body.toString('utf8', pos, lineEnd);
    pos = lineEnd + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}

/** Checksum algorithms S3 accepts, by header suffix. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** Base64 checksum of `data`, for the algorithms Node computes natively; undefined otherwise. */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string | undefined {
  switch (algorithm) {
    case 'crc32': {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc32(data) >>> 0);
      return out.toString('base64');
    }
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(data).digest('base64');
    default:
      return undefined;
  }
}

/** The `x-amz-checksum-*` values a request carries in its headers or trailers. */
export function sentChecksums(
  headers: Readonly<Record<string, string>>,
  trailers: Readonly<Record<string, string>>,
): Partial<Record<ChecksumAlgorithm, string>> {
  const found: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = trailers[`x-amz-checksum-${algorithm}`] ?? headers[`x-amz-checksum-${algorithm}`];
    if (value) found[algorithm] = value;
  }
  return found;
}

/** The first sent checksum that does not match the data, if any. */
export function checksumMismatch(
  data: Buffer,
  checksums: Partial<Record<ChecksumAlgorithm, string>>,
): ChecksumAlgorithm | undefined {
  for (const [algorithm, value] of Object.entries(checksums) as Array<[ChecksumAlgorithm, string]>) {
    const actual = computeChecksum(algorithm, data);
    if (actual !== undefined && actual !== value) return algorithm;
  }
  return undefined;
}
