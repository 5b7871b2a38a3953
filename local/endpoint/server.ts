import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import { LAB_ROUTE_LIMITS, limitsFor, type RequestHead, type RequestLimits } from './request-limits';
import { credentialScope, serviceOf, type CredentialScope } from './sigv4';
import { staticSiteHandler, type StaticSite } from './static-site';
import type { EndpointContext, LabBus, LocalService, ServiceRequest, ServiceResponse } from './types';

/** Options of {@link startEndpoint}. */
export interface EndpointOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 4566 */
  readonly port?: number;
  /** Region in ARNs and queue URLs. @default 'us-east-1' */
  readonly region?: string;
  /** Account id in ARNs and queue URLs. @default '000000000000' */
  readonly accountId?: string;
  /** Services to serve; more can be added later with {@link Endpoint.addService}. */
  readonly services?: ReadonlyArray<(ctx: EndpointContext) => LocalService>;
  /** A web page served for unsigned `GET /` and `GET /assets/…` (the lab console). @default none */
  readonly staticSite?: StaticSite;
}

/** A handler for a path prefix that is not an AWS API (`/_lab/…`, API Gateway stage URLs). */
export type RouteHandler = (req: ServiceRequest) => Promise<ServiceResponse>;

/**
 * A raw handler for a path prefix that needs the live response (server-sent events).
 * It returns false to fall through to the buffered routes.
 */
export type StreamingRouteHandler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => boolean;

/**
 * Decides, before a service sees a request, whether its caller may make it: an answer (the
 * service's access-denied error) stops the request; `undefined` lets it through. The engine
 * installs its IAM here; the endpoint itself knows nothing of policies.
 */
export type RequestGuard = (req: ServiceRequest) => ServiceResponse | undefined;

/**
 * What `GET /_lab/health` says of the app's deployment, as the engine reports it: scripts and the
 * console wait for `ready` (the answer is 503 until then, and after a failure).
 */
export type DeploymentReport =
  | { readonly state: 'deploying'; readonly step: string }
  | { readonly state: 'ready'; readonly stacks: readonly string[] }
  | { readonly state: 'failed'; readonly reason: string };

/** The running endpoint. */
export interface Endpoint extends EndpointContext {
  readonly port: number;
  readonly url: string;
  /** Adds (or replaces) the service for a signing name, e.g. the engine's `lambda` and `cloudformation`. */
  addService(factory: (ctx: EndpointContext) => LocalService): LocalService;
  /**
   * Serves a path prefix such as `/_lab/events` or `/restapis/`. Longest prefix wins. `limits` bounds
   * its bodies and answer time. @default small JSON bodies, answered within 10 s
   */
  addRoute(prefix: string, handler: RouteHandler, limits?: RequestLimits): void;
  /** Serves a path prefix with the raw request and response (for streaming answers). */
  addStreamingRoute(prefix: string, handler: StreamingRouteHandler): void;
  service(name: string): LocalService | undefined;
  /** Installs (or with `undefined` removes) the guard every service request passes first. */
  setGuard(guard: RequestGuard | undefined): void;
  /** Makes `/_lab/health` report the deployment (its `status` is `ok` only once it is `ready`). */
  reportDeployment(report: () => DeploymentReport): void;
  stop(): Promise<void>;
}

/** How much of an oversized body is read (and dropped) before the 413, so the client sees it. */
const DRAIN_BYTES = 64 * 1024 * 1024;

