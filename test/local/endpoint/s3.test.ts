import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Endpoint } from '../../../local/endpoint/server';
import type { S3Service } from '../../../local/endpoint/services/s3';
import type { S3ObjectEvent } from '../../../local/endpoint/types';
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
  const Bucket = uniqueName('bucket');
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

async function getText(Bucket: string, Key: string): Promise<string> {
  const res = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return res.Body!.transformToString();
}

async function getBytes(Bucket: string, Key: string): Promise<Buffer> {
  const res = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

/** Collects `s3:object` events published while `action` runs. */
async function eventsDuring(action: () => Promise<unknown>): Promise<S3ObjectEvent[]> {
  const seen: S3ObjectEvent[] = [];
  const listener = (e: S3ObjectEvent): void => void seen.push(e);
  endpoint.bus.on('s3:object', listener);
  try {
    await action();
  } finally {
    endpoint.bus.off('s3:object', listener);
  }
  return seen;
}

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

describe('S3 buckets', () => {
  test('GIVEN a created bucket WHEN buckets are listed and the bucket is headed THEN it is there in the configured region', async () => {
    const Bucket = await newBucket();

    const list = await s3.send(new ListBucketsCommand({}));
    const head = await s3.send(new HeadBucketCommand({ Bucket }));

    expect(list.Buckets?.map((b) => b.Name)).toContain(Bucket);
    expect(head.BucketRegion).toBe(REGION);
  });

  test('GIVEN a bucket I own WHEN I create it again outside us-east-1 THEN the SDK raises BucketAlreadyOwnedByYou (409)', async () => {
    const Bucket = await newBucket();

    await expect(s3.send(new CreateBucketCommand({ Bucket }))).rejects.toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
      $metadata: { httpStatusCode: 409 },
    });
  });

  test('GIVEN a name with capitals WHEN a bucket is created THEN the SDK raises InvalidBucketName (400)', async () => {
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' }))).rejects.toMatchObject({
      name: 'InvalidBucketName',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('GIVEN no such bucket WHEN it is headed THEN the SDK raises NotFound (404)', async () => {
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket-here' }))).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('GIVEN a bucket with an object WHEN it is deleted THEN BucketNotEmpty (409), and once emptied it is deleted', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'x' }));

    await expect(s3.send(new DeleteBucketCommand({ Bucket }))).rejects.toMatchObject({
      name: 'BucketNotEmpty',
      $metadata: { httpStatusCode: 409 },
    });
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'a' }));
    await s3.send(new DeleteBucketCommand({ Bucket }));
    await expect(s3.send(new HeadBucketCommand({ Bucket }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  test('GIVEN no such bucket WHEN an object is read THEN the SDK raises NoSuchBucket (404)', async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('S3 objects with the SDK default checksums', () => {
  test('GIVEN a string body WHEN it is put and got with default settings THEN the same text comes back with a quoted MD5 ETag', async () => {
    const Bucket = await newBucket();

    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'hello.txt', Body: 'hello world' }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'hello.txt' }));

    expect(put.ETag).toBe(`"${md5('hello world')}"`);
    expect(got.ETag).toBe(put.ETag);
    expect(await got.Body!.transformToString()).toBe('hello world');
  });

  test('GIVEN a Buffer body with content type and metadata WHEN it is headed THEN type, length and metadata are kept', async () => {
    const Bucket = await newBucket();
    const Body = Buffer.from([0, 1, 2, 255, 254]);

    await s3.send(
      new PutObjectCommand({ Bucket, Key: 'bin', Body, ContentType: 'application/x-test', Metadata: { owner: 'lab' } }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'bin' }));

    expect(head.ContentType).toBe('application/x-test');
    expect(head.ContentLength).toBe(5);
    expect(head.Metadata).toEqual({ owner: 'lab' });
    expect(await getBytes(Bucket, 'bin')).toEqual(Body);
  });

  test('GIVEN a stream body (sent aws-chunked with a trailing CRC32) WHEN it is got back THEN the bytes are exactly the ones sent', async () => {
    const Bucket = await newBucket();
    const data = Buffer.alloc(204_800, 0);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;

    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'stream.bin',
        Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
        ContentLength: data.length,
      }),
    );
    const back = await getBytes(Bucket, 'stream.bin');

    expect(back.length).toBe(204_800);
    expect(md5(back)).toBe(md5(data));
  });

  test('GIVEN a wrong CRC32 sent with the body WHEN the object is put THEN the SDK raises BadDigest (400) and nothing is stored', async () => {
    const Bucket = await newBucket();

    await expect(
      s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'data', ChecksumCRC32: 'AAAAAA==' })),
    ).rejects.toMatchObject({
      name: 'BadDigest',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'bad' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  test('GIVEN keys with spaces, plus signs, unicode and slashes WHEN they are put and got THEN each key round-trips unchanged', async () => {
    const Bucket = await newBucket();
    const keys = ['a b.txt', 'c+d.txt', 'dir/sub/ünïcødé ✓.txt', 'q?x=1&y=2#frag'];

    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket }));

    for (const Key of keys) expect(await getText(Bucket, Key)).toBe(Key);
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual([...keys].sort());
  });

  test('GIVEN a 10-byte object WHEN bytes 2-5 are asked for THEN 206 with those 4 bytes and a Content-Range', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'r', Body: '0123456789' }));

    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'r', Range: 'bytes=2-5' }));

    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe('bytes 2-5/10');
    expect(await got.Body!.transformToString()).toBe('2345');
  });

  test('GIVEN a 10-byte object WHEN the last 3 bytes are asked for THEN those 3 bytes come back', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'r', Body: '0123456789' }));

    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'r', Range: 'bytes=-3' }));

    expect(await got.Body!.transformToString()).toBe('789');
  });

  test('GIVEN a 10-byte object WHEN a range past its end is asked for THEN the SDK raises InvalidRange (416)', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'r', Body: '0123456789' }));

    await expect(s3.send(new GetObjectCommand({ Bucket, Key: 'r', Range: 'bytes=10-20' }))).rejects.toMatchObject({
      name: 'InvalidRange',
      $metadata: { httpStatusCode: 416 },
    });
  });

  test('GIVEN no such key WHEN it is got THEN NoSuchKey (404); WHEN it is headed THEN NotFound (404)', async () => {
    const Bucket = await newBucket();

    await expect(s3.send(new GetObjectCommand({ Bucket, Key: 'missing' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'missing' }))).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('GIVEN an object WHEN it is deleted THEN getting it raises NoSuchKey', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'gone', Body: 'x' }));

    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone' }));

    await expect(s3.send(new GetObjectCommand({ Bucket, Key: 'gone' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  test('GIVEN an object with metadata WHEN it is copied to a key with a space in another bucket THEN body, ETag and metadata come along', async () => {
    const source = await newBucket();
    const target = await newBucket();
    const put = await s3.send(
      new PutObjectCommand({ Bucket: source, Key: 'src key.txt', Body: 'copied', Metadata: { a: '1' } }),
    );

    const copy = await s3.send(
      new CopyObjectCommand({
        Bucket: target,
        Key: 'dst key.txt',
        CopySource: `${source}/${encodeURIComponent('src key.txt')}`,
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: target, Key: 'dst key.txt' }));

    expect(copy.CopyObjectResult?.ETag).toBe(put.ETag);
    expect(head.Metadata).toEqual({ a: '1' });
    expect(await getText(target, 'dst key.txt')).toBe('copied');
  });

  test('GIVEN a copy with MetadataDirective REPLACE WHEN it is headed THEN the new metadata replaces the old', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', Metadata: { old: '1' } }));

    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'k',
        CopySource: `${Bucket}/k`,
        MetadataDirective: 'REPLACE',
        Metadata: { fresh: '2' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }));

    expect(head.Metadata).toEqual({ fresh: '2' });
  });

  test('GIVEN no such source WHEN it is copied THEN the SDK raises NoSuchKey', async () => {
    const Bucket = await newBucket();

    await expect(
      s3.send(new CopyObjectCommand({ Bucket, Key: 'k', CopySource: `${Bucket}/missing` })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  test('GIVEN three objects WHEN two and a missing key are deleted in one DeleteObjects call THEN all three are reported deleted and one object remains', async () => {
    const Bucket = await newBucket();
    for (const Key of ['a', 'b', 'c']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));

    const res = await s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }, { Key: 'nope' }] } }),
    );
    const left = await s3.send(new ListObjectsV2Command({ Bucket }));

    expect(res.Deleted?.map((d) => d.Key).sort()).toEqual(['a', 'b', 'nope']);
    expect(left.Contents?.map((c) => c.Key)).toEqual(['c']);
  });
});

