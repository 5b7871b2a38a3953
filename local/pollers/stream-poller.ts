import { createHash, randomUUID } from 'node:crypto';
import { wallTimeAfter, type Clock } from '../core/clock';
import type { EventSourceMappingModel } from '../assembly/model';
import type { InvocationOutcome } from '../core/contracts';
import { lowestFailedIndex, parseBatchResponse } from './batch-response';
import { invokeBatch } from './batch-invoke';
import type { DestinationSender } from '../async/destination-sender';
import { streamFailureS3Key } from './destination';
import { buildStreamFailureRecord, type FailureCondition } from './failure-record';
import { compileFilters, type RecordFilter } from './filter';
import { ScheduleLedger } from './schedule-ledger';
import { errorName, isAbort, silentLogger, type Poller, type PollerLogger, type PollerRuntime } from './types';

/** One shard of a stream, as the source lists it. */
export interface StreamShard {
  readonly shardId: string;
  readonly parentShardId?: string;
}

/** Where a shard iterator starts. */
export type ShardPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestampMs: number }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

/** One record read from a shard, already in the shape the function receives. */
export interface SourceRecord {
  readonly sequenceNumber: string;
  /** Approximate arrival, wall-clock epoch ms. */
  readonly arrivalMs: number;
  /** What decides the record's lane when ParallelizationFactor > 1 (partition key, item keys). */
  readonly laneKey: string;
  /** The record as it goes into `event.Records`. */
  readonly event: object;
  /** What event filtering sees of the record (built only when the mapping has filters). */
  filterView(): unknown;
  /** One line for the timeline, e.g. `shardId-000000000000 #49… key=order-1`. */
  readonly summary: string;
}

/** One `GetRecords` answer. */
export interface RecordsPage {
  readonly records: readonly SourceRecord[];
  /** Absent when the shard is closed and fully read. */
  readonly nextIterator?: string;
}

/**
 * What the stream poller needs of Kinesis or DynamoDB Streams; one adapter per service, each
 * talking to the endpoint with the real SDK client.
 */
export interface StreamSource {
  readonly kind: 'kinesis' | 'dynamodb';
  /** The stream ARN the records carry as `eventSourceARN` (known after {@link listShards}). */
  streamArn(): string;
  /** How long the service keeps records; a record older than this has expired. */
  readonly retentionMs: number;
  /** Virtual ms between polls of an idle shard (Kinesis once per second, DynamoDB 4 times per second). */
  readonly idlePollMs: number;
  /** Largest `Limit` one `GetRecords` call takes. */
  readonly maxRecordsPerCall: number;
  listShards(signal: AbortSignal): Promise<readonly StreamShard[]>;
  getIterator(shardId: string, position: ShardPosition, signal: AbortSignal): Promise<string>;
  getRecords(shardId: string, iterator: string, limit: number, signal: AbortSignal): Promise<RecordsPage>;
}

/** Options of {@link StreamPoller}. */
export interface StreamPollerOptions extends PollerRuntime {
  readonly mapping: EventSourceMappingModel;
  readonly source: StreamSource;
  /** Sends on-failure records; required when the mapping has an on-failure destination. */
  readonly destinations?: DestinationSender;
  /**
   * The `condition` of the on-failure record when records pass MaximumRecordAgeInSeconds; AWS does
   * not document the name (docs/aws-semantics.md §C.5).
   * @default 'MaximumRecordAgeExceeded'
   */
  readonly maxAgeCondition?: FailureCondition;
  /** Virtual ms before the first retry of a failed batch; doubles per retry. @default 500 */
  readonly retryBaseDelayMs?: number;
  /** Cap of the retry delay, virtual ms. @default 30000 */
  readonly retryMaxDelayMs?: number;
}

/** Records one GetRecords call asks for at least. */
const READ_AHEAD = 1000;

interface Tracked {
  readonly record: SourceRecord;
  readonly eventId: string;
}

interface Segment {
  records: Tracked[];
  /** Retries used (bisecting does not use any). */
  retries: number;
  /** Invocations of exactly this segment, for `approximateInvokeCount`. */
  invocations: number;
  lastRequestId?: string;
}

