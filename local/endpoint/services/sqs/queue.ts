import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../../../core/clock';
import { Deque, MinHeap } from './deque';
import { md5OfAttributes, md5OfBody, type MessageAttributeValue } from './md5';

/** Where a message is in its life: waiting out its delay, receivable, received and hidden, or gone. */
export type MessageState = 'delayed' | 'visible' | 'inflight' | 'gone';

/** A message held by a {@link LocalQueue}. */
export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, MessageAttributeValue>>;
  /** `AWSTraceHeader`, the only message system attribute SQS accepts. */
  readonly systemAttributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly senderId: string;
  /** Virtual epoch ms when it was first sent (kept when redriven to a DLQ): what retention counts from. */
  readonly sentAt: number;
  /** Wall-clock epoch ms of the same moment: the `SentTimestamp` attribute. */
  readonly sentWallAt: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  /** Set on a message moved here by a redrive policy. */
  readonly deadLetterSourceArn?: string;
  receiveCount: number;
  /** Wall-clock epoch ms of the first receive: `ApproximateFirstReceiveTimestamp`. */
  firstReceiveAt?: number;
  /** Virtual epoch ms when a delayed or in-flight message becomes receivable. */
  visibleAt: number;
  state: MessageState;
  /** Bumped on every visibility change so stale timeline entries are ignored. */
  generation: number;
  receiptHandle?: string;
}

/** What a sender provides; the queue fills in the rest. */
export interface NewMessage {
  readonly body: string;
  readonly attributes?: Readonly<Record<string, MessageAttributeValue>>;
  readonly systemAttributes?: Readonly<Record<string, MessageAttributeValue>>;
  readonly delaySeconds?: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly senderId: string;
  /** For redrive: keep the original id and sent time, and name the source queue. */
  readonly id?: string;
  readonly sentAt?: number;
  readonly sentWallAt?: number;
  readonly deadLetterSourceArn?: string;
}

/** The answer to a send: the stored message, or the earlier one a FIFO deduplication id matched. */
export interface SendOutcome {
  readonly id: string;
  readonly md5OfBody: string;
  readonly md5OfAttributes?: string;
  readonly md5OfSystemAttributes?: string;
  readonly sequenceNumber?: string;
}

/** A queue's redrive policy. @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html */
export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

/**
 * FIFO deduplication interval.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
 */
export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

interface TimelineEntry {
  readonly at: number;
  readonly message: StoredMessage;
  readonly generation: number;
}

/**
 * One queue's messages and their visibility, driven by the injected clock. Standard queues keep a
 * deque of receivable messages; FIFO queues keep one ordered deque per message group and lock a
 * group while any of its messages is in flight. Delays and visibility timeouts sit in one min-heap
 * that is drained lazily, so no timer is kept per message.
 */
export class LocalQueue {
  /** Queue attributes as set (the settable ones; computed ones are added by the service). */
  readonly attributes: Record<string, string>;
  readonly tags: Record<string, string> = {};
  readonly createdAt: number;
  lastModifiedAt: number;
  deleted = false;