describe('S3 listings', () => {
  let Bucket: string;
  const keys = ['a.txt', 'logs/2026/01.log', 'logs/2026/02.log', 'logs/2027/01.log', 'logs/readme', 'z.txt'];

  beforeAll(async () => {
    Bucket = await newBucket();
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
  });

  test('GIVEN nested keys WHEN listed with a prefix and a delimiter THEN sub-folders come back as CommonPrefixes and files as Contents', async () => {
    const res = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'logs/', Delimiter: '/' }));

    expect(res.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['logs/2026/', 'logs/2027/']);
    expect(res.Contents?.map((c) => c.Key)).toEqual(['logs/readme']);
    expect(res.KeyCount).toBe(3);
  });

  test('GIVEN six keys WHEN listed two at a time THEN continuation tokens walk through all of them in order', async () => {
    const seen: string[] = [];
    let ContinuationToken: string | undefined;
    let pages = 0;
    do {
      const res = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2, ContinuationToken }));
      seen.push(...(res.Contents ?? []).map((c) => c.Key!));
      expect(res.KeyCount).toBeLessThanOrEqual(2);
      ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
      pages += 1;
    } while (ContinuationToken);

    expect(seen).toEqual(keys);
    expect(pages).toBe(3);
  });

  test('GIVEN grouped keys WHEN listed one entry at a time with a delimiter THEN each common prefix appears once', async () => {
    const entries: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const res = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 1, ContinuationToken }));
      entries.push(...(res.Contents ?? []).map((c) => c.Key!), ...(res.CommonPrefixes ?? []).map((p) => p.Prefix!));
      ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (ContinuationToken);

    expect(entries).toEqual(['a.txt', 'logs/', 'z.txt']);
  });

  test('GIVEN keys WHEN listed with StartAfter THEN only later keys come back', async () => {
    const res = await s3.send(new ListObjectsV2Command({ Bucket, StartAfter: 'logs/2027/01.log' }));

    expect(res.Contents?.map((c) => c.Key)).toEqual(['logs/readme', 'z.txt']);
  });

  test('GIVEN keys WHEN listed with ListObjects v1 and a marker THEN later keys come back with sizes', async () => {
    const res = await s3.send(new ListObjectsCommand({ Bucket, Marker: 'logs/readme' }));

    expect(res.Contents?.map((c) => [c.Key, c.Size])).toEqual([['z.txt', 5]]);
    expect(res.IsTruncated).toBe(false);
  });
});

