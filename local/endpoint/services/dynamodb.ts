import { crc32 } from 'node:zlib';
import dynalite from 'dynalite';
import { realClock, type Clock, type Timer } from '../../core/clock';
import { dispatchToNodeServer, type DispatchOptions } from '../node-adapter';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse } from '../types';
import {
  STREAM_VIEW_TYPES,
  StreamStore,
  createStreamsService,
  dynamoError,
  dynamoJson,
  type DynamoDbStreamsService,
  type Item,
  type KeySchemaElement,
  type StreamViewType,
  type TableStreamInfo,
} from './dynamodb-streams';
import { deleteItemProblem, scanProblem, taggingProblem } from './dynamodb-validation';
import { itemCollectionMetrics, Transactions } from './dynamodb-transactions';
import { withProcessEnv } from './engine-env';
import { nullListMember, nullMemberMessage } from './null-members';

/** Options of {@link dynamodbServices}. */
export interface DynamoDbServiceOptions {
  /** Clock for stream record times, iterator expiry, the 24-hour trim and TTL expiry. @default realClock */
  readonly clock?: Clock;
  /**
   * Virtual milliseconds between two Time to Live sweeps. AWS deletes expired items within days;
   * the lab deletes them within one sweep.
   * @default 10_000
   */
  readonly ttlSweepMs?: number;
  /** Most records one stream keeps before the oldest are trimmed. @default 100_000 */
  readonly maxStreamRecords?: number;
}

/** The local DynamoDB service, with what other engine parts may read in-process. */
export interface DynamoDbService extends LocalService {
  readonly name: 'dynamodb';
  /** The table's current stream (ARN, label, view type), if one is enabled. */
  stream(tableName: string): TableStreamInfo | undefined;
  /** Runs one Time to Live sweep now (tests and the engine's time travel). */
  sweepExpiredItems(): Promise<number>;
}

/** Operations dynalite 4.0.0 implements, passed through (writes with stream capture). */
const DYNALITE_OPERATIONS = new Set([
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
]);

/** Operations this wrapper serves itself, on top of dynalite. */
const OUR_OPERATIONS = new Set(['UpdateTimeToLive', 'DescribeTimeToLive', 'TransactWriteItems', 'TransactGetItems']);

const TARGET_PREFIX = 'DynamoDB_20120810.';
/** TTL skips items whose expiry is more than five years old. @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html */
const TTL_MAX_AGE_S = 5 * 365 * 24 * 60 * 60;

type Json = Record<string, unknown>;

interface TableMeta {
  readonly keySchema: readonly KeySchemaElement[];
  /** Whether the table has local secondary indexes (item collections report their size). */
  readonly localIndexes: boolean;
}

interface EngineAnswer {
  readonly status: number;
  readonly data: Json;
  readonly res: ServiceResponse;
}

/**
 * DynamoDB and DynamoDB Streams on the shared endpoint. DynamoDB is dynalite, run in-process in
 * memory without a port; this wrapper adds what dynalite lacks: StreamSpecification and stream
 * capture for every write that passes through (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
 * TTL deletions), Time to Live, and `Item` on ConditionalCheckFailedException when
 * `ReturnValuesOnConditionCheckFailure` is `ALL_OLD`. Both factories share one store; register both.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
 */
export function dynamodbServices(
  options: DynamoDbServiceOptions = {},
): readonly [(ctx: EndpointContext) => DynamoDbService, (ctx: EndpointContext) => DynamoDbStreamsService] {
  const cores = new WeakMap<EndpointContext, DynamoCore>();
  const coreFor = (ctx: EndpointContext): DynamoCore => {
    let core = cores.get(ctx);
    if (!core) {
      core = new DynamoCore(ctx, options);
      cores.set(ctx, core);
    }
    return core;
  };
  return [(ctx) => coreFor(ctx).service(), (ctx) => createStreamsService(coreFor(ctx).streams)];
}

