import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Endpoint } from '../../../local/endpoint/server';
import { ACCOUNT, REGION, clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

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
  const Bucket = uniqueName('hostile');
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

/** A signed raw S3 request that gives up after `timeoutMs`; returns status, body and its duration. */
async function send(
  method: string,
  path: string,
  body?: string,
  timeoutMs = 5000,
): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${endpoint.url}${path}`, {
    method,
    signal: AbortSignal.timeout(timeoutMs),
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      'x-amz-date': '20260101T000000Z',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}

const code = (body: string): string | undefined => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

/** `<` and a letter, then letters and no `>`: quadratic for a backtracking tag regex. */
const unclosedTag = (bytes: number): string => `<a${'b'.repeat(bytes - 2)}`;

describe('S3 XML bodies that are not well-formed', () => {
  test.each([
    ['PutBucketNotificationConfiguration', 'PUT', '?notification'],
    ['DeleteObjects', 'POST', '?delete'],
  ])(
    'GIVEN 200 KB of an unclosed tag WHEN it is sent to %s THEN 400 MalformedXML in a few seconds at most (quadratic parsing took 24 s)',
    async (_operation, method, query) => {
      const Bucket = await newBucket();

      const res = await send(method, `/${Bucket}${query}`, unclosedTag(200_000));

      expect(res.status).toBe(400);
      expect(code(res.body)).toBe('MalformedXML');
      expect(res.ms).toBeLessThan(3000);
    },
  );

  test('GIVEN 200 KB of an unclosed tag WHEN it completes a multipart upload or configures a new bucket THEN 400 MalformedXML', async () => {
    const Bucket = await newBucket();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));

    const complete = await send('POST', `/${Bucket}/k?uploadId=${encodeURIComponent(UploadId!)}`, unclosedTag(200_000));
    const create = await send('PUT', `/${uniqueName('hostile')}`, unclosedTag(60_000));

    expect([complete.status, code(complete.body)]).toEqual([400, 'MalformedXML']);
    expect([create.status, code(create.body)]).toEqual([400, 'MalformedXML']);
  });

  test('GIVEN a malformed notification body just under the size limit WHEN it is being parsed THEN /_lab/health still answers within 3 seconds', async () => {
    const Bucket = await newBucket();

    const hostile = send('PUT', `/${Bucket}?notification`, unclosedTag(1_000_000), 20_000);
    const health = (async () => {
      const started = performance.now();
      const res = await fetch(`${endpoint.url}/_lab/health`, { signal: AbortSignal.timeout(5000) });
      return { status: res.status, ms: performance.now() - started };
    })();

    expect((await health).status).toBe(200);
    expect((await health).ms).toBeLessThan(3000);
    expect(code((await hostile).body)).toBe('MalformedXML');
  });

  test.each([
    ['an unclosed root', '<Delete><Object><Key>a</Key></Object>'],
    ['mismatched tags', '<Delete><Object><Key>a</Object></Key></Delete>'],
    ['two roots', '<Delete><Object><Key>a</Key></Object></Delete><Delete/>'],
    ['text after the root', '<Delete><Object><Key>a</Key></Object></Delete>junk'],
    ['a DOCTYPE', '<!DOCTYPE Delete [<!ENTITY k "a">]><Delete><Object><Key>&k;</Key></Object></Delete>'],
    ['another root element', '<Remove><Object><Key>a</Key></Object></Remove>'],
    ['an object without a key', '<Delete><Object></Object></Delete>'],
  ])('GIVEN DeleteObjects with %s WHEN it is sent THEN 400 MalformedXML and nothing is deleted', async (_what, xml) => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'kept' }));

    const res = await send('POST', `/${Bucket}?delete`, xml);

    expect([res.status, code(res.body)]).toEqual([400, 'MalformedXML']);
    expect((await send('GET', `/${Bucket}/a`)).body).toBe('kept');
  });

  test('GIVEN DeleteObjects with 1,001 keys WHEN it is sent THEN 400 MalformedXML', async () => {
    const Bucket = await newBucket();
    const objects = Array.from({ length: 1001 }, (_, i) => `<Object><Key>k${i}</Key></Object>`).join('');

    const res = await send('POST', `/${Bucket}?delete`, `<Delete>${objects}</Delete>`);

    expect([res.status, code(res.body)]).toEqual([400, 'MalformedXML']);
  });

  test('GIVEN a DeleteObjects body far larger than 1,000 keys can need WHEN it is sent THEN 400 MaxMessageLengthExceeded without parsing it', async () => {
    const Bucket = await newBucket();

    const res = await send('POST', `/${Bucket}?delete`, unclosedTag(10 * 1024 * 1024));

    expect([res.status, code(res.body)]).toEqual([400, 'MaxMessageLengthExceeded']);
    expect(res.ms).toBeLessThan(5000);
  });

  test('GIVEN keys with entities and character references WHEN DeleteObjects names them THEN they are decoded and deleted', async () => {
    const Bucket = await newBucket();
    for (const Key of ['a&b<c>', 'AB']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));

    const res = await send(
      'POST',
      `/${Bucket}?delete`,
      '<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a&amp;b&lt;c&gt;</Key></Object><Object><Key><![CDATA[A]]>&#66;</Key></Object></Delete>',
    );

    expect(res.status).toBe(200);
    expect(res.body).toContain('<Key>a&amp;b&lt;c&gt;</Key>');
    expect((await send('GET', `/${Bucket}?list-type=2`)).body).not.toContain('<Contents>');
  });
});

describe('S3 input AWS rejects', () => {
  const longKey = 'é'.repeat(513); // 1,026 bytes in UTF-8, 513 characters

  test('GIVEN a key of 1,026 UTF-8 bytes WHEN an object is put, copied to it or a multipart upload started THEN KeyTooLongError (400)', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'x' }));

    for (const call of [
      new PutObjectCommand({ Bucket, Key: longKey, Body: 'x' }),
      new CopyObjectCommand({ Bucket, Key: longKey, CopySource: `${Bucket}/src` }),
      new CreateMultipartUploadCommand({ Bucket, Key: longKey }),
    ]) {
      await expect(s3.send(call as PutObjectCommand)).rejects.toMatchObject({
        name: 'KeyTooLongError',
        $metadata: { httpStatusCode: 400 },
      });
    }
  });

  test('GIVEN a key of exactly 1,024 UTF-8 bytes WHEN an object is put THEN it is stored', async () => {
    const Bucket = await newBucket();

    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'é'.repeat(512), Body: 'x' }));

    expect(put.$metadata.httpStatusCode).toBe(200);
  });

  test.each(['s3:Bogus', 's3:ObjectCreated:Bogus', 's3:ObjectCreated', 's3:TestEvent'])(
    'GIVEN a notification for the event %s, which S3 does not have WHEN it is put THEN InvalidArgument (400)',
    async (event) => {
      const Bucket = await newBucket();

      await expect(
        s3.send(
          new PutBucketNotificationConfigurationCommand({
            Bucket,
            NotificationConfiguration: {
              QueueConfigurations: [
                { QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q`, Events: [event as 's3:ObjectCreated:*'] },
              ],
            },
          }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    },
  );

  test.each([
    's3:ObjectCreated:*',
    's3:ObjectRemoved:DeleteMarkerCreated',
    's3:ObjectRestore:Completed',
    's3:LifecycleTransition',
  ])('GIVEN a notification for the event %s WHEN it is put THEN it is accepted', async (event) => {
    const Bucket = await newBucket();

    const res = await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          QueueConfigurations: [
            { QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q`, Events: [event as 's3:ObjectCreated:*'] },
          ],
        },
      }),
    );

    expect(res.$metadata.httpStatusCode).toBe(200);
  });
});