describe('S3 multipart upload', () => {
  test('GIVEN two parts of 5 MiB and 1 KiB WHEN the upload completes THEN the object is their concatenation with ETag "<md5 of md5s>-2"', async () => {
    const Bucket = await newBucket();
    const part1 = Buffer.alloc(5 * 1024 * 1024, 'a');
    const part2 = Buffer.alloc(1024, 'b');
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'big', ContentType: 'text/plain' }),
    );

    const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: 'big', UploadId, PartNumber: 1, Body: part1 }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: 'big', UploadId, PartNumber: 2, Body: part2 }));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'big',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
      }),
    );

    const expected = createHash('md5')
      .update(Buffer.concat([Buffer.from(md5(part1), 'hex'), Buffer.from(md5(part2), 'hex')]))
      .digest('hex');
    expect(done.ETag).toBe(`"${expected}-2"`);
    const back = await getBytes(Bucket, 'big');
    expect(back.length).toBe(part1.length + part2.length);
    expect(md5(back)).toBe(md5(Buffer.concat([part1, part2])));
  });

  test('GIVEN a first part under 5 MiB WHEN the upload completes THEN the SDK raises EntityTooSmall', async () => {
    const Bucket = await newBucket();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'small' }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: 'small', UploadId, PartNumber: 1, Body: 'tiny' }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: 'small', UploadId, PartNumber: 2, Body: 'tiny' }));

    await expect(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'small',
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: p1.ETag },
              { PartNumber: 2, ETag: p2.ETag },
            ],
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'EntityTooSmall', $metadata: { httpStatusCode: 400 } });
  });

  test('GIVEN an aborted upload WHEN a part is uploaded to it THEN the SDK raises NoSuchUpload (404)', async () => {
    const Bucket = await newBucket();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));

    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'k', UploadId }));

    await expect(
      s3.send(new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber: 1, Body: 'x' })),
    ).rejects.toMatchObject({
      name: 'NoSuchUpload',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('S3 notification configuration and object events', () => {
  const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:on-upload`;
  const queue = `arn:aws:sqs:${REGION}:${ACCOUNT}:uploads`;
  const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:removed`;

  test('GIVEN a configuration with a function, a queue and a topic WHEN it is read back THEN the same targets, events and key filters come back', async () => {
    const Bucket = await newBucket();

    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Id: 'images',
              LambdaFunctionArn: fn,
              Events: ['s3:ObjectCreated:*'],
              Filter: {
                Key: {
                  FilterRules: [
                    { Name: 'prefix', Value: 'images/' },
                    { Name: 'suffix', Value: '.jpg' },
                  ],
                },
              },
            },
          ],
          QueueConfigurations: [
            { Id: 'all', QueueArn: queue, Events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:Copy'] },
          ],
          TopicConfigurations: [{ Id: 'gone', TopicArn: topic, Events: ['s3:ObjectRemoved:*'] }],
        },
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));

    expect(got.LambdaFunctionConfigurations).toEqual([
      {
        Id: 'images',
        LambdaFunctionArn: fn,
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'prefix', Value: 'images/' },
              { Name: 'suffix', Value: '.jpg' },
            ],
          },
        },
      },
    ]);
    expect(got.QueueConfigurations).toEqual([
      { Id: 'all', QueueArn: queue, Events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:Copy'] },
    ]);
    expect(got.TopicConfigurations).toEqual([{ Id: 'gone', TopicArn: topic, Events: ['s3:ObjectRemoved:*'] }]);
  });

  test('GIVEN a stored configuration WHEN the engine reads it in-process THEN it gets the typed targets', async () => {
    const Bucket = await newBucket();
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              LambdaFunctionArn: fn,
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.csv' }] } },
            },
          ],
        },
      }),
    );

    const config = (endpoint.service('s3') as S3Service).notificationConfiguration(Bucket);

    expect(config?.lambdaFunctions).toEqual([
      {
        id: expect.any(String),
        arn: fn,
        events: ['s3:ObjectCreated:*'],
        filterRules: [{ name: 'suffix', value: '.csv' }],
      },
    ]);
    expect(config?.queues).toEqual([]);
  });

  test('GIVEN a bucket without configuration WHEN its configuration is read THEN it is empty', async () => {
    const Bucket = await newBucket();

    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));

    expect(got.LambdaFunctionConfigurations ?? []).toEqual([]);
    expect(got.QueueConfigurations ?? []).toEqual([]);
  });

  test('GIVEN a put, a copy, a multipart upload and deletes WHEN they succeed THEN the bus gets one event each with raw keys, sizes and increasing sequencers', async () => {
    const Bucket = await newBucket();

    const events = await eventsDuring(async () => {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'in box/a.txt', Body: 'hello' }));
      await s3.send(
        new CopyObjectCommand({
          Bucket,
          Key: 'copy.txt',
          CopySource: `${Bucket}/${encodeURIComponent('in box/a.txt')}`,
        }),
      );
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp' }));
      const p = await s3.send(new UploadPartCommand({ Bucket, Key: 'mp', UploadId, PartNumber: 1, Body: 'part' }));
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'mp',
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] },
        }),
      );
      await s3.send(new DeleteObjectCommand({ Bucket, Key: 'copy.txt' }));
      await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'mp' }] } }));
    });

    expect(events.map((e) => [e.eventName, e.key, e.size])).toEqual([
      ['ObjectCreated:Put', 'in box/a.txt', 5],
      ['ObjectCreated:Copy', 'copy.txt', 5],
      ['ObjectCreated:CompleteMultipartUpload', 'mp', 4],
      ['ObjectRemoved:Delete', 'copy.txt', undefined],
      ['ObjectRemoved:Delete', 'mp', undefined],
    ]);
    expect(events[0]).toMatchObject({ bucket: Bucket, eTag: md5('hello'), sourceIp: '127.0.0.1' });
    expect(events[0]!.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const sequencers = events.map((e) => e.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(5);
  });

  test('GIVEN a failed put WHEN it is rejected THEN no event is published', async () => {
    const Bucket = await newBucket();

    const events = await eventsDuring(() =>
      s3
        .send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'data', ChecksumCRC32: 'AAAAAA==' }))
        .catch(() => undefined),
    );

    expect(events).toEqual([]);
  });
});