class DynamoCore {
  readonly streams: StreamStore;
  private readonly engine: ReturnType<typeof dynalite>;
  private readonly clock: Clock;
  private readonly tables = new Map<string, TableMeta>();
  private readonly ttl = new Map<string, string>();
  private readonly locks = new Map<string, Promise<void>>();
  private readonly transactions: Transactions;
  private sweepTimer: Timer | undefined;
  private sweeping: Promise<number> | undefined;
  private closed = false;

  constructor(
    private readonly ctx: EndpointContext,
    private readonly options: DynamoDbServiceOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.engine = withProcessEnv(
      { AWS_REGION: ctx.region, AWS_DEFAULT_REGION: ctx.region, AWS_ACCOUNT_ID: ctx.accountId },
      () => dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }),
    );
    this.streams = new StreamStore({
      clock: this.clock,
      region: ctx.region,
      accountId: ctx.accountId,
      maxRecordsPerStream: options.maxStreamRecords,
    });
    this.transactions = new Transactions(
      {
        call: (operation, input) => this.call(operation, input),
        table: (name) => this.meta(name),
        withLocks: (tables, fn) => this.withLocks(tables, fn),
        recordChange: (table, before, after) => void this.streams.append(table, before, after),
      },
      this.clock,
    );
  }

  service(): DynamoDbService {
    return {
      name: 'dynamodb',
      handle: (req) => this.handle(req),
      health: () => (this.closed ? 'stopped' : 'running'),
      stream: (tableName) => this.streams.active(tableName),
      sweepExpiredItems: () => this.sweep(),
      close: () => this.close(),
    };
  }

  private async handle(req: ServiceRequest): Promise<ServiceResponse> {
    const target = req.headers['x-amz-target'] ?? '';
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const isOurs = OUR_OPERATIONS.has(operation);
    if (!isOurs && !DYNALITE_OPERATIONS.has(operation)) {
      const message = operation
        ? `The local DynamoDB service does not implement the operation '${operation}'.`
        : `The local DynamoDB service needs an X-Amz-Target of the form ${TARGET_PREFIX}<Operation> (given '${target}').`;
      return dynamoError('UnknownOperationException', message);
    }
    const input = parseInput(req.body);
    if (input === 'empty') return this.forward(req);
    if (typeof input === 'string')
      return rewriteBody(
        {
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'SerializationException' },
        },
        { __type: 'com.amazon.coral.service#SerializationException', Message: input },
      );
    const problem = validationProblem(operation, input);
    if (problem) return dynamoError('ValidationException', problem);
    const forward = (body?: Json): Promise<ServiceResponse> => this.forward(req, body);
    switch (operation) {
      case 'CreateTable':
        return this.createTable(input, forward);
      case 'DescribeTable':
        return this.describeTable(input, forward);
      case 'UpdateTable':
        return this.updateTable(input, forward);
      case 'DeleteTable':
        return this.deleteTable(input, forward);
      case 'UpdateTimeToLive':
        return this.updateTimeToLive(input);
      case 'DescribeTimeToLive':
        return this.describeTimeToLive(input);
      case 'PutItem':
      case 'UpdateItem':
      case 'DeleteItem':
        return this.writeItem(operation, input, () => forward());
      case 'BatchWriteItem':
        return this.batchWrite(input, () => forward());
      case 'TransactWriteItems':
        return this.transactions.write(input);
      case 'TransactGetItems':
        return this.transactions.get(input);
      default:
        return forward();
    }
  }

  // ---- tables -------------------------------------------------------------------------------

  private async createTable(input: Json, forward: (body?: Json) => Promise<ServiceResponse>): Promise<ServiceResponse> {
    const spec = parseStreamSpecification(input.StreamSpecification);
    if ('error' in spec) return spec.error;
    const { StreamSpecification: _ignored, ...rest } = input;
    const res = await forward(rest);
    if (res.status !== 200) return res;
    const name = String(input.TableName);
    await this.untilActive(name);
    const keySchema = (input.KeySchema ?? []) as KeySchemaElement[];
    const localIndexes = Array.isArray(input.LocalSecondaryIndexes) && input.LocalSecondaryIndexes.length > 0;
    this.tables.set(name, { keySchema, localIndexes });
    this.ttl.delete(name);
    this.streams.forgetTable(name);
    if (spec.enabled) this.streams.enable(name, spec.viewType, keySchema);
    return this.withStreamFields(res, 'TableDescription', name);
  }

  /**
   * Waits for dynalite's own switch of a new table to ACTIVE, which it makes on a timer after it has
   * answered CreateTable: a client that writes right after CreateTable (as the engine's tables are meant
   * to allow at once) would otherwise meet ResourceNotFoundException on a busy machine. The answer still
   * says CREATING, as DynamoDB's does.
   */
  private async untilActive(name: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { data } = await this.call('DescribeTable', { TableName: name });
      const table = data.Table as { TableStatus?: string } | undefined;
      if (table?.TableStatus !== 'CREATING') return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private async describeTable(
    input: Json,
    forward: (body?: Json) => Promise<ServiceResponse>,
  ): Promise<ServiceResponse> {
    const res = await forward();
    return res.status === 200 ? this.withStreamFields(res, 'Table', String(input.TableName)) : res;
  }

  private async updateTable(input: Json, forward: (body?: Json) => Promise<ServiceResponse>): Promise<ServiceResponse> {
    const name = String(input.TableName);
    if (input.StreamSpecification === undefined) {
      const res = await forward();
      return res.status === 200 ? this.withStreamFields(res, 'TableDescription', name) : res;
    }
    const spec = parseStreamSpecification(input.StreamSpecification);
    if ('error' in spec) return spec.error;
    const meta = await this.meta(name);
    if (!meta)
      return dynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    const current = this.streams.active(name);
    if (spec.enabled && current)
      return dynamoError('ValidationException', `Table already has an enabled stream: TableName: ${name}`);
    if (!spec.enabled && !current)
      return dynamoError('ValidationException', `Stream is already disabled: TableName: ${name}`);
    const { StreamSpecification: _ignored, ...rest } = input;
    const otherChanges = Object.keys(rest).some((k) => k !== 'TableName');
    const res = otherChanges ? await forward(rest) : await this.describeViaEngine(name);
    if (res.status !== 200) return res;
    if (spec.enabled) this.streams.enable(name, spec.viewType, meta.keySchema);
    else this.streams.disable(name);
    return this.withStreamFields(res, otherChanges ? 'TableDescription' : 'Table', name, 'TableDescription');
  }

  private async deleteTable(input: Json, forward: (body?: Json) => Promise<ServiceResponse>): Promise<ServiceResponse> {
    const res = await forward();
    if (res.status === 200) {
      const name = String(input.TableName);
      this.tables.delete(name);
      this.ttl.delete(name);
      this.streams.forgetTable(name);
    }
    return res;
  }

  private async describeViaEngine(name: string): Promise<ServiceResponse> {
    return this.dispatch('DescribeTable', { TableName: name });
  }

  /** Adds StreamSpecification, LatestStreamArn and LatestStreamLabel, which dynalite drops. */
  private withStreamFields(res: ServiceResponse, field: string, tableName: string, renameTo = field): ServiceResponse {
    const data = parseBody(res);
    const table = data[field] as Json | undefined;
    if (!table) return res;
    const stream = this.streams.latest(tableName);
    const described: Json = {
      ...table,
      ...(stream?.enabled ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.viewType } } : {}),
      ...(stream ? { LatestStreamArn: stream.arn, LatestStreamLabel: stream.label } : {}),
    };
    const { [field]: _old, ...others } = data;
    return rewriteBody(res, { ...others, [renameTo]: described });
  }

  private async meta(tableName: string): Promise<TableMeta | undefined> {
    const known = this.tables.get(tableName);
    if (known) return known;
    const answer = await this.call('DescribeTable', { TableName: tableName });
    if (answer.status !== 200) return undefined;
    const table = (answer.data.Table ?? {}) as Json;
    const meta = {
      keySchema: (table.KeySchema ?? []) as KeySchemaElement[],
      localIndexes: Array.isArray(table.LocalSecondaryIndexes) && table.LocalSecondaryIndexes.length > 0,
    };
    this.tables.set(tableName, meta);
    return meta;
  }

  // ---- Time to Live -------------------------------------------------------------------------

  /** @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html */
  private async updateTimeToLive(input: Json): Promise<ServiceResponse> {
    const name = String(input.TableName ?? '');
    const spec = input.TimeToLiveSpecification as Json | undefined;
    if (!spec || typeof spec.Enabled !== 'boolean' || typeof spec.AttributeName !== 'string' || !spec.AttributeName)
      return dynamoError(
        'ValidationException',
        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null, and must carry Enabled and AttributeName",
      );
    if (!(await this.meta(name)))
      return dynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    const current = this.ttl.get(name);
    if (spec.Enabled && current) return dynamoError('ValidationException', 'TimeToLive is already enabled');
    if (!spec.Enabled && !current) return dynamoError('ValidationException', 'TimeToLive is already disabled');
    if (spec.Enabled) this.ttl.set(name, spec.AttributeName);
    else this.ttl.delete(name);
    this.scheduleSweep();
    return dynamoJson({ TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } });
  }

  private async describeTimeToLive(input: Json): Promise<ServiceResponse> {
    const name = String(input.TableName ?? '');
    if (!(await this.meta(name)))
      return dynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    const attribute = this.ttl.get(name);
    return dynamoJson({
      TimeToLiveDescription: attribute
        ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute }
        : { TimeToLiveStatus: 'DISABLED' },
    });
  }

  private scheduleSweep(): void {
    if (this.closed || this.sweepTimer || this.ttl.size === 0) return;
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      // A failed sweep (a table deleted mid-sweep, a throwing stream listener) must not crash the engine;
      // the next sweep tries again.
      void this.sweep()
        .catch(() => undefined)
        .finally(() => this.scheduleSweep());
    }, this.options.ttlSweepMs ?? 10_000);
  }

  /**
   * Deletes every expired item of every table with TTL enabled, each with a REMOVE stream record
   * whose userIdentity names the DynamoDB service. Returns how many items were deleted.
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
   */
  private sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    let deleted = 0;
    for (const [table, attribute] of [...this.ttl]) {
      // TTL values are absolute epoch seconds written from the wall clock: compare them with the wall
      // clock, not with virtual time (which would expire items time-scale times too early).
      const nowS = Math.floor(this.clock.wallNow() / 1000);
      const meta = await this.meta(table);
      if (!meta) continue;
      let start: Json | undefined;
      do {
        const page = await this.call('Scan', {
          TableName: table,
          FilterExpression: '#ttl <= :now AND #ttl >= :oldest',
          ExpressionAttributeNames: { '#ttl': attribute },
          ExpressionAttributeValues: { ':now': { N: String(nowS) }, ':oldest': { N: String(nowS - TTL_MAX_AGE_S) } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        });
        if (page.status !== 200) break;
        for (const item of (page.data.Items ?? []) as Item[]) {
          const Key = pickKey(item, meta.keySchema);
          const input = {
            TableName: table,
            Key,
            ConditionExpression: '#ttl <= :now',
            ExpressionAttributeNames: { '#ttl': attribute },
            ExpressionAttributeValues: { ':now': { N: String(nowS) } },
          };
          const res = await this.writeItem('DeleteItem', input, () => this.dispatch('DeleteItem', input), true);
          if (res.status === 200) deleted += 1;
        }
        start = page.data.LastEvaluatedKey as Json | undefined;
      } while (start && !this.closed);
    }
    return deleted;
  }

  // ---- writes with stream capture -----------------------------------------------------------

  /**
   * Runs one item write and appends its stream record: the old image is read before and the new
   * image after, under the table's lock so concurrent writes cannot interleave.
   */
  private async writeItem(
    operation: 'PutItem' | 'UpdateItem' | 'DeleteItem',
    input: Json,
    send: () => Promise<ServiceResponse>,
    byTtl = false,
  ): Promise<ServiceResponse> {
    const table = String(input.TableName ?? '');
    const wantsOld = input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
    const meta = await this.meta(table);
    if (!meta) return send();
    const key = keyOf(operation, input, meta);
    // Every item write holds its table's lock, so a transaction's writes never interleave with it.
    return this.withLocks([table], async () => {
      const capture = this.streams.active(table) !== undefined;
      const before = capture ? await this.getItem(table, key) : undefined;
      const res = await send();
      if (res.status !== 200) {
        const old = wantsOld && isConditionFailure(res) ? (before ?? (await this.getItem(table, key))) : undefined;
        return old ? withConditionItem(res, old) : res;
      }
      if (capture) {
        const after = operation === 'DeleteItem' ? undefined : await this.getItem(table, key);
        this.streams.append(table, before, after, byTtl);
      }
      const [hash] = meta.keySchema;
      if (input.ReturnItemCollectionMetrics === 'SIZE' && meta.localIndexes && hash && key?.[hash.AttributeName])
        return rewriteBody(res, {
          ...parseBody(res),
          ItemCollectionMetrics: itemCollectionMetrics({ [hash.AttributeName]: key[hash.AttributeName]! }),
        });
      return res;
    });
  }

  private async batchWrite(input: Json, send: () => Promise<ServiceResponse>): Promise<ServiceResponse> {
    const requests = (input.RequestItems ?? {}) as Record<string, Json[]>;
    const all = Object.keys(requests);
    const tables = all.filter((t) => this.streams.active(t));
    if (tables.length === 0) return this.withLocks(all, send);
    const writes: Array<{ table: string; key: Item; put: boolean }> = [];
    for (const table of tables) {
      const meta = await this.meta(table);
      if (!meta) return send();
      for (const request of requests[table] ?? []) {
        const put = request.PutRequest as Json | undefined;
        const del = request.DeleteRequest as Json | undefined;
        if (put) writes.push({ table, key: pickKey((put.Item ?? {}) as Item, meta.keySchema), put: true });
        else if (del) writes.push({ table, key: (del.Key ?? {}) as Item, put: false });
      }
    }
    return this.withLocks(all, async () => {
      const before = await Promise.all(writes.map((w) => this.getItem(w.table, w.key)));
      const res = await send();
      if (res.status !== 200) return res;
      const after = await Promise.all(writes.map((w) => (w.put ? this.getItem(w.table, w.key) : undefined)));
      writes.forEach((w, i) => this.streams.append(w.table, before[i], after[i]));
      return res;
    });
  }

  private async getItem(table: string, key: Item | undefined): Promise<Item | undefined> {
    if (!key) return undefined;
    const answer = await this.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    return answer.status === 200 ? (answer.data.Item as Item | undefined) : undefined;
  }

  private async withLocks<T>(tables: readonly string[], fn: () => Promise<T>): Promise<T> {
    const releases: Array<() => void> = [];
    for (const table of [...new Set(tables)].sort()) releases.push(await this.acquire(table));
    try {
      return await fn();
    } finally {
      for (const release of releases) release();
    }
  }

  private async acquire(table: string): Promise<() => void> {
    const previous = this.locks.get(table) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.locks.set(table, tail);
    await previous;
    return () => {
      release();
      if (this.locks.get(table) === tail) this.locks.delete(table);
    };
  }

  // ---- the engine ---------------------------------------------------------------------------

  private forward(req: ServiceRequest, body?: Json): Promise<ServiceResponse> {
    return dispatchToNodeServer(
      this.engine,
      {
        method: req.method,
        url: req.rawQuery ? `${req.path}?${req.rawQuery}` : req.path,
        headers: req.headers,
        body: body === undefined ? req.body : Buffer.from(JSON.stringify(body)),
      },
      ENGINE_FAILURE,
    );
  }

  private dispatch(operation: string, input: Json): Promise<ServiceResponse> {
    return dispatchToNodeServer(
      this.engine,
      {
        method: 'POST',
        url: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `${TARGET_PREFIX}${operation}`,
          'x-amz-date': '20260101T000000Z',
          authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${this.ctx.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: Buffer.from(JSON.stringify(input)),
      },
      ENGINE_FAILURE,
    );
  }

  private async call(operation: string, input: Json): Promise<EngineAnswer> {
    const res = await this.dispatch(operation, input);
    return { status: res.status, data: parseBody(res), res };
  }

  private async close(): Promise<void> {
    this.closed = true;
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
    await this.sweeping;
    await new Promise<void>((resolve) => this.engine.close(() => resolve()));
  }
}

