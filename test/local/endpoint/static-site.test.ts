import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { s3Service } from '../../../local/endpoint/services/s3';
import { ACCOUNT, clientConfig, REGION } from './data-helpers';

let endpoint: Endpoint;

beforeAll(async () => {
  endpoint = await startEndpoint({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    services: [s3Service()],
    staticSite: {
      assets: [
        { path: '/', contentType: 'text/html; charset=utf-8', body: Buffer.from('<h1>page</h1>') },
        { path: '/assets/app.js', contentType: 'text/javascript', body: Buffer.from('console.log(1)') },
      ],
    },
  });
});

afterAll(async () => {
  await endpoint.stop();
});

test('serves the page for an unsigned GET /', async () => {
  // GIVEN an endpoint with a static site
  // WHEN a browser asks for /
  const res = await fetch(`${endpoint.url}/`);

  // THEN it gets the page
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await res.text()).toBe('<h1>page</h1>');
});

test('serves an asset under /assets/ and answers 404 for an unknown one', async () => {
  // GIVEN an endpoint with a static site
  // WHEN the page's script and a missing file are asked for
  const script = await fetch(`${endpoint.url}/assets/app.js`);
  const missing = await fetch(`${endpoint.url}/assets/nope.js`);

  // THEN the script is served and the missing file is a 404
  expect([script.status, await script.text()]).toEqual([200, 'console.log(1)']);
  expect(missing.status).toBe(404);
});

test('leaves a signed request for the same path to the AWS service', async () => {
  // GIVEN a bucket named "assets" holding app.js
  const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'assets' }));
  await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'app.js', Body: 'from S3' }));

  // WHEN the SDK gets /assets/app.js, signed for S3
  const object = await s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'app.js' }));

  // THEN S3 answers, not the static site
  expect(await object.Body?.transformToString()).toBe('from S3');
  s3.destroy();
});