describe('S3 operations the local service lacks', () => {
  test('GIVEN a bucket WHEN its tagging is read THEN the SDK gets NotImplemented (501) naming the sub-resource', async () => {
    const Bucket = await newBucket();

    await expect(s3.send(new GetBucketTaggingCommand({ Bucket }))).rejects.toMatchObject({
      name: 'NotImplemented',
      message: expect.stringContaining('tagging'),
      $metadata: { httpStatusCode: 501 },
    });
  });
});

describe('S3 uploads framed by other clients', () => {
  const signed = (payloadHash: string, extra: Record<string, string>): Record<string, string> => ({
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${REGION}/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
    'x-amz-date': '20260101T000000Z',
    'x-amz-content-sha256': payloadHash,
    ...extra,
  });

  test('GIVEN a body in SigV4-signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) WHEN it is put THEN the decoded bytes are stored', async () => {
    const Bucket = await newBucket();
    const sig = `;chunk-signature=${'a'.repeat(64)}\r\n`;
    const body = `5${sig}hello\r\n6${sig} world\r\n0${sig}\r\n`;

    const res = await fetch(`${endpoint.url}/${Bucket}/signed.txt`, {
      method: 'PUT',
      headers: signed('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '11',
      }),
      body,
    });

    expect(res.status).toBe(200);
    expect(await getText(Bucket, 'signed.txt')).toBe('hello world');
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'signed.txt' }))).ContentEncoding).toBeUndefined();
  });

  test('GIVEN an aws-chunked body shorter than x-amz-decoded-content-length WHEN it is put THEN 400 IncompleteBody', async () => {
    const Bucket = await newBucket();

    const res = await fetch(`${endpoint.url}/${Bucket}/short.txt`, {
      method: 'PUT',
      headers: signed('STREAMING-UNSIGNED-PAYLOAD-TRAILER', {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '99',
      }),
      body: '5\r\nhello\r\n0\r\n\r\n',
    });

    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>IncompleteBody</Code>');
  });
});

describe('S3 virtual-host style addressing', () => {
  test('GIVEN a bucket WHEN an object is put with Host <bucket>.localhost THEN it lands in that bucket', async () => {
    const Bucket = await newBucket();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: endpoint.port,
          method: 'PUT',
          path: '/vh%20key.txt',
          headers: {
            host: `${Bucket}.localhost:${endpoint.port}`,
            authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
            'x-amz-date': '20260101T000000Z',
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('virtual host');
    });

    expect(status).toBe(200);
    expect(await getText(Bucket, 'vh key.txt')).toBe('virtual host');
  });
});

describe('S3 malformed requests', () => {
  test('GIVEN a key with a broken percent-encoding WHEN it is requested THEN 400 InvalidURI, not a server error', async () => {
    const Bucket = await newBucket();

    const res = await fetch(`${endpoint.url}/${Bucket}/bad%E0%A4%A`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
      },
    });

    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidURI</Code>');
  });
});