/** The checks DynamoDB makes before an operation runs that dynalite lacks. */
function validationProblem(operation: string, input: Json): string | undefined {
  const nullMember = nullListMember(input);
  if (nullMember) return nullMemberMessage(nullMember);
  switch (operation) {
    case 'Scan':
      return scanProblem(input);
    case 'DeleteItem':
      return deleteItemProblem(input);
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsOfResource':
      return taggingProblem(operation, input);
    default:
      return undefined;
  }
}

/** What answers for dynalite when it throws (it does on some nested nulls) or never answers. */
const ENGINE_FAILURE: DispatchOptions = {
  onFailure: (err) =>
    dynamoError('InternalServerError', `Internal error in the local DynamoDB service: ${err.message}`, 500),
};

/**
 * The request's JSON object; 'empty' for no body (dynalite answers that itself), or the
 * SerializationException message for a body that is not a JSON object (`null`, arrays, numbers,
 * strings), which DynamoDB refuses before it looks at the operation's members.
 */
function parseInput(body: Buffer): Json | 'empty' | string {
  const text = body.toString('utf8').trim();
  if (text === '') return 'empty';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'The request body is not valid JSON.';
  }
  if (Array.isArray(value)) return 'Start of list found where not expected';
  if (typeof value !== 'object' || value === null)
    return `Expected a JSON object as the request body (given ${value === null ? 'null' : typeof value}).`;
  return value as Json;
}

