import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../../core/clock';
import type { LocalService, ServiceRequest, ServiceResponse } from '../types';

/** A DynamoDB attribute value as it travels on the wire (`{"S":"x"}`, `{"N":"1"}`, `{"M":{…}}`, …). */
export type AttributeValue = Readonly<Record<string, unknown>>;
/** An item or a key: attribute name → attribute value. */
export type Item = Readonly<Record<string, AttributeValue>>;

/** What a stream writes for each change. @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html */
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export const STREAM_VIEW_TYPES: ReadonlySet<string> = new Set([
  'KEYS_ONLY',
  'NEW_IMAGE',
  'OLD_IMAGE',
  'NEW_AND_OLD_IMAGES',
]);

/** One key attribute of a table (`KeySchema` element). */
export interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

/**
 * A stream record exactly as `GetRecords` returns it.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html
 */
export interface StreamRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly eventVersion: '1.1';
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    /** Epoch seconds, rounded down. */
    readonly ApproximateCreationDateTime: number;
    readonly Keys: Item;
    readonly NewImage?: Item;
    readonly OldImage?: Item;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: StreamViewType;
  };
  /** Only on deletions made by Time to Live. */
  readonly userIdentity?: { readonly PrincipalId: 'dynamodb.amazonaws.com'; readonly Type: 'Service' };
}

/** The fields of a DescribeStream answer that a table's stream keeps. */
export interface TableStreamInfo {
  readonly arn: string;
  readonly label: string;
  readonly tableName: string;
  readonly viewType: StreamViewType;
  readonly enabled: boolean;
}

/** Options of {@link StreamStore}. */
export interface StreamStoreOptions {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  /**
   * Most records one stream keeps; older ones are trimmed as if 24 hours had passed, so memory
   * stays bounded under heavy writes.
   * @default 100_000
   */
  readonly maxRecordsPerStream?: number;
}

/** Stream records stay readable for 24 hours. @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html */
export const RETENTION_MS = 24 * 60 * 60 * 1000;
/** A shard iterator expires 15 minutes after it is returned. @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html */
export const ITERATOR_TTL_MS = 15 * 60 * 1000;
/** GetRecords returns at most 1000 records. @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html */
const MAX_GET_RECORDS = 1000;

interface StoredRecord {
  readonly seq: number;
  /** Virtual epoch ms of the write: the 24-hour retention counts from it. */
  readonly at: number;
  readonly record: StreamRecord;
}

class TableStream implements TableStreamInfo {
  enabled = true;
  /** Sequence counter value before this stream's first record. */
  readonly startSeq: number;
  endSeq: number | undefined;
  disabledAt: number | undefined;
  /** Records still readable, oldest first; `head` is the index of the first one. */
  records: StoredRecord[] = [];
  head = 0;
  /** Highest sequence number trimmed so far (iterators at or below it point at trimmed data). */
  trimmedThrough: number;

  constructor(
    readonly arn: string,
    readonly label: string,
    readonly tableName: string,
    readonly viewType: StreamViewType,
    readonly keySchema: readonly KeySchemaElement[],
    readonly createdAt: number,
    readonly shardId: string,
    seq: number,
  ) {
    this.startSeq = seq;
    this.trimmedThrough = seq;
  }

  get length(): number {
    return this.records.length - this.head;
  }

