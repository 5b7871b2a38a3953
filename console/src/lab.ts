/**
 * The engine's public `/_lab/` API as the console uses it: the event timeline (JSON and the live
 * server-sent stream), the functions' execution environments, the engine's settings and health.
 * The shapes are declared here, from the API's JSON, not imported from the engine.
 */

/** One step of an event's path (`GET /_lab/events/<id>`). */
export interface LabStep {
  readonly kind: string;
  /** Virtual epoch ms. */
  readonly at: number;
  readonly functionName?: string;
  readonly attempt?: number;
  readonly outcome?: string;
  readonly durationMs?: number;
  readonly coldStart?: boolean;
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly logTail?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** One event on the timeline. */
export interface LabEvent {
  readonly id: string;
  readonly source: string;
  readonly functionName?: string;
  readonly resource?: string;
  readonly summary?: string;
  readonly receivedAt: number;
  readonly status: string;
  readonly steps: readonly LabStep[];
}

/** A function's execution environments and counters (`GET /_lab/functions`). */
export interface LabFunction {
  readonly name: string;
  readonly environments: number;
  readonly busy: number;
  readonly idle: number;
  readonly invocations: number;
  readonly coldStarts: number;
  readonly throttles: number;
}

/** The engine's settings (`GET /_lab/engine`). */
export interface LabEngine {
  readonly owner: string;
  readonly region: string;
  readonly timeScale: number;
  readonly deployed: boolean;
}

/** Fetches a `/_lab/` JSON view; rejects with a message naming the path when the engine does not answer. */
export async function labGet<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { cache: 'no-store' });
  } catch {
    throw new Error(`The local engine does not answer (${path}). Is npm start still running?`);
  }
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Handlers of {@link connectEventStream}. */
export interface StreamHandlers {
  onChange(event: LabEvent): void;
  /** The stream (re)connected: a good time to catch up with `/_lab/events`. */
  onOpen(): void;
  /** The stream broke; the browser reconnects by itself. */
  onError(): void;
}

/** Follows `/_lab/events/stream`; returns a function that closes it. */
export function connectEventStream(handlers: StreamHandlers): () => void {
  const source = new EventSource('/_lab/events/stream');
  source.addEventListener('open', () => handlers.onOpen());
  source.addEventListener('error', () => handlers.onError());
  source.addEventListener('change', (message) => {
    const change = JSON.parse((message as MessageEvent<string>).data) as { event: LabEvent };
    handlers.onChange(change.event);
  });
  return () => source.close();
}
