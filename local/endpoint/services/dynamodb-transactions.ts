import type { Clock } from '../../core/clock';
import type { ServiceResponse } from '../types';
import { dynamoError, dynamoJson, type Item, type KeySchemaElement } from './dynamodb-streams';

type Json = Readonly<Record<string, unknown>>;

/** What the transactions need from the DynamoDB core: the engine, table facts, locks and the stream capture. */
export interface TransactionHost {
  /** Runs one operation on the engine (no capture, no locks). */
  call(
    operation: string,
    input: Json,
  ): Promise<{ readonly status: number; readonly data: Json; readonly res: ServiceResponse }>;
  /** The table's key schema and whether it has local secondary indexes; undefined when it does not exist. */
  table(
    name: string,
  ): Promise<{ readonly keySchema: readonly KeySchemaElement[]; readonly localIndexes: boolean } | undefined>;
  /** Runs `fn` holding the write locks of the tables (the same locks every item write takes). */
  withLocks<T>(tables: readonly string[], fn: () => Promise<T>): Promise<T>;
  /** Appends the stream record of one item change (no-op without a stream). */
  recordChange(table: string, before: Item | undefined, after: Item | undefined): void;
}

/** At most 100 actions per transaction. @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html */
const MAX_ACTIONS = 100;
/** A ClientRequestToken is remembered for 10 minutes. */
const TOKEN_TTL_MS = 10 * 60 * 1000;
const ACTIONS = ['ConditionCheck', 'Put', 'Delete', 'Update'] as const;
type ActionName = (typeof ACTIONS)[number];

interface Action {
  readonly kind: ActionName;
  readonly table: string;
  readonly key: Item;
  readonly body: Json;
}

interface Reason {
  readonly Code: string;
  readonly Message?: string;
  readonly Item?: Item;
}