  trim(now: number, max: number): void {
    while (this.head < this.records.length) {
      const first = this.records[this.head]!;
      if (now - first.at < RETENTION_MS && this.length <= max) break;
      this.trimmedThrough = first.seq;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the first kept record with a sequence number above `seq`. */
  firstAfter(seq: number): number {
    let lo = this.head;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.records[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

interface IteratorState {
  readonly arn: string;
  readonly shardId: string;
  /** Records with a sequence number above this come next. */
  readonly after: number;
  readonly issuedAt: number;
}

/** A failure the Streams API reports with an AWS error code. */
export class StreamsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Sequence numbers are decimal strings of at least 21 digits. @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html */
export function formatSequenceNumber(seq: number): string {
  return String(seq).padStart(21, '0');
}

/**
 * The change log behind DynamoDB Streams: one stream (with one shard) per enabled table, records
 * appended by the DynamoDB service for every write that passes through the endpoint.
 */
export class StreamStore {
  private readonly streams = new Map<string, TableStream>();
  private readonly latestByTable = new Map<string, TableStream>();
  private readonly events = new EventEmitter();
  private seq = 0;
  private readonly max: number;

  constructor(private readonly opts: StreamStoreOptions) {
    this.max = opts.maxRecordsPerStream ?? 100_000;
    this.events.setMaxListeners(100);
  }

  /** Starts a new stream for a table (a table gets a new stream, with a new label, each time it is enabled). */
  enable(tableName: string, viewType: StreamViewType, keySchema: readonly KeySchemaElement[]): TableStreamInfo {
    this.disable(tableName);
    // The label, shard id and creation time are timestamps a caller sees: wall clock.
    const now = this.opts.clock.wallNow();
    const label = new Date(now).toISOString().replace(/Z$/, '');
    const arn = `arn:aws:dynamodb:${this.opts.region}:${this.opts.accountId}:table/${tableName}/stream/${label}`;
    const shardId = `shardId-${String(now).padStart(20, '0')}-${randomBytes(4).toString('hex')}`;
    const stream = new TableStream(arn, label, tableName, viewType, keySchema, now, shardId, this.seq);
    this.streams.set(arn, stream);
    this.latestByTable.set(tableName, stream);
    this.sweep(this.opts.clock.now());
    return stream;
  }

  /** Closes a table's current stream; its records stay readable for 24 hours. */
  disable(tableName: string): void {
    const stream = this.latestByTable.get(tableName);
    if (!stream?.enabled) return;
    stream.enabled = false;
    stream.endSeq = this.seq;
    stream.disabledAt = this.opts.clock.now();
  }

  /** The table's newest stream (enabled or not), for DescribeTable's LatestStreamArn. */
  latest(tableName: string): TableStreamInfo | undefined {
    return this.latestByTable.get(tableName);
  }

  /** The table's stream when it is enabled. */
  active(tableName: string): TableStreamInfo | undefined {
    const stream = this.latestByTable.get(tableName);
    return stream?.enabled ? stream : undefined;
  }

  /** Forgets which stream a deleted table had (the stream itself stays readable). */
  forgetTable(tableName: string): void {
    this.disable(tableName);
    this.latestByTable.delete(tableName);
  }

  /**
   * Appends the record a write produces, if any: none when the item did not change.
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
   */
  append(
    tableName: string,
    oldImage: Item | undefined,
    newImage: Item | undefined,
    byTtl = false,
  ): StreamRecord | undefined {
    const stream = this.latestByTable.get(tableName);
    if (!stream?.enabled) return undefined;
    if (!oldImage && !newImage) return undefined;
    if (oldImage && newImage && sameItem(oldImage, newImage)) return undefined;
    const now = this.opts.clock.now();
    this.seq += 1;
    const image = (newImage ?? oldImage)!;
    const Keys: Record<string, AttributeValue> = {};
    for (const { AttributeName } of stream.keySchema) {
      const value = image[AttributeName];
      if (value) Keys[AttributeName] = value;
    }
    const withNew = stream.viewType === 'NEW_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES';
    const withOld = stream.viewType === 'OLD_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES';
    const NewImage = withNew && newImage ? newImage : undefined;
    const OldImage = withOld && oldImage ? oldImage : undefined;
    const record: StreamRecord = {
      eventID: randomBytes(16).toString('hex'),
      eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.opts.region,
      dynamodb: {
        // A timestamp the function sees: wall clock (the 24-hour retention counts on `now`, virtual).
        ApproximateCreationDateTime: Math.floor(this.opts.clock.wallNow() / 1000),
        Keys,
        ...(NewImage ? { NewImage } : {}),
        ...(OldImage ? { OldImage } : {}),
        SequenceNumber: formatSequenceNumber(this.seq),
        SizeBytes: Math.max(
          1,
          itemSize(Keys) + (NewImage ? itemSize(NewImage) : 0) + (OldImage ? itemSize(OldImage) : 0),
        ),
        StreamViewType: stream.viewType,
      },
      ...(byTtl ? { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } as const } : {}),
    };
    stream.records.push({ seq: this.seq, at: now, record });
    stream.trim(now, this.max);
    this.events.emit('records', stream.arn, [record]);
    return record;
  }

  /**
   * Calls `listener` whenever records are appended (for in-process consumers that would rather
   * not poll); returns the unsubscribe function.
   */
  onRecords(listener: (streamArn: string, records: readonly StreamRecord[]) => void): () => void {
    this.events.on('records', listener);
    return () => this.events.off('records', listener);
  }

  list(tableName?: string): TableStream[] {
    this.sweep(this.opts.clock.now());
    return [...this.streams.values()].filter((s) => tableName === undefined || s.tableName === tableName);
  }

  get(arn: string): TableStream {
    const stream = this.streams.get(arn);
    if (!stream)
      throw new StreamsError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);
    stream.trim(this.opts.clock.now(), this.max);
    return stream;
  }

  iterator(arn: string, shardId: string, type: string, sequenceNumber: string | undefined): string {
    const stream = this.get(arn);
    if (shardId !== stream.shardId)
      throw new StreamsError(
        'ResourceNotFoundException',
        `Requested resource not found: Shard ${shardId} in stream ${arn} not found`,
      );
    let after: number;
    if (type === 'TRIM_HORIZON') after = stream.trimmedThrough;
    else if (type === 'LATEST') after = stream.endSeq ?? this.seq;
    else if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
      if (!sequenceNumber || !/^\d{1,40}$/.test(sequenceNumber))
        throw new StreamsError(
          'ValidationException',
          `SequenceNumber must be given for ${type} (given '${sequenceNumber ?? ''}')`,
        );
      const seq = Number(sequenceNumber);
      if (seq <= stream.startSeq || (stream.endSeq !== undefined && seq > stream.endSeq) || seq > this.seq)
        throw new StreamsError('ValidationException', `Invalid SequenceNumber ${sequenceNumber} for shard ${shardId}`);
      if (seq <= stream.trimmedThrough)
        throw new StreamsError(
          'TrimmedDataAccessException',
          `Sequence number ${sequenceNumber} is beyond the trim horizon of shard ${shardId}`,
        );
      after = type === 'AT_SEQUENCE_NUMBER' ? seq - 1 : seq;
    } else {
      throw new StreamsError(
        'ValidationException',
        `1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`,
      );
    }
    return encodeIterator({ arn, shardId, after, issuedAt: this.opts.clock.now() });
  }

  records(shardIterator: string, limit: number | undefined): { records: StreamRecord[]; next?: string } {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_GET_RECORDS))
      throw new StreamsError(
        'ValidationException',
        `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_GET_RECORDS}`,
      );
    const state = decodeIterator(shardIterator);
    const now = this.opts.clock.now();
    if (now - state.issuedAt > ITERATOR_TTL_MS)
      throw new StreamsError(
        'ExpiredIteratorException',
        'Iterator expired. The iterator was created over 15 minutes ago.',
      );
    const stream = this.get(state.arn);
    if (state.after < stream.trimmedThrough)
      throw new StreamsError(
        'TrimmedDataAccessException',
        `The shard iterator of shard ${state.shardId} points at trimmed records`,
      );
    const from = stream.firstAfter(state.after);
    const to = Math.min(stream.records.length, from + (limit ?? MAX_GET_RECORDS));
    const page = stream.records.slice(from, to);
    const after = page.length > 0 ? page[page.length - 1]!.seq : state.after;
    const closedAndRead = stream.endSeq !== undefined && after >= stream.endSeq;
    return {
      records: page.map((r) => r.record),
      ...(closedAndRead ? {} : { next: encodeIterator({ ...state, after, issuedAt: now }) }),
    };
  }

