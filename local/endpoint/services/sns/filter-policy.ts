/**
 * SNS subscription filter policies: parse once, match each message.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html
 */

/** What a filter policy is matched against. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A message attribute as SNS carries it. */
export interface SnsAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Condition =
  | { readonly kind: 'exact'; readonly value: string | number | null }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'numeric'; readonly tests: ReadonlyArray<readonly [string, number]> }
  | { readonly kind: 'anything-but'; readonly not: readonly Condition[] };

/** A parsed policy: every key must match (AND); `$or` holds alternative sub-policies. */
export interface FilterPolicy {
  readonly keys: ReadonlyMap<string, readonly Condition[] | FilterPolicy>;
  readonly or: readonly FilterPolicy[];
}

/** Thrown for a policy SNS would reject; the message completes "Invalid parameter: FilterPolicy: …". */
export class FilterPolicyError extends Error {}

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

/** Parses and checks a filter policy's JSON text. Nested objects are allowed only for `MessageBody` scope. */
export function parseFilterPolicy(text: string, scope: FilterPolicyScope): FilterPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FilterPolicyError('failed to parse JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FilterPolicyError('Filter policy must be a JSON object.');
  }
  return parsePolicy(json as Record<string, Json>, scope, 0);
}

function parsePolicy(obj: Record<string, Json>, scope: FilterPolicyScope, depth: number): FilterPolicy {
  const keys = new Map<string, readonly Condition[] | FilterPolicy>();
  const or: FilterPolicy[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2)
        throw new FilterPolicyError('$or must be an array of at least 2 objects.');
      for (const alt of value) {
        if (typeof alt !== 'object' || alt === null || Array.isArray(alt))
          throw new FilterPolicyError('$or entries must be objects.');
        or.push(parsePolicy(alt, scope, depth));
      }
    } else if (Array.isArray(value)) {
      keys.set(key, value.map(parseCondition));
    } else if (typeof value === 'object' && value !== null) {
      if (scope !== 'MessageBody') {
        throw new FilterPolicyError(
          `"${key}" must be an object or an array (nested keys need FilterPolicyScope MessageBody).`,
        );
      }
      if (depth >= 5) throw new FilterPolicyError('Filter policy can not have more than 5 levels of nesting.');
      keys.set(key, parsePolicy(value, scope, depth + 1));
    } else {
      throw new FilterPolicyError(`"${key}" must be an object or an array.`);
    }
  }
  return { keys, or };
}

function parseCondition(c: Json): Condition {
  if (c === null || typeof c === 'string' || typeof c === 'number') return { kind: 'exact', value: c };
  if (typeof c !== 'object' || Array.isArray(c))
    throw new FilterPolicyError(`Match value must be a string, number, null or object (given ${JSON.stringify(c)}).`);
  const entries = Object.entries(c);
  if (entries.length !== 1) throw new FilterPolicyError('A match object must have exactly one operator.');
  const [op, arg] = entries[0]!;
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new FilterPolicyError(`${op} match pattern must be a string.`);
      return { kind: op, value: arg };
    case 'exists':
      if (typeof arg !== 'boolean') throw new FilterPolicyError('exists match pattern must be either true or false.');
      return { kind: 'exists', value: arg };
    case 'numeric': {
      if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
        throw new FilterPolicyError('Value of numeric must be an array of operator/number pairs.');
      }
      const tests: Array<readonly [string, number]> = [];
      for (let i = 0; i < arg.length; i += 2) {
        const o = arg[i];
        const n = arg[i + 1];
        if (typeof o !== 'string' || !NUMERIC_OPS.has(o) || typeof n !== 'number') {
          throw new FilterPolicyError(`Unrecognized numeric range operator or value: ${JSON.stringify([o, n])}.`);
        }
        tests.push([o, n]);
      }
      return { kind: 'numeric', tests };
    }
    case 'anything-but': {
      const list = Array.isArray(arg) ? arg : [arg];
      const not = list.map((v) => {
        if (typeof v === 'string' || typeof v === 'number') return { kind: 'exact', value: v } as const;
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
          const cond = parseCondition(v);
          if (cond.kind === 'prefix' || cond.kind === 'suffix' || cond.kind === 'equals-ignore-case') return cond;
        }
        throw new FilterPolicyError('anything-but takes a string, a number, a list of them, or a prefix/suffix.');
      });
      return { kind: 'anything-but', not };
    }
    default:
      throw new FilterPolicyError(`Unrecognized match type ${op}.`);
  }
}