/** HTTP/2 connection preface; the first bytes of every h2c connection. */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/** Headers HTTP/2 forbids in responses (RFC 9113 §8.2.2). */
const CONNECTION_HEADERS = new Set(['transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'proxy-connection']);

/**
 * Starts the one AWS-compatible endpoint: one loopback port for every service, HTTP/1.1 and
 * cleartext HTTP/2 on the same socket (the SDK's Kinesis client speaks HTTP/2 by default),
 * requests routed by the service in the SigV4 credential scope.
 */
export async function startEndpoint(opts: EndpointOptions = {}): Promise<Endpoint> {
  const region = opts.region ?? 'us-east-1';
  const accountId = opts.accountId ?? '000000000000';
  const bus: LabBus = new EventEmitter();
  bus.setMaxListeners(100);
  const services = new Map<string, LocalService>();
  const routes: Array<[string, Route]> = [];
  const streamingRoutes: Array<[string, StreamingRouteHandler]> = [];
  let port = opts.port ?? 4566;
  let guard: RequestGuard | undefined;

  const ctx: EndpointContext = {
    region,
    accountId,
    bus,
    baseUrl: () => `http://127.0.0.1:${port}`,
    service: (name) => services.get(name),
  };

  const addService = (factory: (c: EndpointContext) => LocalService): LocalService => {
    const service = factory(ctx);
    services.set(service.name, service);
    return service;
  };
  for (const factory of opts.services ?? []) addService(factory);

  let deployment: (() => DeploymentReport) | undefined;
  const health = async (): Promise<ServiceResponse> => {
    const states: Record<string, string> = {};
    for (const [name, service] of services) states[name] = service.health?.() ?? 'running';
    const report = deployment?.();
    const status = !report || report.state === 'ready' ? 'ok' : report.state;
    return json(status === 'ok' ? 200 : 503, {
      status,
      region,
      accountId,
      services: states,
      ...(report ? { deployment: report } : {}),
    });
  };
  routes.push(['/_lab/health', { handler: health, limits: LAB_ROUTE_LIMITS }]);

  const site = opts.staticSite ? staticSiteHandler(opts.staticSite) : () => undefined;
  /** An unsigned request (a browser's, a CORS preflight) goes to the service that owns its path, if any. */
  const ownerOfUnsigned = (req: ServiceRequest): LocalService | undefined =>
    req.service === '' ? [...services.values()].find((s) => s.ownsUnsigned?.(req)) : undefined;

  const route = async (req: ServiceRequest): Promise<ServiceResponse> => {
    const page = site(req);
    if (page) return page;
    const byPrefix = longestPrefix(routes, req.path);
    if (byPrefix) return byPrefix.handler(req);
    const service = services.get(req.service);
    if (service) return guard?.(req) ?? service.handle(req);
    // An unsigned request names no caller for the guard; its owner answers it as AWS answers anonymous
    // callers (S3: 403 AccessDenied, and CORS preflights from the bucket's rules).
    const owner = ownerOfUnsigned(req);
    if (owner) return owner.handle(req);
    return unknownService(req);
  };

  const onRequest = (
    raw: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ): void => {
    const rawPath = (raw.url ?? '/').split('?')[0] ?? '/';
    const streaming = longestPrefix(streamingRoutes, rawPath);
    try {
      if (streaming?.(raw, res)) return;
    } catch {
      // A broken streaming handler answers 500 instead of taking the endpoint down.
      if (!res.headersSent) writeResponse(res, json(500, { message: `Internal error serving ${rawPath}` }));
      else res.destroy();
      return;
    }
    const head = requestHead(raw);
    const byRoute = longestPrefix(routes, head.path);
    const limits = byRoute ? byRoute.limits : limitsFor(head.service);
    // An oversized body is never buffered. A declared one up to DRAIN_BYTES past the limit is read and
    // dropped before the answer, so a client still uploading reads the error instead of a reset
    // connection; beyond that, and for chunked bodies, the answer goes at once and the rest is dropped.
    const declared = Number(raw.headers['content-length'] ?? 0);
    const tooLarge = (): void => {
      if (!res.headersSent) writeResponse(res, limits.tooLarge(head, Math.max(declared, size)));
    };
    const giveUp = (): void => {
      raw.removeAllListeners('data');
      raw.resume();
      tooLarge();
    };
    let size = 0;
    if (declared > limits.maxBodyBytes + DRAIN_BYTES) {
      giveUp();
      return;
    }
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limits.maxBodyBytes) chunks.push(chunk);
      // A chunked body has no end in sight: answer now, keep dropping what comes.
      else if (!declared || size > limits.maxBodyBytes + DRAIN_BYTES) giveUp();
      else chunks.length = 0;
    });
    raw.on('error', () => res.destroy());
    raw.on('end', () => {
      if (size > limits.maxBodyBytes || declared > limits.maxBodyBytes) {
        tooLarge();
        return;
      }
      let req: ServiceRequest;
      try {
        req = toServiceRequest(raw, head, Buffer.concat(chunks), region);
      } catch (err) {
        writeResponse(res, json(400, { message: `Malformed request: ${(err as Error).message}` }));
        return;
      }
      answerInTime(route(req), req, limits)
        .catch((err: unknown) => internalError(req, err, limits))
        .then((answer) => writeResponse(res, answer))
        .catch(() => res.destroy());
    });
  };

  const h1 = http.createServer({ keepAliveTimeout: 60_000 }, onRequest);
  h1.on('clientError', answerParseError);
  const h2 = http2.createServer({}, onRequest);
  h2.on('sessionError', () => undefined);
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    // As http.createServer does by default: small request/response exchanges must not wait on Nagle.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      if (first.subarray(0, H2_PREFACE.length).equals(H2_PREFACE)) {
        h2.emit('connection', relay(socket, first));
      } else {
        socket.unshift(first);
        h1.emit('connection', socket);
        socket.resume();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => {
      front.off('error', reject);
      resolve();
    });
  });
  port = (front.address() as net.AddressInfo).port;

  return {
    ...ctx,
    port,
    url: `http://127.0.0.1:${port}`,
    addService,
    addRoute(prefix, handler, limits = LAB_ROUTE_LIMITS) {
      const i = routes.findIndex(([p]) => p === prefix);
      if (i >= 0) routes.splice(i, 1);
      routes.push([prefix, { handler, limits }]);
    },
    addStreamingRoute(prefix, handler) {
      streamingRoutes.push([prefix, handler]);
    },
    service: (name) => services.get(name),
    setGuard(next) {
      guard = next;
    },
    reportDeployment(report) {
      deployment = report;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      h1.close();
      h2.close();
      await Promise.all([...services.values()].map((s) => s.close?.()));
      bus.removeAllListeners();
    },
  };
}