  /** Drops disabled streams whose records have all passed the 24-hour retention. */
  private sweep(now: number): void {
    for (const [arn, stream] of this.streams) {
      if (!stream.enabled && stream.disabledAt !== undefined && now - stream.disabledAt >= RETENTION_MS) {
        this.streams.delete(arn);
        if (this.latestByTable.get(stream.tableName) === stream) this.latestByTable.delete(stream.tableName);
      }
    }
  }
}

function encodeIterator(state: IteratorState): string {
  return `${state.arn}|${Buffer.from(JSON.stringify(state)).toString('base64url')}`;
}

function decodeIterator(iterator: string): IteratorState {
  const bar = iterator.lastIndexOf('|');
  try {
    const state = JSON.parse(Buffer.from(iterator.slice(bar + 1), 'base64url').toString('utf8')) as IteratorState;
    if (typeof state.arn === 'string' && typeof state.after === 'number' && typeof state.issuedAt === 'number')
      return state;
  } catch {
    // fall through to the validation error
  }
  throw new StreamsError('ValidationException', 'Invalid ShardIterator');
}

/** Item equality regardless of attribute order and set order (a write that changes nothing makes no record). */
export function sameItem(a: Item, b: Item): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries
      .map(
        ([k, v]) =>
          `${JSON.stringify(k)}:${k === 'SS' || k === 'NS' || k === 'BS' ? canonical([...(v as string[])].sort()) : canonical(v)}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An item's size as DynamoDB counts it (names plus values), for `SizeBytes`. @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(v));
    case 'N':
      return Math.ceil(String(v).replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
    case 'B':
      return Buffer.from(String(v), 'base64').length;
    case 'SS':
    case 'NS':
    case 'BS':
      return (v as string[]).reduce((n, x) => n + valueSize({ [type.slice(0, 1)]: x }), 0);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((n, x) => n + 1 + valueSize(x), 0);
    case 'M':
      return 3 + Object.entries(v as Item).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueSize(x), 0);
    default:
      return 1;
  }
}

/** An AWS JSON 1.0 error answer in DynamoDB's namespace. */
export function dynamoError(code: string, message: string, status = 400): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message }),
  };
}

/** An AWS JSON 1.0 success answer. */
export function dynamoJson(value: unknown): ServiceResponse {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(value) };
}

const TARGET_PREFIX = 'DynamoDBStreams_20120810.';

/** The local DynamoDB Streams service, with the hook in-process consumers may use instead of polling. */
export interface DynamoDbStreamsService extends LocalService {
  readonly name: 'dynamodbstreams';
  /** Calls `listener` whenever a stream gets records; returns the unsubscribe function. */
  onRecords(listener: (streamArn: string, records: readonly StreamRecord[]) => void): () => void;
}

/**
 * The DynamoDB Streams API (AWS JSON 1.0, target `DynamoDBStreams_20120810.*`) over a
 * {@link StreamStore}: ListStreams, DescribeStream, GetShardIterator and GetRecords.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
 */
/**
 * A `Limit` parameter, validated like AWS: 1–100 for ListStreams, 1–1,000 for GetRecords.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
 */
function limitOf(input: Record<string, unknown>, max: number): number | undefined {
  const limit = input.Limit;
  if (limit === undefined || limit === null) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new StreamsError(
      'ValidationException',
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: ` +
        `Member must have value between 1 and ${max}`,
    );
  }
  return limit;
}

