import * as net from 'node:net';
import type { FuzzRequest, Protocol } from './generators';

/** How one request ended. */
export type OutcomeKind = '2xx' | '3xx' | '4xx' | '5xx' | 'timeout' | 'no-answer';

/** The answer to one fuzz request, judged. */
export interface Outcome {
  readonly kind: OutcomeKind;
  readonly status?: number;
  /** Whether an error answer has the protocol's wire form; `n/a` for successes and HTTP-level refusals. */
  readonly wire: 'ok' | 'bad' | 'n/a';
  readonly ms: number;
  /** The first bytes of the answer, for a failure message. */
  readonly excerpt: string;
}

/** Statuses Node.js's HTTP parser answers itself, before any service sees the request. */
const HTTP_LEVEL = new Set([400, 413, 431]);

/**
 * Sends a request as raw bytes over a fresh connection (`Connection: close`), so malformed escapes,
 * garbled headers and odd methods reach the endpoint as written, and reads the answer until it is
 * whole (by `Content-Length`) or the server closes. No answer within `timeoutMs` is a `timeout`; a close without a status line is
 * `no-answer`.
 */
export function exchange(port: number, req: FuzzRequest, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (kind?: 'timeout'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(judge(req, Buffer.concat(chunks), performance.now() - started, kind));
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks))) finish();
    });
    socket.on('close', () => finish());
    socket.on('error', () => finish());
    socket.on('end', () => finish());
    const head = [
      `${req.method} ${req.path} HTTP/1.1`,
      `host: 127.0.0.1:${port}`,
      'connection: close',
      `content-length: ${req.body.length}`,
      ...req.headers.map(([name, value]) => `${name}: ${value}`),
    ].join('\r\n');
    socket.write(Buffer.from(`${head}\r\n\r\n`, 'latin1'));
    if (req.body.length > 0) socket.write(req.body);
  });
}

/** Whether a buffered answer is whole: its headers and `Content-Length` bytes of body (as an HTTP client reads it). */
function complete(raw: Buffer): boolean {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(raw.subarray(0, split).toString('latin1'));
  return length !== null && raw.length - (split + 4) >= Number(length[1]);
}

function judge(req: FuzzRequest, raw: Buffer, ms: number, timedOut?: 'timeout'): Outcome {
  const text = raw.toString('latin1');
  const excerpt = text.slice(0, 300);
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!statusLine) return { kind: timedOut ?? 'no-answer', wire: 'n/a', ms, excerpt };
  const status = Number(statusLine[1]);
  const split = text.indexOf('\r\n\r\n');
  const headerText = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : raw.subarray(Buffer.byteLength(text.slice(0, split + 4), 'latin1')).toString('utf8');
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const kind: OutcomeKind = status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx';
  let wire: Outcome['wire'] = 'n/a';
  if (status >= 400) {
    const nodeParser = HTTP_LEVEL.has(status) && !headers.has('content-type');
    wire = nodeParser || req.method === 'HEAD' ? 'n/a' : wireFormOk(req.protocol, headers, body) ? 'ok' : 'bad';
  }
  return { kind, status, wire, ms, excerpt };
}

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an error answer has its protocol's form.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#operation-error-serialization
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * @see https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization
 */
export function wireFormOk(protocol: Protocol, headers: ReadonlyMap<string, string>, body: string): boolean {
  switch (protocol) {
    case 'json-1.0':
    case 'json-1.1': {
      // A request whose Content-Type is not AWS JSON gets AWS's 404 UnknownOperationException in the
      // form its Content-Type implies (JSON `Output`, else XML), as kinesalite and dynalite reproduce it.
      if (/^<UnknownOperationException\/>\s*$/.test(body)) return true;
      // Kinesis also speaks CBOR, and answers in it when the request names no JSON Content-Type.
      if (headers.get('content-type')?.startsWith('application/x-amz-cbor')) return body.includes('__type');
      const parsed = jsonObject(body);
      const output = parsed?.Output as Record<string, unknown> | undefined;
      const type = parsed?.__type ?? output?.__type;
      return typeof type === 'string' && type.length > 0;
    }
    case 'query':
      return /<ErrorResponse[\s>]/.test(body) && /<Error>/.test(body) && /<Code>[^<]+<\/Code>/.test(body);
    case 'rest-xml':
      return /<Error>/.test(body) && /<Code>[^<]+<\/Code>/.test(body);
    case 'rest-json':
      return jsonObject(body) !== undefined && (headers.has('x-amzn-errortype') || 'message' in jsonObject(body)!);
    case 'apigateway':
      // Only API Gateway's own errors carry x-amzn-ErrorType; other 4xx are the function's own answer.
      return !headers.has('x-amzn-errortype') || jsonObject(body) !== undefined;
  }
}

/**
 * 5xx answers AWS documents for a request: API Gateway's 502 for a function error or malformed
 * proxy response and 504 for an integration timeout; S3's 501 `NotImplemented` for a feature the
 * (local) service does not implement.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
export function documented5xx(req: FuzzRequest, outcome: Outcome): boolean {
  if (req.protocol === 'apigateway') return outcome.status === 502 || outcome.status === 504;
  return (
    req.protocol === 'rest-xml' && outcome.status === 501 && /NotImplemented|Not Implemented/.test(outcome.excerpt)
  );
}

/** Whether an outcome breaks the endpoint's promise: no answer, an undocumented 5xx, or a foreign error form. */
export function isFailure(req: FuzzRequest, outcome: Outcome): boolean {
  if (outcome.kind === 'timeout' || outcome.kind === 'no-answer') return true;
  if (outcome.kind === '5xx' && !documented5xx(req, outcome)) return true;
  return outcome.wire === 'bad';
}

/** Probes `/_lab/health` every `everyMs` until stopped; collects each answer's latency. */
export function probeHealth(url: string, everyMs: number, boundMs: number): { stop(): Promise<HealthProbe> } {
  const latencies: number[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${url}/_lab/health`, { signal: AbortSignal.timeout(boundMs) });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`status ${res.status}`);
        latencies.push(performance.now() - started);
      } catch (err) {
        failures.push(`no answer within ${boundMs} ms (${(err as Error).name})`);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { latencies, failures };
    },
  };
}

/** What a health probe saw. */
export interface HealthProbe {
  readonly latencies: readonly number[];
  readonly failures: readonly string[];
}

/** The q-quantile (0-1) of some numbers, e.g. p99 = quantile(xs, 0.99). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
