/**
 * Watching what happened to what a run sent, with what a student can see on the target:
 * the orders and attempts tables, the failure and success queues, and the attempts themselves (the engine's
 * timeline locally, the functions' CloudWatch Logs on AWS). One watch serves every delivery of a run, so a
 * burst or a whole `verify` polls each source once per round, not once per order.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Clients } from './clients';
import { readBatchOrderIds } from './stream-batch';
import type { Delivery } from './send';
import { outputOf, SOURCE_INFO, type StackOutputs } from './sources';
import type { Target } from './target';

/** One invocation of the function for an order. */
export interface Attempt {
  /** When it ended, on the wall clock: the engine's timeline locally, the log line's time on AWS. */
  readonly at: number;
  readonly outcome: 'success' | 'error' | 'timeout' | 'crash';
  readonly errorType?: string;
}

/** A message found on a failure or success queue for a delivery. */
export interface QueueFinding {
  readonly queue: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Where a delivery's event ended, as the engine's timeline says (local only). */
export type TimelineStatus = 'in-flight' | 'succeeded' | 'failed' | 'dead-lettered' | 'discarded';

/** The timeline event shape the engine serves at `/_lab/events` (only the fields read here). */
interface LabEvent {
  readonly summary?: string;
  readonly functionName?: string;
  readonly status: TimelineStatus;
  readonly steps: ReadonlyArray<{
    readonly kind: string;
    readonly at: number;
    readonly outcome?: Attempt['outcome'];
    readonly errorType?: string;
    readonly requestId?: string;
    readonly detail?: Readonly<Record<string, unknown>>;
  }>;
}

/** Reads a queue for a run: receives with a short visibility timeout, deletes only the run's own messages. */
class QueueReader {
  private readonly seen = new Map<string, QueueFinding & { receipt: string }>();
  private readonly claimed = new Set<string>();

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly clients: Clients,
  ) {}

  async poll(): Promise<void> {
    const out = await this.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
        // Short, so a student's own messages are back on the queue within seconds.
        VisibilityTimeout: 5,
      }),
    );
    for (const message of out.Messages ?? []) this.remember(message);
  }

  /** Runs `fn` on every message seen so far. */
  async each(fn: (finding: QueueFinding) => Promise<void>): Promise<void> {
    for (const finding of this.seen.values()) await fn(finding);
  }

  /** The first message `match` accepts; it is deleted from the queue, being the run's own. */
  async claim(match: (finding: QueueFinding) => boolean): Promise<QueueFinding | undefined> {
    for (const [id, finding] of this.seen) {
      if (!match(finding)) continue;
      if (!this.claimed.has(id)) {
        this.claimed.add(id);
        await this.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: finding.receipt }));
      }
      return finding;
    }
    return undefined;
  }

  private remember(message: Message): void {
    const id = message.MessageId ?? '';
    const attributes = Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
    );
    const previous = this.seen.get(id);
    const receipt = message.ReceiptHandle ?? '';
    this.seen.set(id, { queue: this.name, body: message.Body ?? '', attributes, receipt });
    // A message received again has a new receipt handle; a claimed one must still be deleted with it.
    if (previous && this.claimed.has(id)) {
      void this.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: receipt }));
    }
  }
}

/** Options of a {@link RunWatch}. */
export interface WatchOptions {
  readonly target: Target;
  readonly clients: Clients;
  readonly outputs: StackOutputs;
  /** A string every order id of the run contains, to filter the functions' logs by. */
  readonly runToken: string;
  /** Wall-clock ms when the run started (log search starts a minute before). */
  readonly startedAt: number;
}

/** What a run has seen so far, refreshed in rounds. */
export class RunWatch {
  private readonly queues = new Map<string, QueueReader>();
  private events: LabEvent[] = [];
  private readonly logLines = new Map<string, Array<{ at: number; message: string; text: string }>>();
  private round: Promise<void> | undefined;
  /** Request ids learned from destination records, by order id: their REPORT lines time each attempt on AWS. */
  private readonly requestIds = new Map<string, string>();
  /** Order ids of each stream on-failure record seen, by its body. */
  private readonly batches = new Map<string, readonly string[]>();

  constructor(private readonly opts: WatchOptions) {}