/**
 * Answers a request Node's HTTP parser rejected (431 for headers over 16 KiB, 400 for anything
 * else that is not HTTP), as Node does by default, but then keeps reading what the client still
 * sends for a while: closing with unread bytes would reset the connection and lose the answer.
 */
function answerParseError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  // No FIN yet: the client reads a complete answer (Content-Length: 0, Connection: close) and closes.
  socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.on('end', () => socket.destroy());
  socket.resume();
  setTimeout(() => socket.destroy(), 5_000).unref();
}

/** Sockets whose parse error has been answered (the parser reports one per chunk that follows). */
const answered = new WeakSet<Duplex>();

function longestPrefix<T>(table: ReadonlyArray<readonly [string, T]>, path: string): T | undefined {
  let best: readonly [string, T] | undefined;
  for (const entry of table) {
    if (path.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

interface Route {
  readonly handler: RouteHandler;
  readonly limits: RequestLimits;
}

/** What the front knows before reading the body: the path, the headers and the service they name. */
interface ParsedHead extends RequestHead {
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  readonly scope: CredentialScope | undefined;
}

function requestHead(raw: http.IncomingMessage | http2.Http2ServerRequest): ParsedHead {
  const url = raw.url ?? '/';
  const q = url.indexOf('?');
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const scope = credentialScope(headers, query);
  return {
    method: raw.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    rawQuery,
    query,
    headers,
    scope,
    service: serviceOf(headers, scope) ?? '',
  };
}

function toServiceRequest(
  raw: http.IncomingMessage | http2.Http2ServerRequest,
  head: ParsedHead,
  body: Buffer,
  defaultRegion: string,
): ServiceRequest {
  const host = head.headers.host ?? (raw.headers[':authority'] as string | undefined) ?? '127.0.0.1';
  return {
    method: head.method,
    path: head.path,
    rawQuery: head.rawQuery,
    query: head.query,
    headers: head.headers,
    body,
    service: head.service,
    region: head.scope?.region ?? defaultRegion,
    sourceIp: (raw.socket?.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    baseUrl: `http://${host}`,
  };
}

/**
 * The service's answer, or its `InternalFailure` when a service that never waits on purpose has not
 * answered within its bound: a bug then costs one error, never a socket left open.
 */
function answerInTime(
  work: Promise<ServiceResponse>,
  req: ServiceRequest,
  limits: RequestLimits,
): Promise<ServiceResponse> {
  const ms = limits.answerWithinMs;
  if (ms === undefined) return work;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const what = req.service ? `The local '${req.service}' service` : `The local endpoint`;
      resolve(limits.internal(req, `${what} did not answer ${req.method} ${req.path} within ${ms} ms.`));
    }, ms);
    work.then(
      (answer) => {
        clearTimeout(timer);
        resolve(answer);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function writeResponse(res: http.ServerResponse | http2.Http2ServerResponse, answer: ServiceResponse): void {
  // The client went away (or the endpoint stopped and destroyed its sockets) while the answer was being
  // computed: writing to a detached response trips an internal assertion in Node's HTTP server.
  if (res.destroyed || res.writableEnded || (res as http.ServerResponse).socket?.destroyed === true) return;
  const isH2 = 'stream' in res;
  const body =
    answer.body === undefined ? undefined : Buffer.isBuffer(answer.body) ? answer.body : Buffer.from(answer.body);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers ?? {})) {
    if (isH2 && CONNECTION_HEADERS.has(name.toLowerCase())) continue;
    headers[name.toLowerCase()] = typeof value === 'string' ? value : [...value];
  }
  if (body && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  (res as http.ServerResponse).writeHead(answer.status, headers);
  (res as http.ServerResponse).end(body);
}

/**
 * Gives the HTTP/2 server a duplex that replays the sniffed first chunk: Node's http2 reads
 * from the socket's native handle, so bytes put back with `unshift` would be lost.
 */
function relay(socket: net.Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy();
      callback(err);
    },
  });
  duplex.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

/** A JSON answer. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

function unknownService(req: ServiceRequest): ServiceResponse {
  const what = req.service ? `the service '${req.service}'` : `unsigned requests to ${req.method} ${req.path}`;
  return json(
    400,
    { __type: 'UnknownServiceException', message: `The local endpoint does not serve ${what}.` },
    { 'x-amzn-errortype': 'UnknownServiceException' },
  );
}

function internalError(req: ServiceRequest, err: unknown, limits: RequestLimits): ServiceResponse {
  const message = `Internal error in the local '${req.service}' service: ${err instanceof Error ? err.message : String(err)}`;
  return limits.internal(req, message);
}
