import { request } from 'node:http';
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
  type CORSRule,
} from '@aws-sdk/client-s3';
import type { Endpoint } from '../../../local/endpoint/server';
import { REGION, clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

let endpoint: Endpoint;
let s3: S3Client;

beforeAll(async () => {
  endpoint = await startDataEndpoint();
  s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
});

afterAll(async () => {
  s3.destroy();
  await endpoint.stop();
});

async function newBucket(): Promise<string> {
  const Bucket = uniqueName('cors');
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'page.html', Body: '<p>hi</p>' }));
  return Bucket;
}

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const SIGNED = {
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
  'x-amz-date': '20260101T000000Z',
  'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
};

/** A raw HTTP/1.1 request, so browser-only headers (Origin) go out as given. */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: endpoint.port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const code = (body: string): string | undefined => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

const RULES: CORSRule[] = [
  {
    ID: 'site',
    AllowedOrigins: ['https://*.example.com'],
    AllowedMethods: ['GET', 'PUT'],
    AllowedHeaders: ['content-type', 'x-amz-*'],
    ExposeHeaders: ['ETag'],
    MaxAgeSeconds: 600,
  },
  { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] },
];

describe('S3 requests without a signature', () => {
  test('GIVEN an existing bucket WHEN an object is got without a signature THEN S3 answers an XML 403 AccessDenied', async () => {
    const Bucket = await newBucket();

    const res = await raw('GET', `/${Bucket}/page.html`);

    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(code(res.body)).toBe('AccessDenied');
  });

  test('GIVEN an existing bucket WHEN it and an object are headed or listed without a signature THEN 403 (HEAD without a body)', async () => {
    const Bucket = await newBucket();

    const head = await raw('HEAD', `/${Bucket}/page.html`);
    const list = await raw('GET', `/${Bucket}?list-type=2`);

    expect([head.status, head.body]).toEqual([403, '']);
    expect([list.status, code(list.body)]).toEqual([403, 'AccessDenied']);
  });

  test('GIVEN buckets exist WHEN unsigned requests go to /, /_lab/health or a bucket that does not exist THEN S3 does not take them', async () => {
    await newBucket();

    const root = await raw('GET', '/');
    const health = await raw('GET', '/_lab/health');
    const missing = await raw('GET', '/no-such-bucket-here/k');

    expect(root.headers['content-type']).not.toBe('application/xml');
    expect(root.headers.server).not.toBe('AmazonS3');
    expect([health.status, JSON.parse(health.body).status]).toEqual([200, 'ok']);
    expect(missing.headers.server).not.toBe('AmazonS3');
  });
});

describe('S3 CORS', () => {
  test('GIVEN CORS rules WHEN they are put, read back and deleted THEN the same rules come back, then NoSuchCORSConfiguration (404)', async () => {
    const Bucket = await newBucket();

    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: RULES } }));
    const got = await s3.send(new GetBucketCorsCommand({ Bucket }));
    await s3.send(new DeleteBucketCorsCommand({ Bucket }));

    expect(got.CORSRules).toEqual(RULES);
    await expect(s3.send(new GetBucketCorsCommand({ Bucket }))).rejects.toMatchObject({
      name: 'NoSuchCORSConfiguration',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('GIVEN a rule with the method PATCH WHEN it is put THEN InvalidRequest (400)', async () => {
    const Bucket = await newBucket();

    await expect(
      s3.send(
        new PutBucketCorsCommand({
          Bucket,
          CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } });
  });

  test('GIVEN CORS rules WHEN a preflight matches one THEN 200 with the origin, methods, headers, exposed headers and max age it grants', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: RULES } }));

    const res = await raw('OPTIONS', `/${Bucket}/page.html`, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type, X-Amz-Date',
    });

    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-headers': 'Content-Type, X-Amz-Date',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
    });
  });

  test.each([
    ['an origin no rule allows', { origin: 'https://evil.test', 'access-control-request-method': 'GET' }],
    ['a method no rule allows', { origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' }],
    [
      'a header no rule allows',
      {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-custom',
      },
    ],
  ])(
    'GIVEN CORS rules WHEN a preflight asks for %s THEN S3 refuses it with an XML 403 AccessForbidden',
    async (_what, headers) => {
      const Bucket = await newBucket();
      await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: RULES } }));

      const res = await raw('OPTIONS', `/${Bucket}/page.html`, headers);

      expect(res.status).toBe(403);
      expect(code(res.body)).toBe('AccessForbidden');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  test('GIVEN a bucket without CORS WHEN a preflight comes THEN 403 AccessForbidden saying CORS is not enabled; without a requested method 400', async () => {
    const Bucket = await newBucket();

    const off = await raw('OPTIONS', `/${Bucket}/page.html`, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'GET',
    });
    const noMethod = await raw('OPTIONS', `/${Bucket}/page.html`, { origin: 'https://app.example.com' });

    expect([off.status, code(off.body)]).toEqual([403, 'AccessForbidden']);
    expect(off.body).toContain('CORS is not enabled for this bucket.');
    expect([noMethod.status, code(noMethod.body)]).toEqual([400, 'BadRequest']);
  });

  test('GIVEN CORS rules WHEN a signed GET comes with an allowed Origin THEN the answer carries the CORS headers; with another Origin it carries none', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: RULES } }));

    const allowed = await raw('GET', `/${Bucket}/page.html`, { ...SIGNED, origin: 'https://app.example.com' });
    const other = await raw('GET', `/${Bucket}/page.html`, { ...SIGNED, origin: 'https://evil.test' });
    const anyOriginHead = await raw('HEAD', `/${Bucket}/page.html`, { ...SIGNED, origin: 'https://evil.test' });

    expect(allowed.status).toBe(200);
    expect(allowed.body).toBe('<p>hi</p>');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-expose-headers']).toBe('ETag');
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(anyOriginHead.headers['access-control-allow-origin']).toBe('*');
  });
});
