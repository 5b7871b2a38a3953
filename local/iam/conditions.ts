import { wildcardMatch } from './wildcard';
import type { ConditionBlock } from './policy';

/**
 * The request context keys the local engine knows for one request. A key missing here is absent
 * from the request (the `…IfExists` operators and `Null` treat it so); a key in
 * {@link UNEVALUATED_KEY_PREFIXES}-style doubt is reported through `unevaluated` instead.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export type RequestContext = Readonly<Record<string, string | undefined>>;

/**
 * Global condition keys the engine sets on every request it evaluates. Any other key in a condition
 * is "not evaluated locally": reported at start-up, and never the reason for a denial (docs/engine-fidelity.md).
 */
export const EVALUATED_KEYS: ReadonlySet<string> = new Set([
  'aws:securetransport',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:requestedregion',
]);

/** What a condition block gives for one request. */
export interface ConditionResult {
  readonly met: boolean;
  /** Keys the block names that the engine does not evaluate (their tests are taken as met). */
  readonly unevaluated: readonly string[];
}

type Compare = (value: string, pattern: string) => boolean;

/**
 * The condition operators the engine evaluates, by lower-case name without `IfExists`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
const OPERATORS: Readonly<Record<string, { readonly compare: Compare; readonly negated: boolean }>> = {
  stringequals: { compare: (v, p) => v === p, negated: false },
  stringnotequals: { compare: (v, p) => v === p, negated: true },
  stringequalsignorecase: { compare: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: true },
  stringlike: { compare: (v, p) => wildcardMatch(p, v, false), negated: false },
  stringnotlike: { compare: (v, p) => wildcardMatch(p, v, false), negated: true },
  // ARN operators compare each of the six colon-separated parts; a wildcard match over the whole
  // string gives the same answer for the ARNs templates hold.
  arnequals: { compare: (v, p) => wildcardMatch(p, v, false), negated: false },
  arnlike: { compare: (v, p) => wildcardMatch(p, v, false), negated: false },
  arnnotequals: { compare: (v, p) => wildcardMatch(p, v, false), negated: true },
  arnnotlike: { compare: (v, p) => wildcardMatch(p, v, false), negated: true },
  bool: { compare: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: false },
};

/**
 * Evaluates a statement's `Condition`: every operator and every key must hold (AND); the values of
 * one key are alternatives (OR), and negated operators hold when no value matches. A key the request
 * lacks fails the test, except with `…IfExists` (and `Null`, which tests exactly that).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 */
export function evaluateCondition(block: ConditionBlock, context: RequestContext): ConditionResult {
  const unevaluated: string[] = [];
  let met = true;
  for (const [rawOperator, keys] of Object.entries(block)) {
    const operator = rawOperator.toLowerCase();
    for (const [rawKey, patterns] of Object.entries(keys)) {
      const key = rawKey.toLowerCase();
      const known = operator === 'null' || operator in OPERATORS || operator.replace(/ifexists$/, '') in OPERATORS;
      if (!EVALUATED_KEYS.has(key) || !known) {
        unevaluated.push(known ? rawKey : `${rawOperator}:${rawKey}`);
        continue;
      }
      if (!testKey(operator, context[key], patterns)) met = false;
    }
  }
  return { met, unevaluated };
}

function testKey(operator: string, value: string | undefined, patterns: readonly string[]): boolean {
  if (operator === 'null') {
    // "Null": true means the key must be absent.
    return patterns.some((p) => (p.toLowerCase() === 'true') === (value === undefined));
  }
  const ifExists = operator.endsWith('ifexists');
  const op = OPERATORS[ifExists ? operator.slice(0, -'ifexists'.length) : operator];
  if (!op) return false;
  if (value === undefined) return ifExists || op.negated;
  const matched = patterns.some((p) => op.compare(value, p));
  return op.negated ? !matched : matched;
}