  private readonly messages = new Map<string, StoredMessage>();
  private readonly ready = new Deque<StoredMessage>();
  private readonly groups = new Map<string, Deque<StoredMessage>>();
  private readonly groupInflight = new Map<string, number>();
  private readonly timeline = new MinHeap<TimelineEntry>((e) => e.at);
  private readonly dedup = new Map<string, { readonly expiresAt: number; readonly outcome: SendOutcome }>();
  private readonly waiters = new Set<() => void>();
  private readonly count: Record<MessageState, number> = { delayed: 0, visible: 0, inflight: 0, gone: 0 };
  private sequence = 0n;

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly fifo: boolean,
    attributes: Record<string, string>,
    private readonly clock: Clock,
  ) {
    this.attributes = attributes;
    this.createdAt = this.lastModifiedAt = clock.wallNow();
  }

  /** A numeric attribute (they are validated on create and set). */
  numeric(name: string): number {
    return Number(this.attributes[name]);
  }

  get redrivePolicy(): RedrivePolicy | undefined {
    const raw = this.attributes.RedrivePolicy;
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
    return { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount: Number(parsed.maxReceiveCount) };
  }

  /** `ApproximateNumberOfMessages`, `…NotVisible` and `…Delayed`. */
  counts(): { readonly visible: number; readonly inflight: number; readonly delayed: number } {
    this.promote();
    return { visible: this.count.visible, inflight: this.count.inflight, delayed: this.count.delayed };
  }

  /** Stores a message (or, on FIFO, answers the earlier send its deduplication id matches). */
  send(input: NewMessage): SendOutcome {
    const now = this.clock.now();
    let dedupKey: string | undefined;
    // A move to the DLQ is not a producer's send: it keeps its deduplication id but is never deduplicated.
    if (this.fifo && input.deadLetterSourceArn === undefined) {
      this.expireDeduplication(now);
      dedupKey = input.deduplicationId ?? createHash('sha256').update(input.body, 'utf8').digest('hex');
      if (this.attributes.DeduplicationScope === 'messageGroup') dedupKey = `${input.groupId}\u0000${dedupKey}`;
      const earlier = this.dedup.get(dedupKey);
      if (earlier) return earlier.outcome;
    }
    const delaySeconds = input.delaySeconds ?? this.numeric('DelaySeconds');
    const attributes = input.attributes ?? {};
    const systemAttributes = input.systemAttributes ?? {};
    const message: StoredMessage = {
      id: input.id ?? randomUUID(),
      body: input.body,
      md5OfBody: md5OfBody(input.body),
      attributes,
      systemAttributes,
      senderId: input.senderId,
      sentAt: input.sentAt ?? now,
      sentWallAt: input.sentWallAt ?? this.clock.wallNow(),
      groupId: input.groupId,
      deduplicationId: this.fifo ? (input.deduplicationId ?? dedupKey) : undefined,
      sequenceNumber: this.fifo ? (++this.sequence).toString().padStart(20, '0') : undefined,
      deadLetterSourceArn: input.deadLetterSourceArn,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
      state: 'gone',
      generation: 0,
    };
    this.messages.set(message.id, message);
    if (this.fifo) {
      const group = message.groupId ?? '';
      let deque = this.groups.get(group);
      if (!deque) this.groups.set(group, (deque = new Deque()));
      deque.push(message);
    }
    if (delaySeconds > 0) {
      this.setState(message, 'delayed');
      this.timeline.push({ at: message.visibleAt, message, generation: message.generation });
      // Long polls sleep until the earliest due message they saw; this one may be due sooner.
      this.wake();
    } else {
      this.becomeVisible(message);
    }
    const outcome: SendOutcome = {
      id: message.id,
      md5OfBody: message.md5OfBody,
      md5OfAttributes: md5OfAttributes(attributes),
      md5OfSystemAttributes: md5OfAttributes(systemAttributes),
      sequenceNumber: message.sequenceNumber,
    };
    if (dedupKey !== undefined) this.dedup.set(dedupKey, { expiresAt: now + DEDUPLICATION_WINDOW_MS, outcome });
    return outcome;
  }

  /**
   * Takes up to `max` receivable messages and hides them for `visibilityTimeout` seconds.
   * Messages past their retention period are dropped; a message that was already received
   * `maxReceiveCount` times is handed to `deadLetter` (which returns false if the DLQ is missing,
   * leaving the message here).
   */
  receive(max: number, visibilityTimeout: number, deadLetter: (m: StoredMessage) => boolean): StoredMessage[] {
    this.promote();
    const now = this.clock.now();
    const out: StoredMessage[] = [];
    const retentionMs = this.numeric('MessageRetentionPeriod') * 1000;
    const redrive = this.redrivePolicy;
    // Returns true if the message may be delivered; drops expired and dead-lettered messages.
    const admit = (m: StoredMessage): boolean => {
      if (now - m.sentAt >= retentionMs) {
        this.drop(m);
        return false;
      }
      if (redrive && m.receiveCount >= redrive.maxReceiveCount && deadLetter(m)) {
        this.drop(m);
        return false;
      }
      return true;
    };
    if (!this.fifo) {
      while (out.length < max) {
        const m = this.ready.shift();
        if (!m) break;
        if (m.state !== 'visible' || !admit(m)) continue;
        this.hide(m, now, visibilityTimeout);
        out.push(m);
      }
      return out;
    }
    for (const [group, deque] of this.groups) {
      if (out.length >= max) break;
      while (deque.peek()?.state === 'gone') deque.shift();
      if (deque.length === 0) {
        this.groups.delete(group);
        continue;
      }
      if ((this.groupInflight.get(group) ?? 0) > 0) continue;
      for (let i = 0; out.length < max; i++) {
        const m = deque.at(i);
        if (!m) break;
        if (m.state === 'gone') continue;
        if (m.state !== 'visible') break;
        if (!admit(m)) continue;
        this.hide(m, now, visibilityTimeout);
        out.push(m);
      }
    }
    return out;
  }

  /** The message a receipt handle names, if it still exists here. */
  byReceiptHandle(handle: string): StoredMessage | undefined {
    const id = messageIdOf(handle);
    return id === undefined ? undefined : this.messages.get(id);
  }

  /** Deletes the message a (current or older) receipt handle names; a gone message is not an error. */
  delete(message: StoredMessage): void {
    this.drop(message);
  }

  /** Sets a received message's remaining invisibility; 0 makes it receivable at once. */
  changeVisibility(message: StoredMessage, seconds: number): void {
    message.generation++;
    if (seconds === 0) {
      this.becomeVisible(message);
      return;
    }
    message.visibleAt = this.clock.now() + seconds * 1000;
    this.timeline.push({ at: message.visibleAt, message, generation: message.generation });
    this.wake();
  }

  /** Deletes every message. */
  purge(): void {
    for (const m of this.messages.values()) m.state = 'gone';
    this.messages.clear();
    this.ready.clear();
    this.groups.clear();
    this.groupInflight.clear();
    this.timeline.clear();
    this.count.visible = this.count.inflight = this.count.delayed = 0;
  }

  /**
   * Resolves when something may have become receivable (a send, a visibility change, the next
   * delay or visibility expiry) or after `ms` virtual milliseconds, whichever is first.
   */
  waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        timer.cancel();
        resolve();
      };
      const next = this.timeline.peek();
      const wait = next ? Math.min(ms, Math.max(0, next.at - this.clock.now())) : ms;
      const timer: Timer = this.clock.setTimeout(done, wait);
      this.waiters.add(done);
    });
  }

  /** Wakes every long poll (on delete and on endpoint stop). */
  wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private promote(): void {
    const now = this.clock.now();
    for (let next = this.timeline.peek(); next && next.at <= now; next = this.timeline.peek()) {
      this.timeline.pop();
      const m = next.message;
      if (m.generation !== next.generation || (m.state !== 'delayed' && m.state !== 'inflight')) continue;
      this.becomeVisible(m);
    }
  }

  private hide(m: StoredMessage, now: number, visibilityTimeout: number): void {
    m.receiveCount++;
    m.firstReceiveAt ??= this.clock.wallNow();
    m.generation++;
    m.visibleAt = now + visibilityTimeout * 1000;
    m.receiptHandle = receiptHandle(m);
    this.setState(m, 'inflight');
    if (m.groupId !== undefined && this.fifo) {
      this.groupInflight.set(m.groupId, (this.groupInflight.get(m.groupId) ?? 0) + 1);
    }
    this.timeline.push({ at: m.visibleAt, message: m, generation: m.generation });
  }

  private becomeVisible(m: StoredMessage): void {
    this.releaseGroup(m);
    this.setState(m, 'visible');
    if (!this.fifo) this.ready.push(m);
    this.wake();
  }

  private drop(m: StoredMessage): void {
    if (m.state === 'gone') return;
    // Deleting an in-flight FIFO message may unlock its group for a waiting long poll.
    const unlocks = this.fifo && m.state === 'inflight';
    this.releaseGroup(m);
    this.setState(m, 'gone');
    this.messages.delete(m.id);
    if (unlocks) this.wake();
  }

  private releaseGroup(m: StoredMessage): void {
    if (m.state !== 'inflight' || !this.fifo || m.groupId === undefined) return;
    const n = (this.groupInflight.get(m.groupId) ?? 1) - 1;
    if (n > 0) this.groupInflight.set(m.groupId, n);
    else this.groupInflight.delete(m.groupId);
  }

  private setState(m: StoredMessage, state: MessageState): void {
    this.count[m.state]--;
    this.count[state]++;
    m.state = state;
  }

  private expireDeduplication(now: number): void {
    // Entries are added in time order, so expired ones are at the front of the map.
    for (const [key, entry] of this.dedup) {
      if (entry.expiresAt > now) break;
      this.dedup.delete(key);
    }
  }
}

/** Receipt handles name the message and the receive; they are opaque to callers. */
function receiptHandle(m: StoredMessage): string {
  return Buffer.from(`${m.id}:${m.receiveCount}:${randomBytes(6).toString('hex')}`).toString('base64');
}

/** The message id inside a receipt handle, or undefined when it is not one of ours. */
export function messageIdOf(handle: string): string | undefined {
  const text = Buffer.from(handle, 'base64').toString('utf8');
  const match = /^([0-9a-f-]{36}):\d+:[0-9a-f]{12}$/.exec(text);
  return match?.[1];
}