/** A scalar value a condition sees: strings and numbers (body numbers, Number attributes) or null. */
type Scalar = string | number | boolean | null;

function scalarMatches(cond: Condition, v: Scalar): boolean {
  switch (cond.kind) {
    case 'exact':
      if (cond.value === null) return v === null;
      if (typeof cond.value === 'number') return toNumber(v) === cond.value;
      return typeof v === 'string' && v === cond.value;
    case 'prefix':
      return typeof v === 'string' && v.startsWith(cond.value);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(cond.value);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === cond.value.toLowerCase();
    case 'numeric': {
      const n = toNumber(v);
      if (n === undefined) return false;
      return cond.tests.every(([op, x]) =>
        op === '=' ? n === x : op === '<' ? n < x : op === '<=' ? n <= x : op === '>' ? n > x : n >= x,
      );
    }
    case 'anything-but':
      return v !== null && !cond.not.some((c) => scalarMatches(c, v));
    case 'exists':
      return cond.value;
  }
}

function toNumber(v: Scalar): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A key's conditions against its values (absent → undefined; arrays match if any element matches). */
function keyMatches(conditions: readonly Condition[], values: readonly Scalar[] | undefined): boolean {
  return conditions.some((cond) => {
    if (cond.kind === 'exists') return cond.value === (values !== undefined);
    if (values === undefined) return false;
    return values.some((v) => scalarMatches(cond, v));
  });
}

/** Matches a policy against message attributes (String, Number, String.Array; Binary is never matched). */
export function matchesAttributes(policy: FilterPolicy, attributes: Readonly<Record<string, SnsAttribute>>): boolean {
  const valuesOf = (name: string): Scalar[] | undefined => {
    const a = attributes[name];
    if (!a || a.DataType.startsWith('Binary')) return undefined;
    if (a.DataType === 'String.Array') {
      try {
        const arr = JSON.parse(a.StringValue ?? '[]') as unknown;
        if (Array.isArray(arr)) return arr.filter((x): x is Scalar => typeof x !== 'object' || x === null);
      } catch {
        return [];
      }
    }
    if (a.DataType.startsWith('Number')) return [Number(a.StringValue)];
    return [a.StringValue ?? ''];
  };
  const match = (p: FilterPolicy): boolean =>
    [...p.keys].every(([key, c]) => Array.isArray(c) && keyMatches(c as readonly Condition[], valuesOf(key))) &&
    (p.or.length === 0 || p.or.some(match));
  return match(policy);
}

/** Matches a policy against a JSON message body; a body that is not a JSON object matches nothing. */
export function matchesBody(policy: FilterPolicy, body: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  return matchObject(policy, json as Record<string, Json>);
}

function matchObject(p: FilterPolicy, obj: Record<string, Json> | undefined): boolean {
  const keysMatch = [...p.keys].every(([key, c]) => {
    const v = obj?.[key];
    if (!Array.isArray(c)) {
      const nested = typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
      // Nested keys also match inside arrays of objects.
      if (Array.isArray(v))
        return v.some(
          (x) => typeof x === 'object' && x !== null && !Array.isArray(x) && matchObject(c as FilterPolicy, x),
        );
      return matchObject(c as FilterPolicy, nested);
    }
    const values =
      v === undefined
        ? undefined
        : Array.isArray(v)
          ? v.filter((x): x is Scalar => typeof x !== 'object' || x === null)
          : typeof v === 'object' && v !== null
            ? undefined
            : [v];
    return keyMatches(c as readonly Condition[], values);
  });
  return keysMatch && (p.or.length === 0 || p.or.some((alt) => matchObject(alt, obj)));
}
