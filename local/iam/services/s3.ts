import type { AccessCheck, MappedRequest } from '../access';

/** Bucket and key of a path-style (`/bucket/key`) or virtual-host (`bucket.localhost`) request, decoded. */
function target(req: MappedRequest): { bucket: string; key?: string } {
  const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
  const virtual = /^(.+?)(?:\.s3(?:[.-][a-z0-9-]+)?)?\.localhost$/.exec(hostname)?.[1];
  const path = req.path.replace(/^\//, '');
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (virtual && virtual !== 's3') return path === '' ? { bucket: virtual } : { bucket: virtual, key: decode(path) };
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decode(path) };
  const rest = path.slice(slash + 1);
  return rest === ''
    ? { bucket: decode(path.slice(0, slash)) }
    : { bucket: decode(path.slice(0, slash)), key: decode(rest) };
}

/** Bucket sub-resources (`?notification`, …) and the action each method needs; the first present wins. */
const BUCKET_SUBRESOURCES: ReadonlyArray<readonly [string, Readonly<Record<string, string>>]> = [
  ['notification', { GET: 'GetBucketNotification', PUT: 'PutBucketNotification' }],
  ['policy', { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' }],
  ['versioning', { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' }],
  ['tagging', { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'PutBucketTagging' }],
  ['location', { GET: 'GetBucketLocation' }],
  ['cors', { GET: 'GetBucketCORS', PUT: 'PutBucketCORS', DELETE: 'PutBucketCORS' }],
  ['encryption', { GET: 'GetEncryptionConfiguration', PUT: 'PutEncryptionConfiguration' }],
  ['lifecycle', { GET: 'GetLifecycleConfiguration', PUT: 'PutLifecycleConfiguration' }],
  ['versions', { GET: 'ListBucketVersions' }],
  ['uploads', { GET: 'ListBucketMultipartUploads' }],
  ['acl', { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' }],
  ['publicAccessBlock', { GET: 'GetBucketPublicAccessBlock', PUT: 'PutBucketPublicAccessBlock' }],
  ['ownershipControls', { GET: 'GetBucketOwnershipControls', PUT: 'PutBucketOwnershipControls' }],
];

function bucketAction(req: MappedRequest): string {
  for (const [sub, actions] of BUCKET_SUBRESOURCES) {
    if (req.query.has(sub)) return actions[req.method] ?? 'ListBucket';
  }
  if (req.method === 'PUT') return 'CreateBucket';
  if (req.method === 'DELETE') return 'DeleteBucket';
  return 'ListBucket';
}

function objectAction(req: MappedRequest): string {
  const q = req.query;
  const versioned = q.has('versionId');
  if (q.has('tagging')) {
    const base = req.method === 'GET' ? 'GetObject' : req.method === 'DELETE' ? 'DeleteObject' : 'PutObject';
    return `${base}${versioned ? 'Version' : ''}Tagging`;
  }
  if (q.has('acl')) return req.method === 'GET' ? 'GetObjectAcl' : 'PutObjectAcl';
  if (q.has('uploadId')) {
    if (req.method === 'DELETE') return 'AbortMultipartUpload';
    if (req.method === 'GET') return 'ListMultipartUploadParts';
    return 'PutObject';
  }
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return versioned ? 'GetObjectVersion' : 'GetObject';
    case 'DELETE':
      return versioned ? 'DeleteObjectVersion' : 'DeleteObject';
    default:
      return 'PutObject';
  }
}

/**
 * S3: object operations on `arn:aws:s3:::<bucket>/<key>`, bucket operations (lists included) on the
 * bucket ARN, `ListAllMyBuckets` on `*`; a copy also reads its source, and `DeleteObjects` needs
 * `s3:DeleteObject` on each key; `HEAD` needs what `GET` needs.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 */
export function s3Access(req: MappedRequest): readonly AccessCheck[] {
  const { bucket, key } = target(req);
  if (bucket === '') return [{ action: 's3:ListAllMyBuckets', resource: '*' }];
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (key === undefined) {
    if (req.method === 'POST' && req.query.has('delete')) {
      const keys = [...req.body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1] ?? ''));
      return keys.map((k) => ({ action: 's3:DeleteObject', resource: `${bucketArn}/${k}` }));
    }
    return [{ action: `s3:${bucketAction(req)}`, resource: bucketArn }];
  }
  const checks: AccessCheck[] = [{ action: `s3:${objectAction(req)}`, resource: `${bucketArn}/${key}` }];
  const copySource = req.headers['x-amz-copy-source'];
  if (copySource && req.method === 'PUT') {
    const source = decodeURIComponent(copySource.split('?')[0] ?? '').replace(/^\//, '');
    checks.push({ action: 's3:GetObject', resource: `arn:aws:s3:::${source}` });
  }
  return checks;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
