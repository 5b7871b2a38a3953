import type * as http from 'node:http';
import type * as http2 from 'node:http2';
import type { Endpoint } from '../endpoint/server';
import { json } from '../endpoint/server';
import type { EventSourceKind, TimelineStatus } from '../core/contracts';
import type { Timeline } from '../core/timeline';

const SOURCES: readonly EventSourceKind[] = [
  'invoke',
  'apigateway',
  's3',
  'sns',
  'sqs',
  'kinesis',
  'dynamodb',
  'destination',
];
const STATUSES: readonly TimelineStatus[] = ['in-flight', 'succeeded', 'failed', 'dead-lettered', 'discarded'];

/** Extra read-only views the engine adds under `/_lab/` (stacks, functions). */
export type LabView = () => unknown;

/**
 * The engine's own HTTP API on the endpoint (not an AWS API): the event timeline as JSON
 * (`GET /_lab/events?function=&source=&status=&limit=`, `GET /_lab/events/<id>`) and as a live
 * stream of server-sent events (`GET /_lab/events/stream`), plus views such as `/_lab/stacks`.
 */
export function mountLabApi(endpoint: Endpoint, timeline: Timeline, views: Record<string, LabView> = {}): void {
  endpoint.addRoute('/_lab/events', async (req) => {
    if (req.method !== 'GET') return json(405, { message: `Method ${req.method} not allowed on ${req.path}` });
    const id = req.path.slice('/_lab/events'.length).replace(/^\/+|\/+$/g, '');
    if (id) {
      const event = timeline.get(id);
      return event ? json(200, event) : json(404, { message: `No event with id ${id}` });
    }
    const source = req.query.get('source') ?? undefined;
    const status = req.query.get('status') ?? undefined;
    const limitText = req.query.get('limit');
    const limit = limitText === null ? undefined : Number(limitText);
    if (source !== undefined && !SOURCES.includes(source as EventSourceKind)) {
      return json(400, { message: `source must be one of ${SOURCES.join(', ')} (given ${source})` });
    }
    if (status !== undefined && !STATUSES.includes(status as TimelineStatus)) {
      return json(400, { message: `status must be one of ${STATUSES.join(', ')} (given ${status})` });
    }
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 5000)) {
      return json(400, { message: `limit must be an integer 1-5000 (given ${limitText})` });
    }
    const events = timeline.list({
      functionName: req.query.get('function') ?? undefined,
      source: source as EventSourceKind | undefined,
      status: status as TimelineStatus | undefined,
      limit,
    });
    return json(200, { events });
  });

  endpoint.addStreamingRoute('/_lab/events/stream', (req, res) => serveEventStream(req, res, timeline));

  for (const [name, view] of Object.entries(views)) {
    endpoint.addRoute(`/_lab/${name}`, async () => json(200, view()));
  }
}

/** Streams every timeline change as a server-sent event until the client goes away. */
function serveEventStream(
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
  timeline: Timeline,
): boolean {
  const url = new URL(req.url ?? '/', 'http://local');
  const fn = url.searchParams.get('function');
  const source = url.searchParams.get('source');
  const out = res as http.ServerResponse;
  out.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...('stream' in res ? {} : { connection: 'keep-alive' }),
  });
  out.write(': connected\n\n');
  const unsubscribe = timeline.subscribe((change) => {
    if (fn && change.event.functionName !== fn) return;
    if (source && change.event.source !== source) return;
    out.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
  });
  // A comment every 15 s keeps proxies and browsers from closing an idle stream.
  const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), 15_000);
  const close = (): void => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  req.on('close', close);
  res.on('close', close);
  return true;
}
