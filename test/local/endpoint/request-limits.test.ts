import * as net from 'node:net';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { snsService } from '../../../local/endpoint/services/sns';
import type { LocalService } from '../../../local/endpoint/types';

const REGION = 'us-east-1';

function signed(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKID/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=00`;
}

/** Sends raw bytes and resolves with everything the server wrote until it closed or `idleMs` passed. */
function rawExchange(port: number, head: string, body: Buffer | string = '', idleMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = (): void => {
      socket.destroy();
      resolve(answer);
    };
    let timer = setTimeout(done, idleMs);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(done, 200);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? done() : reject(err)));
    socket.write(head);
    if (body.length > 0) socket.write(body);
  });
}

/** A service that never answers: a stand-in for a bug in a registry engine. */
const stuck: LocalService = { name: 'ssm', handle: () => new Promise(() => undefined) };

let endpoint: Endpoint;

beforeAll(async () => {
  endpoint = await startEndpoint({ port: 0, region: REGION, services: [snsService(), () => stuck] });
});

afterAll(async () => {
  await endpoint.stop();
});

describe('the endpoint bounds every request', () => {
  test('GIVEN an Invoke declaring a 100 MB body WHEN only its headers arrive THEN 413 RequestEntityTooLargeException answers before the body is read', async () => {
    const head =
      'POST /2015-03-31/functions/f/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Authorization: ${signed('lambda')}\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`;

    const answer = await rawExchange(endpoint.port, head, '{"partial":');

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('x-amzn-errortype: requestentitytoolargeexception');
    expect(answer).toContain('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
  });

  test('GIVEN an Invoke of 7 MB WHEN the whole body is sent on a closing connection THEN the client reads the 413, not a reset', async () => {
    const body = Buffer.alloc(7 * 1024 * 1024, 0x61);
    const head =
      'POST /2015-03-31/functions/f/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' +
      `Authorization: ${signed('lambda')}\r\nContent-Length: ${body.length}\r\n\r\n`;

    const answer = await rawExchange(endpoint.port, head, body);

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('x-amzn-errortype: requestentitytoolargeexception');
  });

  test('GIVEN a chunked SNS body past 1 MiB WHEN it streams in THEN the answer is a 413 Query ErrorResponse', async () => {
    const head =
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      `Authorization: ${signed('sns')}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = Buffer.from('a'.repeat(256 * 1024));
    const body = Buffer.concat(
      Array.from({ length: 5 }, () =>
        Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
      ),
    );

    const answer = await rawExchange(endpoint.port, head, body);

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('<ErrorResponse');
    expect(answer).toContain('<Code>RequestEntityTooLarge</Code>');
  });

  test('GIVEN 64 KiB of headers WHEN they are sent THEN the endpoint answers 431', async () => {
    const head = `GET /_lab/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: ${'j'.repeat(64 * 1024)}\r\n\r\n`;

    const answer = await rawExchange(endpoint.port, head);

    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  test('GIVEN a request line that is not HTTP WHEN it is sent THEN the endpoint answers 400', async () => {
    const answer = await rawExchange(endpoint.port, '\x00\x01garbage \xff\r\n\r\n');

    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });

  test('GIVEN a header the parser rejects WHEN the client keeps uploading after the 400 THEN the endpoint keeps reading instead of resetting', async () => {
    // Half-open, as an uploading client is: the server's end of the answer must not close our side.
    const socket = net.connect({ port: endpoint.port, host: '127.0.0.1', allowHalfOpen: true });
    const errors: string[] = [];
    let closedByServer = false;
    socket.on('error', (err: NodeJS.ErrnoException) => errors.push(err.code ?? err.message));
    socket.on('close', () => (closedByServer = true));
    const answer = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
    socket.write(
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Garbled: a\x01\x02b\r\n' +
        `Authorization: ${signed('sqs')}\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`,
    );

    const first = await answer;
    for (let i = 0; i < 16; i++) {
      await new Promise<void>((resolve) => socket.write(Buffer.alloc(256 * 1024, 0x61), () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const stillOpen = !closedByServer;
    socket.destroy();

    expect(first).toMatch(/^HTTP\/1\.1 400 /);
    expect([stillOpen, errors]).toEqual([true, []]);
  });

  test('GIVEN a service that never answers WHEN it is called THEN the endpoint answers InternalFailure in its JSON form', async () => {
    const res = await fetch(`${endpoint.url}/`, {
      method: 'POST',
      headers: {
        authorization: signed('ssm'),
        'x-amz-target': 'AmazonSSM.GetParameter',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{"Name":"x"}',
    });

    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ __type: 'InternalFailure', message: expect.stringContaining("'ssm'") });
  }, 30_000);

  test('GIVEN a stuck request in flight WHEN health is asked THEN it answers at once', async () => {
    const abort = new AbortController();
    const pending = fetch(`${endpoint.url}/`, {
      signal: abort.signal,
      method: 'POST',
      headers: { authorization: signed('ssm'), 'x-amz-target': 'AmazonSSM.GetParameter' },
      body: '{}',
    });

    const health = await fetch(`${endpoint.url}/_lab/health`);

    expect(health.status).toBe(200);
    abort.abort();
    await pending.catch(() => undefined);
  });
});
