import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { REGION, clientConfig, startDataEndpoint } from './data-helpers';

let endpoint: Endpoint;

beforeAll(async () => {
  endpoint = await startDataEndpoint();
});

afterAll(async () => {
  await endpoint.stop();
});

function h1Get(path: string): Promise<{ status: number; version: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: endpoint.port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, version: res.httpVersion, body }));
      })
      .on('error', reject);
  });
}

function h2Get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${endpoint.port}`);
    session.on('error', reject);
    const stream = session.request({ ':path': path, ':method': 'GET' });
    let status = 0;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (c: string) => (body += c));
    stream.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    stream.on('error', reject);
    stream.end();
  });
}

/** Listening TCP sockets on `port` from /proc/net/tcp{,6}, as "address:port" in hex (Linux). */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`)) found.push(cols[1]);
    }
  }
  return found;
}

describe('the endpoint front', () => {
  test('GIVEN a streaming route that throws WHEN it is requested THEN it answers 500 and the endpoint keeps serving', async () => {
    endpoint.addStreamingRoute('/_test/broken-stream', () => {
      throw new Error('boom');
    });

    const broken = await h1Get('/_test/broken-stream');
    const health = await h1Get('/_lab/health');

    expect(broken.status).toBe(500);
    expect(JSON.parse(broken.body)).toEqual({ message: 'Internal error serving /_test/broken-stream' });
    expect(health.status).toBe(200);
  });

  test('GIVEN the data services WHEN GET /_lab/health is called THEN 200 lists each service as running', async () => {
    const res = await h1Get('/_lab/health');

    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      status: 'ok',
      region: REGION,
      services: { s3: 'running', kinesis: 'running', dynamodb: 'running', dynamodbstreams: 'running' },
    });
  });

  test('GIVEN one port WHEN the same path is fetched over HTTP/1.1 and over cleartext HTTP/2 THEN both get 200', async () => {
    const one = await h1Get('/_lab/health');
    const two = await h2Get('/_lab/health');

    expect([one.status, one.version]).toEqual([200, '1.1']);
    expect(two.status).toBe(200);
    expect(JSON.parse(two.body)).toEqual(JSON.parse(one.body));
  });

  test('GIVEN a started endpoint WHEN its listening sockets are listed THEN there is exactly one, on 127.0.0.1', () => {
    if (!existsSync('/proc/net/tcp')) return; // only Linux exposes the socket table this way
    const found = listeners(endpoint.port);

    expect(found).toEqual([`0100007F:${endpoint.port.toString(16).toUpperCase().padStart(4, '0')}`]);
  });

  test('GIVEN a client for a service the endpoint does not serve WHEN it calls THEN it gets UnknownServiceException naming the service', async () => {
    const lambda = new LambdaClient(clientConfig(endpoint));

    await expect(lambda.send(new InvokeCommand({ FunctionName: 'f' }))).rejects.toMatchObject({
      name: 'UnknownServiceException',
      message: expect.stringContaining("'lambda'"),
      $metadata: { httpStatusCode: 400 },
    });
    lambda.destroy();
  });

  test('GIVEN an object WHEN it is fetched with a presigned-style URL (credential scope in the query) THEN the request is routed to S3', async () => {
    const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'presigned-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'presigned-bucket', Key: 'file.txt', Body: 'via query' }));
    s3.destroy();
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `AKIDLOCAL/20260101/${REGION}/s3/aws4_request`,
      'X-Amz-Date': '20260101T000000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': '0'.repeat(64),
    });

    const res = await fetch(`${endpoint.url}/presigned-bucket/file.txt?${query.toString()}`);

    expect(res.status).toBe(200);
    expect(await res.text()).toBe('via query');
  });

  test('GIVEN an unsigned request for no route WHEN it arrives THEN a clear 400 error names what was asked', async () => {
    const res = await h1Get('/nothing-here');

    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      __type: 'UnknownServiceException',
      message: expect.stringContaining('GET /nothing-here'),
    });
  });

  test('GIVEN a stopped endpoint WHEN a client connects to its port THEN the connection is refused', async () => {
    const other = await startEndpoint({ port: 0 });
    const port = other.port;

    await other.stop();
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on('error', resolve);
    });

    expect(error?.code).toBe('ECONNREFUSED');
  });
});