/**
 * TransactWriteItems and TransactGetItems over an engine that has neither: all actions run under
 * the write locks of their tables, so no other write interleaves. Conditions are all evaluated
 * first (each by the engine, against the item as it is), and any failure cancels the whole
 * transaction with one reason per action; otherwise every write is applied, and if one is still
 * refused, the ones already applied are put back. Stream records are appended only for a
 * transaction that committed.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
export class Transactions {
  private readonly tokens = new Map<
    string,
    { readonly request: string; readonly at: number; readonly answer: ServiceResponse }
  >();

  constructor(
    private readonly host: TransactionHost,
    private readonly clock: Clock,
  ) {}

  /** @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html */
  async write(input: Json): Promise<ServiceResponse> {
    const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
    const { ClientRequestToken: _token, ...request } = input;
    if (token !== undefined) {
      const now = this.clock.now();
      for (const [t, seen] of this.tokens) if (now - seen.at > TOKEN_TTL_MS) this.tokens.delete(t);
      const seen = this.tokens.get(token);
      if (seen && seen.request === JSON.stringify(request)) return seen.answer;
      if (seen)
        return dynamoError(
          'IdempotentParameterMismatchException',
          'The request uses the same client token as a previous, but non-identical request.',
        );
    }
    const parsed = await this.actions(input, ACTIONS);
    if ('error' in parsed) return parsed.error;
    const answer = await this.host.withLocks(
      parsed.actions.map((a) => a.table),
      () => this.run(parsed.actions, input.ReturnItemCollectionMetrics === 'SIZE', parsed.localIndexes),
    );
    if (token !== undefined && answer.status === 200)
      this.tokens.set(token, { request: JSON.stringify(request), at: this.clock.now(), answer });
    return answer;
  }

  /** @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html */
  async get(input: Json): Promise<ServiceResponse> {
    const parsed = await this.actions(input, ['Get']);
    if ('error' in parsed) return parsed.error;
    return this.host.withLocks(
      parsed.actions.map((a) => a.table),
      async () => {
        const responses: Json[] = [];
        for (const action of parsed.actions) {
          const { ProjectionExpression, ExpressionAttributeNames } = action.body;
          const got = await this.host.call('GetItem', {
            TableName: action.table,
            Key: action.key,
            ConsistentRead: true,
            ...(ProjectionExpression !== undefined ? { ProjectionExpression } : {}),
            ...(ExpressionAttributeNames !== undefined ? { ExpressionAttributeNames } : {}),
          });
          if (got.status !== 200) return got.res;
          responses.push(got.data.Item ? { Item: got.data.Item } : {});
        }
        return dynamoJson({ Responses: responses });
      },
    );
  }

  private async run(
    actions: readonly Action[],
    wantMetrics: boolean,
    localIndexes: ReadonlySet<string>,
  ): Promise<ServiceResponse> {
    const before: Array<Item | undefined> = [];
    for (const action of actions) before.push(await this.item(action.table, action.key));

    const reasons: Reason[] = [];
    for (const [i, action] of actions.entries()) {
      const condition = action.body.ConditionExpression;
      if (typeof condition !== 'string') {
        reasons.push({ Code: 'None' });
        continue;
      }
      const check = await this.host.call(before[i] ? 'PutItem' : 'DeleteItem', {
        TableName: action.table,
        ...(before[i] ? { Item: before[i] } : { Key: action.key }),
        ConditionExpression: condition,
        ...usedBy(condition, action.body),
      });
      if (check.status === 200) reasons.push({ Code: 'None' });
      else if (String(check.data.__type ?? '').endsWith('ConditionalCheckFailedException'))
        reasons.push({
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(action.body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before[i] ? { Item: before[i] } : {}),
        });
      else return check.res;
    }
    if (reasons.some((r) => r.Code !== 'None')) return canceled(reasons);

    const applied: number[] = [];
    for (const [i, action] of actions.entries()) {
      if (action.kind === 'ConditionCheck') continue;
      const { ReturnValuesOnConditionCheckFailure: _rv, ...body } = action.body;
      const done = await this.host.call(`${action.kind}Item`, { ...body, TableName: action.table });
      if (done.status !== 200) {
        await this.rollBack(actions, before, applied);
        return done.res;
      }
      applied.push(i);
    }
    for (const i of applied) {
      const action = actions[i]!;
      this.host.recordChange(action.table, before[i], await this.item(action.table, action.key));
    }
    return dynamoJson(wantMetrics ? { ItemCollectionMetrics: collectionMetrics(actions, localIndexes) } : {});
  }

  /** Puts back the items as they were before the transaction, newest change first. */
  private async rollBack(
    actions: readonly Action[],
    before: ReadonlyArray<Item | undefined>,
    applied: readonly number[],
  ): Promise<void> {
    for (const i of [...applied].reverse()) {
      const { table, key } = actions[i]!;
      const old = before[i];
      await this.host.call(old ? 'PutItem' : 'DeleteItem', {
        TableName: table,
        ...(old ? { Item: old } : { Key: key }),
      });
    }
  }

  private async item(table: string, key: Item): Promise<Item | undefined> {
    const got = await this.host.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    return got.status === 200 ? (got.data.Item as Item | undefined) : undefined;
  }

  /**
   * The actions of a TransactWriteItems/TransactGetItems request, checked as DynamoDB checks them
   * before anything runs: 1-100 actions, one kind each, existing tables, full keys, and no item
   * named twice.
   */
  private async actions(
    input: Json,
    kinds: readonly string[],
  ): Promise<{ actions: Action[]; localIndexes: Set<string> } | { error: ServiceResponse }> {
    const invalid = (message: string): { error: ServiceResponse } => ({
      error: dynamoError('ValidationException', message),
    });
    const items = input.TransactItems;
    if (!Array.isArray(items))
      return invalid(
        "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
      );
    if (items.length < 1 || items.length > MAX_ACTIONS)
      return invalid(
        `1 validation error detected: Value '${JSON.stringify(items).slice(0, 200)}' at 'transactItems' failed to satisfy constraint: Member must have length ${items.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ACTIONS}`}`,
      );
    const actions: Action[] = [];
    const localIndexes = new Set<string>();
    const seen = new Set<string>();
    for (const entry of items as unknown[]) {
      const present =
        typeof entry === 'object' && entry !== null
          ? kinds.filter((k) => (entry as Json)[k] !== undefined && (entry as Json)[k] !== null)
          : [];
      if (present.length !== 1)
        return invalid(
          kinds.length === 1
            ? 'TransactItems can only contain a Get operation'
            : 'TransactItems can only contain one of Check, Put, Update or Delete',
        );
      const kind = present[0] as ActionName;
      const body = (entry as Json)[kind] as Json;
      if (typeof body !== 'object' || typeof body.TableName !== 'string')
        return invalid(
          `1 validation error detected: Value null at 'transactItems.member.${kind}.tableName' failed to satisfy constraint: Member must not be null`,
        );
      if (kind === 'ConditionCheck' && typeof body.ConditionExpression !== 'string')
        return invalid('ConditionCheck requires a ConditionExpression');
      const table = await this.host.table(body.TableName);
      if (!table) return { error: dynamoError('ResourceNotFoundException', 'Requested resource not found') };
      if (table.localIndexes) localIndexes.add(body.TableName);
      const source = (kind === 'Put' ? body.Item : body.Key) as Item | undefined;
      const key: Record<string, Item[string]> = {};
      for (const { AttributeName } of table.keySchema) {
        const value = source?.[AttributeName];
        if (!value) return invalid('The provided key element does not match the schema');
        key[AttributeName] = value;
      }
      const id = `${body.TableName}\u0000${canonical(key)}`;
      if (seen.has(id)) return invalid('Transaction request cannot include multiple operations on one item');
      seen.add(id);
      actions.push({ kind, table: body.TableName, key, body });
    }
    return { actions, localIndexes };
  }
}

/** The ExpressionAttributeNames and Values that an expression uses (the engine refuses unused ones). */
function usedBy(expression: string, body: Json): Json {
  const pick = (map: unknown, pattern: RegExp): Record<string, unknown> | undefined => {
    if (typeof map !== 'object' || map === null) return undefined;
    const used = new Set(expression.match(pattern) ?? []);
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(map)) if (used.has(name)) out[name] = value;
    return Object.keys(out).length ? out : undefined;
  };
  const names = pick(body.ExpressionAttributeNames, /#[A-Za-z0-9_]+/g);
  const values = pick(body.ExpressionAttributeValues, /:[A-Za-z0-9_]+/g);
  return {
    ...(names ? { ExpressionAttributeNames: names } : {}),
    ...(values ? { ExpressionAttributeValues: values } : {}),
  };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#API_TransactWriteItems_Errors */
function canceled(reasons: readonly Reason[]): ServiceResponse {
  const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`;
  return {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'TransactionCanceledException' },
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      Message: message,
      CancellationReasons: reasons,
    }),
  };
}

/**
 * ItemCollectionMetrics for `ReturnItemCollectionMetrics: SIZE`: one entry per item written to a
 * table with local secondary indexes, keyed by its partition key. Collections here are far below
 * a gigabyte, so the estimate is always [0, 1].
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ItemCollectionMetrics.html
 */
export function itemCollectionMetrics(partitionKey: Item): Json {
  return { ItemCollectionKey: partitionKey, SizeEstimateRangeGB: [0, 1] };
}

function collectionMetrics(actions: readonly Action[], localIndexes: ReadonlySet<string>): Json {
  const out: Record<string, Json[]> = {};
  for (const action of actions) {
    if (action.kind === 'ConditionCheck' || !localIndexes.has(action.table)) continue;
    const [hashName] = Object.keys(action.key);
    (out[action.table] ??= []).push(itemCollectionMetrics({ [hashName!]: action.key[hashName!]! }));
  }
  return out;
}
