import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
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

const MiB = 1024 * 1024;

async function newBucket(): Promise<string> {
  const Bucket = uniqueName('copy-part');
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

/** Bytes that differ at every offset, so a wrong range or a lost part cannot compare equal. */
function pattern(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (i * 7 + seed * 13 + (i >> 8)) & 0xff;
  return data;
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

async function startUpload(Bucket: string, Key: string): Promise<string> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  return UploadId!;
}

/** A signed raw request, for headers the SDK would not send as given. */
async function rawPut(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(`${endpoint.url}${path}`, {
    method: 'PUT',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      'x-amz-date': '20260101T000000Z',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      ...headers,
    },
  });
  return { status: res.status, body: await res.text() };
}

describe('S3 UploadPartCopy', () => {
  test('GIVEN two source objects WHEN a multipart upload is built from a whole copy, a range, an uploaded part and a last small range THEN the object is byte-identical to the expected concatenation', async () => {
    const source = await newBucket();
    const Bucket = await newBucket();
    const whole = pattern(5 * MiB + 3, 1);
    const other = pattern(6 * MiB, 2);
    const uploaded = pattern(5 * MiB, 3);
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'dir/whole one.bin', Body: whole }));
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'other+ü.bin', Body: other }));
    const UploadId = await startUpload(Bucket, 'assembled.bin');

    const p1 = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key: 'assembled.bin',
        UploadId,
        PartNumber: 1,
        CopySource: `${source}/${encodeURIComponent('dir/whole one.bin')}`,
      }),
    );
    const p2 = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key: 'assembled.bin',
        UploadId,
        PartNumber: 2,
        CopySource: `/${source}/${encodeURIComponent('other+ü.bin')}?versionId=null`,
        CopySourceRange: `bytes=100-${100 + 5 * MiB - 1}`,
      }),
    );
    const p3 = await s3.send(
      new UploadPartCommand({ Bucket, Key: 'assembled.bin', UploadId, PartNumber: 3, Body: uploaded }),
    );
    const p4 = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key: 'assembled.bin',
        UploadId,
        PartNumber: 4,
        CopySource: `${source}/other+ü.bin`,
        CopySourceRange: 'bytes=10-19',
      }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'assembled.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.CopyPartResult?.ETag },
            { PartNumber: 2, ETag: p2.CopyPartResult?.ETag },
            { PartNumber: 3, ETag: p3.ETag },
            { PartNumber: 4, ETag: p4.CopyPartResult?.ETag },
          ],
        },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'assembled.bin' }));
    const back = Buffer.from(await got.Body!.transformToByteArray());

    const expected = Buffer.concat([whole, other.subarray(100, 100 + 5 * MiB), uploaded, other.subarray(10, 20)]);
    expect(back.length).toBe(expected.length);
    expect(back.equals(expected)).toBe(true);
    expect(p1.CopyPartResult?.ETag).toBe(`"${md5(whole)}"`);
    expect(p4.CopyPartResult?.ETag).toBe(`"${md5(other.subarray(10, 20))}"`);
    expect(p4.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    expect(got.ETag).toMatch(/^"[0-9a-f]{32}-4"$/);
  });

  test('GIVEN no such source key WHEN a part is copied from it THEN NoSuchKey (404)', async () => {
    const Bucket = await newBucket();
    const UploadId = await startUpload(Bucket, 'k');

    await expect(
      s3.send(
        new UploadPartCopyCommand({ Bucket, Key: 'k', UploadId, PartNumber: 1, CopySource: `${Bucket}/missing` }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
  });

  test('GIVEN no such source bucket WHEN a part is copied from it THEN NoSuchBucket (404)', async () => {
    const Bucket = await newBucket();
    const UploadId = await startUpload(Bucket, 'k');

    await expect(
      s3.send(
        new UploadPartCopyCommand({
          Bucket,
          Key: 'k',
          UploadId,
          PartNumber: 1,
          CopySource: 'no-such-source-bucket/k',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
  });

  test.each([
    ['past the end of the source', 'bytes=5-10', 'Range specified is not valid for source object of size: 10'],
    ['first after last', 'bytes=5-2', 'bytes=first-last'],
    ['open-ended', 'bytes=5-', 'bytes=first-last'],
    ['a suffix', 'bytes=-3', 'bytes=first-last'],
    ['not bytes', 'items=0-1', 'bytes=first-last'],
  ])(
    'GIVEN a 10-byte source WHEN a part is copied with a range %s (%s) THEN InvalidArgument (400) and no part is stored',
    async (_what, CopySourceRange, message) => {
      const Bucket = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: '0123456789' }));
      const UploadId = await startUpload(Bucket, 'k');

      await expect(
        s3.send(
          new UploadPartCopyCommand({
            Bucket,
            Key: 'k',
            UploadId,
            PartNumber: 1,
            CopySource: `${Bucket}/src`,
            CopySourceRange,
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidArgument',
        message: expect.stringContaining(message),
        $metadata: { httpStatusCode: 400 },
      });
      expect((await s3.send(new ListPartsCommand({ Bucket, Key: 'k', UploadId }))).Parts ?? []).toEqual([]);
    },
  );

  test.each([
    ['without a key', 'just-a-bucket'],
    ['with a broken percent-encoding', '/b/%zz'],
    ['empty', ''],
  ])(
    'GIVEN a copy source header %s WHEN a part is copied THEN an S3 XML InvalidArgument (400)',
    async (_what, source) => {
      const Bucket = await newBucket();
      const UploadId = await startUpload(Bucket, 'k');

      const res = await rawPut(`/${Bucket}/k?partNumber=1&uploadId=${encodeURIComponent(UploadId)}`, {
        'x-amz-copy-source': source,
      });

      expect(res.status).toBe(400);
      expect(res.body).toMatch(/^<\?xml[^>]*>\s*<Error>.*<Code>InvalidArgument<\/Code>/s);
    },
  );

  test('GIVEN a source object WHEN a part is copied with If-Match of another ETag THEN PreconditionFailed (412)', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'data' }));
    const UploadId = await startUpload(Bucket, 'k');

    await expect(
      s3.send(
        new UploadPartCopyCommand({
          Bucket,
          Key: 'k',
          UploadId,
          PartNumber: 1,
          CopySource: `${Bucket}/src`,
          CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"',
        }),
      ),
    ).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
  });
});

describe('S3 CopyObject copy source', () => {
  test('GIVEN a copy source with a broken percent-encoding WHEN an object is copied THEN an S3 XML InvalidArgument (400), not a JSON 500', async () => {
    const Bucket = await newBucket();

    const res = await rawPut(`/${Bucket}/k`, { 'x-amz-copy-source': `/${Bucket}/%zz` });

    expect(res.status).toBe(400);
    expect(res.body).toMatch(/<Code>InvalidArgument<\/Code><Message>Invalid copy source encoding\.<\/Message>/);
  });

  test('GIVEN a source object WHEN it is copied with If-None-Match of its own ETag THEN PreconditionFailed (412)', async () => {
    const Bucket = await newBucket();
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'data' }));

    await expect(
      s3.send(
        new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src`, CopySourceIfNoneMatch: put.ETag }),
      ),
    ).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
  });
});
