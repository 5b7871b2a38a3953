/**
 * Lambda event filtering (`FilterCriteria`) for event source mappings: the pattern syntax Lambda
 * shares with EventBridge, applied to each record before invocation.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */

/** A compiled set of filter patterns; a record passes when any pattern matches (OR). */
export type RecordFilter = (view: unknown) => boolean;

/**
 * Compiles `FilterCriteria.Filters[].Pattern` texts. No patterns means every record passes.
 * Throws on a pattern that is not a JSON object, naming it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */
export function compileFilters(patterns: readonly string[]): RecordFilter {
  if (patterns.length === 0) return () => true;
  const parsed = patterns.map((text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`filter pattern is not valid JSON (given ${text})`);
    }
    if (!isObject(value)) throw new Error(`filter pattern must be a JSON object (given ${text})`);
    return value;
  });
  return (view) => parsed.some((pattern) => matchesPattern(pattern, view));
}

/**
 * Does `event` match one pattern? Every key of the pattern must match (AND); a nested object
 * descends into the event; a list at a leaf matches when any of its matchers matches the value
 * (or any element, when the value is a list).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax
 */
export function matchesPattern(pattern: Readonly<Record<string, unknown>>, event: unknown): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    const present = isObject(event) && Object.prototype.hasOwnProperty.call(event, key);
    const value = present ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) {
      if (!matchesLeaf(rule, present, value)) return false;
    } else if (isObject(rule)) {
      if (!present || !isObject(value)) return false;
      if (!matchesPattern(rule, value)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function matchesLeaf(matchers: readonly unknown[], present: boolean, value: unknown): boolean {
  // A pattern leaf compares against scalar values; an object in the record never matches a leaf.
  if (present && isObject(value)) return false;
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return matcher.exists === present;
    if (!present) return false;
    return values.some((v) => matchesValue(matcher, v));
  });
}

function matchesValue(matcher: unknown, value: unknown): boolean {
  if (!isObject(matcher)) return equals(matcher, value);
  if ('prefix' in matcher) return typeof value === 'string' && textRule(matcher.prefix, value, 'prefix');
  if ('suffix' in matcher) return typeof value === 'string' && textRule(matcher.suffix, value, 'suffix');
  if ('equals-ignore-case' in matcher)
    return (
      typeof value === 'string' &&
      typeof matcher['equals-ignore-case'] === 'string' &&
      value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase()
    );
  if ('anything-but' in matcher) return anythingBut(matcher['anything-but'], value);
  if ('numeric' in matcher) return numeric(matcher.numeric, value);
  return false;
}

function textRule(rule: unknown, value: string, kind: 'prefix' | 'suffix'): boolean {
  if (typeof rule === 'string') return kind === 'prefix' ? value.startsWith(rule) : value.endsWith(rule);
  if (isObject(rule) && typeof rule['equals-ignore-case'] === 'string') {
    const r = rule['equals-ignore-case'].toLowerCase();
    const v = value.toLowerCase();
    return kind === 'prefix' ? v.startsWith(r) : v.endsWith(r);
  }
  return false;
}

function anythingBut(rule: unknown, value: unknown): boolean {
  if (Array.isArray(rule)) return !rule.some((r) => equals(r, value));
  if (isObject(rule)) {
    if ('prefix' in rule) return typeof value === 'string' && !textRule(rule.prefix, value, 'prefix');
    if ('suffix' in rule) return typeof value === 'string' && !textRule(rule.suffix, value, 'suffix');
    if ('equals-ignore-case' in rule) {
      const list = Array.isArray(rule['equals-ignore-case'])
        ? rule['equals-ignore-case']
        : [rule['equals-ignore-case']];
      return (
        typeof value === 'string' && !list.some((r) => typeof r === 'string' && r.toLowerCase() === value.toLowerCase())
      );
    }
    return false;
  }
  return !equals(rule, value);
}

const NUMERIC_OPS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numeric(rule: unknown, value: unknown): boolean {
  if (typeof value !== 'number' || !Array.isArray(rule) || rule.length === 0 || rule.length % 2 !== 0) return false;
  for (let i = 0; i < rule.length; i += 2) {
    const op = NUMERIC_OPS[String(rule[i])];
    const bound = rule[i + 1];
    if (!op || typeof bound !== 'number' || !op(value, bound)) return false;
  }
  return true;
}

function equals(expected: unknown, value: unknown): boolean {
  if (typeof expected === 'number' && typeof value === 'number') return expected === value;
  return expected === value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What the filter sees of an SQS record: the record with `body` parsed when it holds a JSON object
 * (a plain-text body stays a string, so only plain-string patterns can match it).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs-filtering.html
 */
export function sqsFilterView(record: { readonly body: string }): unknown {
  return { ...record, body: parseJsonObject(record.body) ?? record.body };
}

/**
 * What the filter sees of a Kinesis record: the fields of `kinesis` (`partitionKey`,
 * `sequenceNumber`, …) at the top level beside the record's metadata, with `data` base64-decoded and
 * parsed; data that is not a JSON object is left out, so a pattern on `data` drops the record
 * (docs/aws-semantics.md §C.7).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis-filtering.html
 */
export function kinesisFilterView(record: { readonly kinesis: { readonly data: string } }): unknown {
  const data = parseJsonObject(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  const { kinesis, ...metadata } = record;
  const { data: _raw, ...fields } = kinesis;
  return { ...metadata, ...fields, ...(data ? { data } : {}) };
}

/**
 * A DynamoDB record is filtered as it is delivered: patterns address `dynamodb.NewImage.<attr>.<type>`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
 */
export function dynamoDbFilterView(record: unknown): unknown {
  return record;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
