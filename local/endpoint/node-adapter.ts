import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { ServiceResponse } from './types';

/** A buffered request handed to a Node `http.Server` request handler without a socket. */
export interface NodeRequestInit {
  readonly method: string;
  /** Path and query, e.g. `/` or `/bucket?list-type=2`. */
  readonly url: string;
  /** Lower-case header names, as Node's `IncomingMessage` has them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Anything that serves `'request'` events like an `http.Server` (dynalite, kinesalite). */
export type RequestEmitter = Pick<EventEmitter, 'emit' | 'listenerCount'>;

/** Response headers HTTP/2 forbids and our front computes itself. */
const DROPPED_HEADERS = new Set(['transfer-encoding', 'connection', 'keep-alive']);

/**
 * Collects what a Node request handler writes: the subset of `http.ServerResponse` that
 * dynalite and kinesalite call (`statusCode`, `setHeader`, `getHeader`, `removeHeader`,
 * `writeHead`, `write`, `end`).
 */
class CollectingResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  finished = false;
  private readonly headers = new Map<string, string | string[]>();
  private readonly chunks: Buffer[] = [];

  constructor(private readonly done: (answer: ServiceResponse) => void) {
    super();
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), typeof value === 'number' ? String(value) : (value as string | string[]));
    return this;
  }

  getHeader(name: string): string | string[] | undefined {
    return this.headers.get(name.toLowerCase());
  }

  removeHeader(name: string): void {
    this.headers.delete(name.toLowerCase());
  }

  writeHead(status: number, headers?: Record<string, string | number>): this {
    this.statusCode = status;
    for (const [name, value] of Object.entries(headers ?? {})) this.setHeader(name, value);
    this.headersSent = true;
    return this;
  }

  write(chunk: string | Buffer): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return true;
  }

  end(chunk?: string | Buffer | null): this {
    if (this.finished) return this;
    if (chunk !== undefined && chunk !== null) this.write(chunk);
    this.finished = true;
    this.headersSent = true;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of this.headers) if (!DROPPED_HEADERS.has(name)) headers[name] = value;
    const body = Buffer.concat(this.chunks);
    headers['content-length'] = String(body.length);
    this.done({ status: this.statusCode, headers, body });
    this.emit('finish');
    return this;
  }
}

/** Options of {@link dispatchToNodeServer}. */
export interface DispatchOptions {
  /**
   * The answer when the engine throws while handling the request, or does not answer in time:
   * the service's own 500 error in AWS form.
   */
  readonly onFailure: (err: Error) => ServiceResponse;
  /**
   * Real milliseconds the engine may take before {@link onFailure} answers for it (an engine that
   * throws from one of its own asynchronous callbacks never answers).
   * @default 60_000
   */
  readonly timeoutMs?: number;
}

/**
 * Runs a registry engine's `http.Server` request handler in-process on a buffered request:
 * the engine never listens on a port of its own (issue 3: one loopback port for everything).
 * The request is a `Readable` carrying `method`, `url` and `headers`; the response collects
 * what the handler writes. Whatever the engine throws while it handles the request, and an
 * engine that never answers, becomes `options.onFailure`'s answer instead of a hung socket.
 */
export function dispatchToNodeServer(
  server: RequestEmitter,
  init: NodeRequestInit,
  options: DispatchOptions,
): Promise<ServiceResponse> {
  return new Promise((resolve) => {
    const timeoutMs = options.timeoutMs ?? 60_000;
    let settled = false;
    const settle = (answer: ServiceResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(answer);
    };
    const fail = (err: unknown): void => settle(options.onFailure(err instanceof Error ? err : new Error(String(err))));
    const deadline = setTimeout(() => fail(new Error(`The engine did not answer within ${timeoutMs} ms.`)), timeoutMs);
    deadline.unref();
    const req = new Readable({ read() {} }) as Readable & {
      method: string;
      url: string;
      headers: Record<string, string>;
      httpVersion: string;
    };
    req.method = init.method;
    req.url = init.url;
    req.headers = { ...init.headers, 'content-length': String(init.body.length) };
    req.httpVersion = '1.1';
    // The engines parse and validate inside their 'data'/'end' listeners; a throw there would
    // otherwise escape as an uncaught exception and leave the request unanswered.
    const emit = req.emit.bind(req);
    req.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
      try {
        return emit(event, ...args);
      } catch (err) {
        fail(err);
        return true;
      }
    }) as typeof req.emit;
    if (init.body.length > 0) req.push(init.body);
    req.push(null);
    try {
      server.emit('request', req, new CollectingResponse(settle));
    } catch (err) {
      fail(err);
    }
  });
}