function parseStreamSpecification(
  value: unknown,
): { enabled: false } | { enabled: true; viewType: StreamViewType } | { error: ServiceResponse } {
  if (value === undefined || value === null) return { enabled: false };
  const spec = value as Json;
  if (spec.StreamEnabled !== true) return { enabled: false };
  const viewType = spec.StreamViewType;
  if (typeof viewType !== 'string' || !STREAM_VIEW_TYPES.has(viewType))
    return {
      error: dynamoError(
        'ValidationException',
        `One or more parameter values were invalid: StreamViewType must be one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES when streams are enabled (given ${String(viewType)})`,
      ),
    };
  return { enabled: true, viewType: viewType as StreamViewType };
}

function pickKey(item: Item, keySchema: readonly KeySchemaElement[]): Item {
  const key: Record<string, Item[string]> = {};
  for (const { AttributeName } of keySchema) {
    const value = item[AttributeName];
    if (value) key[AttributeName] = value;
  }
  return key;
}

function keyOf(operation: string, input: Json, meta: TableMeta | undefined): Item | undefined {
  if (operation !== 'PutItem') return input.Key as Item | undefined;
  return meta && input.Item ? pickKey(input.Item as Item, meta.keySchema) : undefined;
}

function parseBody(res: ServiceResponse): Json {
  try {
    const text = res.body === undefined ? '' : res.body.toString();
    return text ? (JSON.parse(text) as Json) : {};
  } catch {
    return {};
  }
}

/** Replaces a JSON body and its `x-amz-crc32` (the checksum DynamoDB clients may verify). */
function rewriteBody(res: ServiceResponse, value: Json): ServiceResponse {
  const body = Buffer.from(JSON.stringify(value));
  const headers: Record<string, string | readonly string[]> = { ...res.headers };
  headers['content-length'] = String(body.length);
  headers['x-amz-crc32'] = String(crc32(body));
  return { ...res, headers, body };
}

/** `ReturnValuesOnConditionCheckFailure: ALL_OLD` puts the item in the error. @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html */
function withConditionItem(res: ServiceResponse, item: Item): ServiceResponse {
  return isConditionFailure(res) ? rewriteBody(res, { ...parseBody(res), Item: item }) : res;
}

function isConditionFailure(res: ServiceResponse): boolean {
  return res.status === 400 && String(parseBody(res).__type ?? '').endsWith('ConditionalCheckFailedException');
}
