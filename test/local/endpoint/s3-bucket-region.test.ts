import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Endpoint } from '../../../local/endpoint/server';
import { REGION, clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

let endpoint: Endpoint;
/** Signs for eu-west-2, the test endpoint's region. */
let s3: S3Client;
/** Signs for us-east-1, where any other region's constraint is accepted. */
let virginia: S3Client;

beforeAll(async () => {
  endpoint = await startDataEndpoint();
  s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
  virginia = new S3Client({ ...clientConfig(endpoint), region: 'us-east-1', forcePathStyle: true });
});

afterAll(async () => {
  s3.destroy();
  virginia.destroy();
  await endpoint.stop();
});

async function region(Bucket: string): Promise<{ head?: string; location?: string; listed?: string }> {
  const head = await s3.send(new HeadBucketCommand({ Bucket }));
  const location = await s3.send(new GetBucketLocationCommand({ Bucket }));
  const listed = (await s3.send(new ListBucketsCommand({}))).Buckets?.find((b) => b.Name === Bucket);
  return { head: head.BucketRegion, location: location.LocationConstraint ?? '', listed: listed?.BucketRegion };
}

describe('S3 CreateBucket LocationConstraint', () => {
  test('GIVEN a constraint equal to the signing region WHEN the bucket is created THEN HeadBucket, GetBucketLocation and ListBuckets report that region', async () => {
    const Bucket = uniqueName('region');

    await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));

    expect(await region(Bucket)).toEqual({ head: REGION, location: REGION, listed: REGION });
  });

  test('GIVEN a request signed for us-east-1 with the constraint ap-southeast-2 WHEN the bucket is created THEN it lives in ap-southeast-2', async () => {
    const Bucket = uniqueName('region');

    await virginia.send(
      new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }),
    );

    expect(await region(Bucket)).toEqual({
      head: 'ap-southeast-2',
      location: 'ap-southeast-2',
      listed: 'ap-southeast-2',
    });
  });

  test('GIVEN a request signed for us-east-1 without a constraint WHEN the bucket is created THEN it lives in us-east-1 and its location is empty', async () => {
    const Bucket = uniqueName('region');

    await virginia.send(new CreateBucketCommand({ Bucket }));

    expect(await region(Bucket)).toEqual({ head: 'us-east-1', location: '', listed: 'us-east-1' });
  });

  test('GIVEN the explicit constraint us-east-1 WHEN the bucket is created THEN InvalidLocationConstraint (400) and no bucket', async () => {
    const Bucket = uniqueName('region');

    await expect(
      virginia.send(
        new CreateBucketCommand({
          Bucket,
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLocationConstraint', $metadata: { httpStatusCode: 400 } });
    await expect(s3.send(new HeadBucketCommand({ Bucket }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  test('GIVEN a constraint that is not a region WHEN the bucket is created THEN InvalidLocationConstraint (400)', async () => {
    await expect(
      s3.send(
        new CreateBucketCommand({
          Bucket: uniqueName('region'),
          CreateBucketConfiguration: { LocationConstraint: 'moon-base' as BucketLocationConstraint },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLocationConstraint', $metadata: { httpStatusCode: 400 } });
  });

  test('GIVEN a request signed for eu-west-2 with the constraint eu-west-1 WHEN the bucket is created THEN IllegalLocationConstraintException (400)', async () => {
    await expect(
      s3.send(
        new CreateBucketCommand({
          Bucket: uniqueName('region'),
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'IllegalLocationConstraintException',
      message:
        'The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