export function createStreamsService(store: StreamStore): DynamoDbStreamsService {
  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    ListStreams(input) {
      const tableName = typeof input.TableName === 'string' ? input.TableName : undefined;
      const limit = limitOf(input, 100) ?? 100;
      let streams = store.list(tableName);
      if (typeof input.ExclusiveStartStreamArn === 'string') {
        const i = streams.findIndex((s) => s.arn === input.ExclusiveStartStreamArn);
        streams = streams.slice(i + 1);
      }
      const page = streams.slice(0, limit);
      return {
        Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
        ...(streams.length > limit ? { LastEvaluatedStreamArn: page[page.length - 1]!.arn } : {}),
      };
    },
    DescribeStream(input) {
      const stream = store.get(String(input.StreamArn ?? ''));
      return {
        StreamDescription: {
          StreamArn: stream.arn,
          StreamLabel: stream.label,
          StreamStatus: stream.enabled ? 'ENABLED' : 'DISABLED',
          StreamViewType: stream.viewType,
          CreationRequestDateTime: stream.createdAt / 1000,
          TableName: stream.tableName,
          KeySchema: stream.keySchema,
          Shards: [
            {
              ShardId: stream.shardId,
              SequenceNumberRange: {
                StartingSequenceNumber: formatSequenceNumber(stream.startSeq + 1),
                ...(stream.endSeq !== undefined ? { EndingSequenceNumber: formatSequenceNumber(stream.endSeq) } : {}),
              },
            },
          ],
        },
      };
    },
    GetShardIterator(input) {
      return {
        ShardIterator: store.iterator(
          String(input.StreamArn ?? ''),
          String(input.ShardId ?? ''),
          String(input.ShardIteratorType ?? ''),
          typeof input.SequenceNumber === 'string' ? input.SequenceNumber : undefined,
        ),
      };
    },
    GetRecords(input) {
      if (typeof input.ShardIterator !== 'string')
        throw new StreamsError('ValidationException', 'ShardIterator is required');
      const { records, next } = store.records(input.ShardIterator, limitOf(input, 1000));
      return { Records: records, ...(next ? { NextShardIterator: next } : {}) };
    },
  };

  return {
    name: 'dynamodbstreams',
    onRecords: (listener) => store.onRecords(listener),
    async handle(req: ServiceRequest): Promise<ServiceResponse> {
      const target = req.headers['x-amz-target'] ?? '';
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      const run = Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation] : undefined;
      if (!run)
        return dynamoError(
          'UnknownOperationException',
          `The local DynamoDB Streams service does not implement the operation '${operation}'.`,
        );
      let input: Record<string, unknown>;
      try {
        const parsed: unknown = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        input = parsed as Record<string, unknown>;
      } catch {
        return dynamoError('SerializationException', 'The request body is not a valid JSON object.');
      }
      try {
        return dynamoJson(run(input));
      } catch (err) {
        if (err instanceof StreamsError) return dynamoError(err.code, err.message, err.status);
        throw err;
      }
    },
    health: () => 'running',
  };
}
