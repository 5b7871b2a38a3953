import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import { credentialScope, serviceOf } from './sigv4';
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

/** The running endpoint. */
export interface Endpoint extends EndpointContext {
  readonly port: number;
  readonly url: string;
  /** Adds (or replaces) the service for a signing name, e.g. the engine's `lambda` and `cloudformation`. */
  addService(factory: (ctx: EndpointContext) => LocalService): LocalService;
  /** Serves a path prefix such as `/_lab/events` or `/restapis/`. Longest prefix wins. */
  addRoute(prefix: string, handler: RouteHandler): void;
  /** Serves a path prefix with the raw request and response (for streaming answers). */
  addStreamingRoute(prefix: string, handler: StreamingRouteHandler): void;
  service(name: string): LocalService | undefined;
  stop(): Promise<void>;
}

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
  const routes: Array<[string, RouteHandler]> = [];
  const streamingRoutes: Array<[string, StreamingRouteHandler]> = [];
  let port = opts.port ?? 4566;

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

  const health = async (): Promise<ServiceResponse> => {
    const states: Record<string, string> = {};
    for (const [name, service] of services) states[name] = service.health?.() ?? 'running';
    return json(200, { status: 'ok', region, accountId, services: states });
  };
  routes.push(['/_lab/health', health]);

  /** An unsigned request (a browser's, a CORS preflight) goes to the service that owns its path, if any. */
  const ownerOfUnsigned = (req: ServiceRequest): LocalService | undefined =>
    req.service === '' ? [...services.values()].find((s) => s.ownsUnsigned?.(req)) : undefined;

  const route = async (req: ServiceRequest): Promise<ServiceResponse> => {
    const byPrefix = longestPrefix(routes, req.path);
    if (byPrefix) return byPrefix(req);
    const service = services.get(req.service) ?? ownerOfUnsigned(req);
    if (service) return service.handle(req);
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
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('error', () => res.destroy());
    raw.on('end', () => {
      let req: ServiceRequest;
      try {
        req = toServiceRequest(raw, Buffer.concat(chunks), region);
      } catch (err) {
        writeResponse(res, json(400, { message: `Malformed request: ${(err as Error).message}` }));
        return;
      }
      route(req)
        .catch((err: unknown) => internalError(req, err))
        .then((answer) => writeResponse(res, answer))
        .catch(() => res.destroy());
    });
  };

  const h1 = http.createServer({ keepAliveTimeout: 60_000 }, onRequest);
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
    addRoute(prefix, handler) {
      const i = routes.findIndex(([p]) => p === prefix);
      if (i >= 0) routes.splice(i, 1);
      routes.push([prefix, handler]);
    },
    addStreamingRoute(prefix, handler) {
      streamingRoutes.push([prefix, handler]);
    },
    service: (name) => services.get(name),
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

function longestPrefix<T>(table: ReadonlyArray<readonly [string, T]>, path: string): T | undefined {
  let best: readonly [string, T] | undefined;
  for (const entry of table) {
    if (path.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

function toServiceRequest(
  raw: http.IncomingMessage | http2.Http2ServerRequest,
  body: Buffer,
  defaultRegion: string,
): ServiceRequest {
  const url = raw.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const scope = credentialScope(headers, query);
  const host = headers.host ?? (raw.headers[':authority'] as string | undefined) ?? '127.0.0.1';
  return {
    method: raw.method ?? 'GET',
    path,
    rawQuery,
    query,
    headers,
    body,
    service: serviceOf(headers, scope) ?? '',
    region: scope?.region ?? defaultRegion,
    sourceIp: (raw.socket?.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    baseUrl: `http://${host}`,
  };
}

function writeResponse(res: http.ServerResponse | http2.Http2ServerResponse, answer: ServiceResponse): void {
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

function internalError(req: ServiceRequest, err: unknown): ServiceResponse {
  const message = `Internal error in the local '${req.service}' service: ${err instanceof Error ? err.message : String(err)}`;
  return json(500, { __type: 'InternalFailure', message }, { 'x-amzn-errortype': 'InternalFailure' });
}