/**
 * The Kinesis / DynamoDB Streams event source mapping: one reader per shard, from the mapping's
 * StartingPosition, records in order, batches up to BatchSize within MaximumBatchingWindowInSeconds.
 * A failed batch is retried and blocks its shard until it succeeds, MaximumRetryAttempts is used up
 * or its records pass MaximumRecordAgeInSeconds (or the stream's retention); then the on-failure
 * destination gets the failure record and the shard moves on.
 *
 * Bisect recursion (AWS leaves it unspecified, docs/aws-semantics.md §C.2): a failed batch of more than
 * one record is split into halves, first half first; the halves keep the parent's retry count
 * (splitting uses no retry); only a single record — or a batch when bisecting is off — is retried.
 * A partial batch response checkpoints before the lowest failed sequence number and retries the
 * rest, which counts as a retry (with bisecting on, this is AWS's "bisected at the returned
 * sequence number").
 * With ParallelizationFactor N, each polled batch is split by a hash of the partition key (item
 * keys for DynamoDB) into N lanes processed concurrently, each in order; the shard reads on when
 * all lanes are done.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
export class StreamPoller implements Poller {
  private readonly controller = new AbortController();
  private readonly logger: PollerLogger;
  private readonly filter: RecordFilter;
  private readonly filtering: boolean;
  private readonly clock: Clock;
  private readonly readers = new Map<string, Promise<void>>();
  /** Per shard: what its waits on the virtual schedule add to its records' ages. */
  private readonly ledgers = new Map<string, ScheduleLedger>();
  private readonly knownShards = new Set<string>();
  private started = false;

  constructor(private readonly options: StreamPollerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.filter = compileFilters(options.mapping.filterPatterns);
    this.filtering = options.mapping.filterPatterns.length > 0;
    this.clock = options.clock;
    options.signal?.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const shards = await this.withSourceRetry('ListShards', () => this.options.source.listShards(this.signal));
    if (!shards) return;
    const ids = new Set(shards.map((s) => s.shardId));
    const position = this.startingPosition();
    const ready: Promise<void>[] = [];
    for (const shard of shards) {
      // A child shard starts when its parent is read to the end (records stay in order).
      if (shard.parentShardId && ids.has(shard.parentShardId)) continue;
      ready.push(this.startShard(shard.shardId, position));
    }
    await Promise.all(ready);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    while (this.readers.size > 0) await Promise.allSettled([...this.readers.values()]);
  }

  private startingPosition(): ShardPosition {
    const m = this.options.mapping;
    if (m.startingPosition === 'LATEST') return { type: 'LATEST' };
    if (m.startingPosition === 'AT_TIMESTAMP')
      return { type: 'AT_TIMESTAMP', timestampMs: (m.startingPositionTimestamp ?? 0) * 1000 };
    return { type: 'TRIM_HORIZON' };
  }

  /** Starts a shard reader; resolves once it holds its first iterator. */
  private startShard(shardId: string, position: ShardPosition): Promise<void> {
    this.knownShards.add(shardId);
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const reader = this.readShard(shardId, position, markReady)
      .catch((err: unknown) => {
        if (!isAbort(err, this.signal)) this.logger.error('shard reader stopped', { shardId, error: String(err) });
      })
      .finally(() => {
        markReady();
        this.readers.delete(shardId);
      });
    this.readers.set(shardId, reader);
    return ready;
  }

  private async readShard(shardId: string, start: ShardPosition, markReady: () => void): Promise<void> {
    const { source, mapping } = this.options;
    let lastRead: string | undefined;
    const iteratorFor = (): Promise<string | undefined> =>
      this.withSourceRetry('GetShardIterator', () =>
        source.getIterator(
          shardId,
          lastRead ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastRead } : start,
          this.signal,
        ),
      );
    let iterator = await iteratorFor();
    markReady();
    const buffer: SourceRecord[] = [];
    const limit = mapping.batchSize * Math.max(1, mapping.parallelizationFactor);
    const windowMs = mapping.maximumBatchingWindowInSeconds * 1000;

    while (!this.signal.aborted && (iterator !== undefined || buffer.length > 0)) {
      // "the next batching window begins as soon as the previous function invocation completes";
      // on a quiet shard it starts again with the first record read.
      let windowEnd = this.clock.now() + windowMs;
      for (;;) {
        const wasEmpty = buffer.length === 0;
        if (iterator !== undefined && buffer.length < limit) {
          const page = await this.readPage(
            shardId,
            iterator,
            // Read ahead in large pages (AWS reads up to the GetRecords limit); batches still hold BatchSize.
            Math.min(source.maxRecordsPerCall, Math.max(limit - buffer.length, READ_AHEAD)),
          );
          if (page === 'expired') {
            iterator = await iteratorFor();
            continue;
          }
          if (page) {
            buffer.push(...page.records);
            if (page.records.length > 0) lastRead = page.records[page.records.length - 1]!.sequenceNumber;
            iterator = page.nextIterator;
            if (wasEmpty && page.records.length > 0 && this.clock.now() >= windowEnd)
              windowEnd = this.clock.now() + windowMs;
          }
        }
        if (this.signal.aborted) return;
        const full = buffer.length >= limit || iterator === undefined;
        const windowOver = this.clock.now() >= windowEnd;
        if (buffer.length > 0 && (full || windowOver)) break;
        if (iterator === undefined) break;
        const wait = buffer.length > 0 ? Math.min(source.idlePollMs, windowEnd - this.clock.now()) : source.idlePollMs;
        await this.ledger(shardId).sleep(Math.max(0, wait), this.signal);
      }
      if (buffer.length === 0) break;
      await this.processPolled(shardId, buffer.splice(0, limit));
    }
    if (!this.signal.aborted && iterator === undefined) await this.startChildren(shardId);
  }

  /** Reads one page; `'expired'` when the iterator must be renewed, undefined after a logged error. */
  private async readPage(
    shardId: string,
    iterator: string,
    limit: number,
  ): Promise<RecordsPage | 'expired' | undefined> {
    try {
      return await this.options.source.getRecords(shardId, iterator, limit, this.signal);
    } catch (err) {
      if (isAbort(err, this.signal)) throw err;
      if (errorName(err) === 'ExpiredIteratorException') return 'expired';
      this.logger.warn('GetRecords failed; retrying', { shardId, error: String(err) });
      await this.ledger(shardId).sleep(this.options.source.idlePollMs, this.signal);
      return undefined;
    }
  }

  private async startChildren(shardId: string): Promise<void> {
    const shards = await this.withSourceRetry('ListShards', () => this.options.source.listShards(this.signal));
    for (const child of shards ?? []) {
      if (child.parentShardId === shardId && !this.knownShards.has(child.shardId)) {
        this.logger.info('shard closed; reading its child', { shardId, child: child.shardId });
        await this.startShard(child.shardId, { type: 'TRIM_HORIZON' });
      }
    }
  }

  /** Retries a source call until it succeeds; undefined when the poller stops first. */
  private async withSourceRetry<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    for (;;) {
      if (this.signal.aborted) return undefined;
      try {
        return await call();
      } catch (err) {
        if (isAbort(err, this.signal)) return undefined;
        this.logger.warn(`${operation} failed; retrying`, { error: String(err) });
        try {
          await this.clock.sleep(this.options.source.idlePollMs, this.signal);
        } catch {
          return undefined;
        }
      }
    }
  }

  /** Opens a timeline event per record, filters, and processes the rest lane by lane. */
  private async processPolled(shardId: string, records: readonly SourceRecord[]): Promise<void> {
    const { mapping, timeline, source } = this.options;
    const passing: Tracked[] = [];
    for (const record of records) {
      const eventId = timeline.start({
        source: source.kind,
        functionName: mapping.functionName,
        resource: source.streamArn(),
        summary: record.summary,
        detail: { shardId, sequenceNumber: record.sequenceNumber, mappingUuid: mapping.uuid },
      });
      timeline.step(eventId, { kind: 'polled', detail: { batchSize: records.length, shardId } });
      if (!this.filtering || this.filter(record.filterView())) {
        passing.push({ record, eventId });
      } else {
        // "the streams iterator advances past this record"
        timeline.finish(eventId, 'discarded', {
          kind: 'filtered',
          detail: { reason: 'no FilterCriteria pattern matched', sequenceNumber: record.sequenceNumber },
        });
      }
    }
    if (passing.length === 0) return;
    const factor = Math.max(1, mapping.parallelizationFactor);
    const lanes: Tracked[][] = Array.from({ length: factor }, () => []);
    for (const t of passing) lanes[factor === 1 ? 0 : laneOf(t.record.laneKey, factor)]!.push(t);
    await Promise.all(
      lanes
        .filter((lane) => lane.length > 0)
        .map(async (lane) => {
          for (let i = 0; i < lane.length && !this.signal.aborted; i += mapping.batchSize) {
            await this.processBatch(shardId, lane.slice(i, i + mapping.batchSize));
          }
        }),
    );
  }

  /** Runs one batch to its end: success, or give-up after retries / record age; bisects on the way. */
  private async processBatch(shardId: string, records: Tracked[]): Promise<void> {
    const { mapping, timeline, source } = this.options;
    const maxAgeMs =
      mapping.maximumRecordAgeInSeconds >= 0 ? mapping.maximumRecordAgeInSeconds * 1000 : source.retentionMs;
    const ageCondition = this.options.maxAgeCondition ?? 'MaximumRecordAgeExceeded';
    const maxAgeSource =
      mapping.maximumRecordAgeInSeconds >= 0 ? 'MaximumRecordAgeInSeconds' : "the stream's retention period";
    const queue: Segment[] = [{ records, retries: 0, invocations: 0 }];
    let throttles = 0;

    while (queue.length > 0) {
      if (this.signal.aborted) return;
      const segment = queue[0]!;
      const ledger = this.ledger(shardId);
      const expired = countExpired(segment.records, maxAgeMs, (r) => ledger.ageMs(r.arrivalMs));
      if (expired > 0) {
        await this.giveUp(shardId, segment, segment.records.slice(0, expired), ageCondition, {
          reason: `older than ${maxAgeSource} (${maxAgeMs / 1000} s)`,
          ageMs: Math.round(ledger.ageMs(segment.records[0]!.record.arrivalMs)),
        });
        segment.records = segment.records.slice(expired);
        if (segment.records.length === 0) queue.shift();
        continue;
      }

      const payload = JSON.stringify({ Records: segment.records.map((t) => t.record.event) });
      let outcome: InvocationOutcome;
      try {
        outcome = await invokeBatch({
          invoker: this.options.invoker,
          timeline,
          functionName: mapping.functionName,
          source: source.kind,
          payload,
          eventIds: segment.records.map((t) => t.eventId),
          attempts: segment.records.map(() => segment.retries + 1),
        });
      } catch (err) {
        // Throttles and other errors before the batch reached the function do not count as retries;
        // they are retried until the records expire (docs/aws-semantics.md §C.2).
        throttles += 1;
        const delay = this.retryDelay(throttles);
        for (const t of segment.records.slice(1))
          timeline.step(t.eventId, {
            kind: errorName(err) === 'TooManyRequestsException' ? 'throttled' : 'retry-scheduled',
            functionName: mapping.functionName,
            errorType: errorName(err),
            errorMessage: err instanceof Error ? err.message : String(err),
            detail: { retryAt: wallTimeAfter(this.clock, delay) },
          });
        if (errorName(err) !== 'TooManyRequestsException')
          this.logger.warn('invocation did not reach the function', { shardId, error: String(err) });
        await this.pause(shardId, delay);
        continue;
      }
      throttles = 0;
      segment.invocations += 1;
      segment.lastRequestId = outcome.requestId;
      const ids = segment.records.map((t) => t.record.sequenceNumber);
      const verdict = parseBatchResponse(outcome, ids, mapping.reportBatchItemFailures);

      if (verdict.kind === 'success') {
        this.checkpoint(shardId, segment.records);
        queue.shift();
        continue;
      }
      if (verdict.kind === 'partial') {
        const from = lowestFailedIndex(ids, verdict.failedIds);
        this.checkpoint(shardId, segment.records.slice(0, from));
        segment.records = segment.records.slice(from);
        for (const t of segment.records)
          timeline.step(t.eventId, {
            kind: 'items-failed',
            detail: { failed: verdict.failedIds, retryFrom: ids[from], requestId: outcome.requestId },
          });
      } else if (mapping.bisectBatchOnFunctionError && segment.records.length > 1) {
        const half = Math.ceil(segment.records.length / 2);
        const first = segment.records.slice(0, half);
        const second = segment.records.slice(half);
        for (const t of segment.records)
          timeline.step(t.eventId, {
            kind: 'bisected',
            detail: {
              reason: verdict.reason,
              from: segment.records.length,
              into: [first.length, second.length],
              half: first.includes(t) ? 1 : 2,
            },
          });
        queue.splice(
          0,
          1,
          { records: first, retries: segment.retries, invocations: 0 },
          { records: second, retries: segment.retries, invocations: 0 },
        );
        continue;
      }

      if (mapping.maximumRetryAttempts >= 0 && segment.retries >= mapping.maximumRetryAttempts) {
        await this.giveUp(shardId, segment, segment.records, 'RetryAttemptsExhausted');
        queue.shift();
        continue;
      }
      segment.retries += 1;
      const delay = this.retryDelay(segment.retries);
      for (const t of segment.records)
        timeline.step(t.eventId, {
          kind: 'retry-scheduled',
          attempt: segment.retries + 1,
          detail: {
            retryAt: wallTimeAfter(this.clock, delay),
            reason: verdict.kind === 'partial' ? 'partial batch response' : verdict.reason,
            shardBlocked: shardId,
          },
        });
      await this.pause(shardId, delay);
    }
  }

  private checkpoint(shardId: string, records: readonly Tracked[]): void {
    for (const t of records)
      this.options.timeline.finish(t.eventId, 'succeeded', {
        kind: 'checkpoint',
        detail: { shardId, sequenceNumber: t.record.sequenceNumber },
      });
  }

  /** Discards records: the on-failure destination gets the batch info, the shard moves on. */
  private async giveUp(
    shardId: string,
    segment: Segment,
    records: readonly Tracked[],
    condition: FailureCondition,
    expiry?: { readonly reason: string; readonly ageMs: number },
  ): Promise<void> {
    const { mapping, timeline, source } = this.options;
    const first = records[0]!.record;
    const last = records[records.length - 1]!.record;
    const failure = buildStreamFailureRecord({
      source: source.kind,
      requestId: segment.lastRequestId ?? randomUUID(),
      functionArn: mapping.functionArn,
      condition,
      approximateInvokeCount: segment.invocations,
      timestampMs: this.clock.wallNow(),
      shardId,
      streamArn: source.streamArn(),
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      firstArrivalMs: first.arrivalMs,
      lastArrivalMs: last.arrivalMs,
      batchSize: records.length,
    });
    const destination = mapping.onFailureDestination;
    let sendError: string | undefined;
    if (destination) {
      try {
        if (!this.options.destinations) throw new Error('no destination sender configured');
        await this.options.destinations.send(destination, {
          body: JSON.stringify(failure),
          s3Key: streamFailureS3Key(mapping.uuid, shardId, this.clock.wallNow(), randomUUID()),
        });
      } catch (err) {
        sendError = String(err);
        this.logger.error('could not send the on-failure record', { destination, error: sendError });
      }
    }
    this.logger.info('discarded records', { shardId, condition, count: records.length, destination });
    for (const t of records) {
      const detail = {
        condition,
        ...expiry,
        shardId,
        batchInfo: failure.KinesisBatchInfo ?? failure.DDBStreamBatchInfo,
        ...(sendError ? { error: sendError } : {}),
      };
      if (destination)
        timeline.finish(t.eventId, 'failed', { kind: 'destination', detail: { destination, ...detail } });
      else timeline.finish(t.eventId, 'discarded', { kind: 'discarded', detail });
    }
  }

  /** The shard's ledger of waits, which record ages count at their virtual length. */
  private ledger(shardId: string): ScheduleLedger {
    let ledger = this.ledgers.get(shardId);
    if (!ledger) this.ledgers.set(shardId, (ledger = new ScheduleLedger(this.clock)));
    return ledger;
  }

  private retryDelay(retry: number): number {
    const base = this.options.retryBaseDelayMs ?? 500;
    const max = this.options.retryMaxDelayMs ?? 30_000;
    return Math.min(max, base * 2 ** Math.min(20, retry - 1));
  }

  private async pause(shardId: string, ms: number): Promise<void> {
    try {
      await this.ledger(shardId).sleep(ms, this.signal);
    } catch {
      // Stopped while waiting: the loop checks the signal.
    }
  }
}

/** How many records at the start of the batch are older than `maxAgeMs` (records are in arrival order). */
function countExpired(records: readonly Tracked[], maxAgeMs: number, ageMs: (r: SourceRecord) => number): number {
  let n = 0;
  while (n < records.length && ageMs(records[n]!.record) > maxAgeMs) n += 1;
  return n;
}

/** The lane of a key: MD5 like Kinesis's own partition-key hashing, modulo the factor. */
export function laneOf(key: string, factor: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % factor;
}