  /** One polling round over every source the deliveries need; concurrent callers share it. */
  refresh(deliveries: readonly Delivery[]): Promise<void> {
    this.round ??= this.poll(deliveries).finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  private async poll(deliveries: readonly Delivery[]): Promise<void> {
    const sources = new Set(deliveries.map((d) => d.source));
    const work: Promise<void>[] = [];
    for (const source of sources) {
      const info = SOURCE_INFO[source];
      for (const prefix of [info.failureQueue, info.successQueue]) {
        if (prefix) work.push(this.queue(info.pattern, prefix).poll());
      }
    }
    if (this.opts.target.kind === 'local') work.push(this.pollTimeline());
    else for (const source of sources) work.push(this.pollLogs(source));
    await Promise.all(work);
  }

  private queue(pattern: keyof StackOutputs, prefix: string): QueueReader {
    let reader = this.queues.get(prefix + pattern);
    if (!reader) {
      reader = new QueueReader(prefix, outputOf(this.opts.outputs, pattern, `${prefix}Url`), this.opts.clients);
      this.queues.set(prefix + pattern, reader);
    }
    return reader;
  }

  private async pollTimeline(): Promise<void> {
    if (this.opts.target.kind !== 'local') return;
    const res = await fetch(`${this.opts.target.endpoint}/_lab/events?limit=5000`);
    this.events = ((await res.json()) as { events: LabEvent[] }).events;
  }

  private async pollLogs(source: Delivery['source']): Promise<void> {
    const info = SOURCE_INFO[source];
    const group = outputOf(this.opts.outputs, info.pattern, `${info.functionPrefix}LogGroupName`);
    const patterns = [
      `"${this.opts.runToken}"`,
      ...[...this.requestIds.values()].map((id) => `"REPORT RequestId: ${id}"`),
    ];
    const lines: Array<{ at: number; message: string; text: string }> = [];
    for (const filterPattern of patterns) {
      let token: string | undefined;
      do {
        const out = await this.opts.clients.logs.send(
          new FilterLogEventsCommand({
            logGroupName: group,
            filterPattern,
            startTime: this.opts.startedAt - 60_000,
            nextToken: token,
          }),
        );
        for (const e of out.events ?? []) lines.push(readLogLine(e.timestamp ?? 0, e.message ?? ''));
        token = out.nextToken;
      } while (token);
    }
    this.logLines.set(group, lines);
  }

  /** Notes the request id of a delivery's asynchronous invocation: every retry keeps it. */
  noteRequestId(delivery: Delivery, requestId: string): void {
    this.requestIds.set(delivery.orderId, requestId);
  }

  /** The timeline events of a delivery (local only), oldest first. */
  timelineOf(delivery: Delivery): LabEvent[] {
    return this.events.filter((event) => matches(event, delivery)).reverse();
  }

  /** Every attempt at a delivery so far, in order. */
  attempts(delivery: Delivery): Attempt[] {
    if (this.opts.target.kind === 'local') {
      return this.timelineOf(delivery)
        .flatMap((e) => e.steps.filter((s) => s.kind === 'attempt'))
        .map((s) => ({ at: s.at, outcome: s.outcome ?? 'error', ...(s.errorType ? { errorType: s.errorType } : {}) }))
        .sort((a, b) => a.at - b.at);
    }
    const info = SOURCE_INFO[delivery.source];
    const group = this.opts.outputs[info.pattern][`${info.functionPrefix}LogGroupName`] ?? '';
    const requestId = this.requestIds.get(delivery.orderId);
    // Powertools writes a line per order per attempt (`order handled`, `order failed`); an asynchronous event
    // keeps its request id on every retry, so its REPORT lines time the attempts even when no line names the order.
    const lines = (this.logLines.get(group) ?? [])
      .filter(
        (l) =>
          (l.text.includes(delivery.orderId) && /handled|failed|recorded/.test(l.message)) ||
          (requestId !== undefined && l.text.startsWith(`REPORT RequestId: ${requestId}`)),
      )
      .sort((a, b) => a.at - b.at);
    const attempts: Attempt[] = [];
    for (const line of lines) {
      const failed = line.message.includes('failed') || /Status: timeout|Status: error/.test(line.text);
      const last = attempts.at(-1);
      // Lines of one attempt come within a second; attempts are at least seconds apart.
      if (last && line.at - last.at < 1_000) continue;
      attempts.push({ at: line.at, outcome: failed ? 'error' : 'success' });
    }
    return attempts;
  }

  /** Whether every timeline event of a delivery has ended (local only; undefined on AWS). */
  timelineSettled(delivery: Delivery): boolean | undefined {
    if (this.opts.target.kind !== 'local') return undefined;
    const events = this.timelineOf(delivery);
    return events.length > 0 && events.every((e) => e.status !== 'in-flight');
  }

  /**
   * The delivery's message on its source's failure path, if one arrived (and deleted: it is the run's own).
   * A stream's on-failure record names a batch, not its records: they are read back from the stream.
   */
  async failure(delivery: Delivery): Promise<QueueFinding | undefined> {
    const info = SOURCE_INFO[delivery.source];
    if (!info.failureQueue) return undefined;
    const reader = this.queue(info.pattern, info.failureQueue);
    if (delivery.source === 'kinesis' || delivery.source === 'dynamodb') {
      await reader.each(async (f) => {
        if (!this.batches.has(f.body)) this.batches.set(f.body, await readBatchOrderIds(this.opts.clients, f.body));
      });
      return reader.claim((f) => this.batches.get(f.body)?.includes(delivery.orderId) === true);
    }
    return reader.claim((f) => f.body.includes(delivery.orderId) || f.body.includes(delivery.eventId));
  }

  /** The delivery's on-success destination record, for sources that have one. */
  success(delivery: Delivery): Promise<QueueFinding | undefined> {
    const info = SOURCE_INFO[delivery.source];
    if (!info.successQueue) return Promise.resolve(undefined);
    return this.queue(info.pattern, info.successQueue).claim((f) => f.body.includes(delivery.eventId));
  }

  /** Whether the order is in its stack's orders table. */
  async recorded(delivery: Delivery): Promise<boolean> {
    const info = SOURCE_INFO[delivery.source];
    const out = await this.opts.clients.dynamodb.send(
      new GetItemCommand({
        TableName: outputOf(this.opts.outputs, info.pattern, 'OrdersTableName'),
        Key: { orderId: { S: delivery.orderId } },
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined;
  }

  /** The drill attempt counter of an order (lambda/shared/record-order.ts `attemptKey`), 0 when absent. */
  async attemptCounter(delivery: Delivery): Promise<number> {
    const info = SOURCE_INFO[delivery.source];
    const out = await this.opts.clients.dynamodb.send(
      new GetItemCommand({
        TableName: outputOf(this.opts.outputs, info.pattern, 'AttemptsTableName'),
        Key: { attemptKey: { S: `${info.orderSource}#${delivery.orderId}` } },
        ConsistentRead: true,
      }),
    );
    return Number(out.Item?.['attempts']?.N ?? 0);
  }

  /** A queue's visibility timeout in seconds, read from the queue. */
  async visibilityTimeout(pattern: keyof StackOutputs, urlKey: string): Promise<number> {
    const out = await this.opts.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: outputOf(this.opts.outputs, pattern, urlKey),
        AttributeNames: ['VisibilityTimeout'],
      }),
    );
    return Number(out.Attributes?.['VisibilityTimeout'] ?? 30);
  }
}

function readLogLine(at: number, text: string): { at: number; message: string; text: string } {
  try {
    return { at, text, message: String((JSON.parse(text) as { message?: unknown }).message ?? '') };
  } catch {
    // Not a Powertools JSON line (START, END, REPORT): kept as text.
    return { at, text, message: '' };
  }
}

/** Whether a timeline event is the one a delivery started: by its summary, its received detail or a request id. */
function matches(event: LabEvent, delivery: Delivery): boolean {
  const id = delivery.eventId;
  if (!id) return false;
  // A DynamoDB stream record is summarized by its keys: `INSERT orderId=<id>`.
  if (delivery.source === 'dynamodb') return event.summary?.endsWith(`=${id}`) === true;
  if (event.summary?.includes(id)) return true;
  const received = event.steps[0]?.detail ?? {};
  if (Object.values(received).some((v) => v === id)) return true;
  return event.steps.some((s) => s.requestId === id);
}
