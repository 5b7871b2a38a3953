import { invalidArgument, preconditionFailed } from './errors';

/** The object an `x-amz-copy-source` header names. */
export interface CopySource {
  readonly bucket: string;
  readonly key: string;
  /** The `versionId` asked for, if any. */
  readonly versionId?: string;
}

/**
 * Reads `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, optionally followed by
 * `?versionId=…`. A header S3 cannot read answers its own 400 `InvalidArgument`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax
 */
export function parseCopySource(header: string): CopySource {
  const question = header.indexOf('?');
  const path = (question < 0 ? header : header.slice(0, question)).replace(/^\//, '');
  const query = question < 0 ? '' : header.slice(question + 1);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      header,
    );
  let bucket: string;
  let key: string;
  try {
    bucket = decodeURIComponent(path.slice(0, slash));
    key = decodeURIComponent(path.slice(slash + 1));
  } catch {
    throw invalidArgument('Invalid copy source encoding.', 'x-amz-copy-source', header);
  }
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return { bucket, key, versionId };
}

/**
 * Reads `x-amz-copy-source-range` (UploadPartCopy): exactly `bytes=first-last`, zero-based and
 * inclusive, inside the source. Returns [first, last], or undefined for the whole source.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html#API_UploadPartCopy_RequestSyntax
 */
export function parseCopySourceRange(header: string | undefined, size: number): [number, number] | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  const first = m ? Number(m[1]) : NaN;
  const last = m ? Number(m[2]) : NaN;
  if (!m || first > last)
    throw invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      header,
    );
  if (last >= size)
    throw invalidArgument(
      `Range specified is not valid for source object of size: ${size}`,
      'x-amz-copy-source-range',
      header,
    );
  return [first, last];
}

/** What the `x-amz-copy-source-if-*` conditions are checked against. */
export interface CopySourceState {
  /** MD5 hex (or multipart ETag) without quotes. */
  readonly etag: string;
  readonly lastModified: number;
}

/**
 * Applies `x-amz-copy-source-if-match`, `-if-none-match`, `-if-unmodified-since` and
 * `-if-modified-since`, with S3's precedence: a matching If-Match overrides a failing
 * If-Unmodified-Since, and a failing If-None-Match overrides a passing If-Modified-Since.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax
 */
export function checkCopySourceConditions(headers: Readonly<Record<string, string>>, source: CopySourceState): void {
  const etag = `"${source.etag}"`;
  const matches = (list: string): boolean =>
    list.split(',').some((t) => {
      const tag = t.trim();
      return tag === '*' || tag === etag || tag === source.etag;
    });
  const since = (value: string | undefined): number | undefined => {
    const ms = value === undefined ? NaN : Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  };
  const lastModifiedS = Math.floor(source.lastModified / 1000) * 1000;
  const ifMatch = headers['x-amz-copy-source-if-match'];
  const ifNoneMatch = headers['x-amz-copy-source-if-none-match'];
  const unmodifiedSince = since(headers['x-amz-copy-source-if-unmodified-since']);
  const modifiedSince = since(headers['x-amz-copy-source-if-modified-since']);
  if (ifMatch !== undefined && !matches(ifMatch)) throw preconditionFailed('x-amz-copy-source-If-Match');
  if (ifMatch === undefined && unmodifiedSince !== undefined && lastModifiedS > unmodifiedSince)
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  if (ifNoneMatch !== undefined && matches(ifNoneMatch)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  if (ifNoneMatch === undefined && modifiedSince !== undefined && lastModifiedS <= modifiedSince)
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
}
