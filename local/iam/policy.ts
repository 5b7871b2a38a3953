/**
 * IAM policy documents as the local engine reads them from the templates, normalized once so that
 * evaluation never meets the JSON shapes IAM allows (a string or a list, `Principal: "*"`, …).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */

/** Values a condition compares with: always a list after normalization. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** Who a resource-policy statement names (`Principal`/`NotPrincipal`); absent in identity policies. */
export interface PrincipalBlock {
  /** `"*"` or `{"AWS": "*"}`: anyone. */
  readonly any: boolean;
  /** `AWS` entries: account ids, account root ARNs, role ARNs. */
  readonly aws: readonly string[];
  /** `Service` entries, e.g. `s3.amazonaws.com`. */
  readonly service: readonly string[];
}

/** One statement, normalized. */
export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** `Action` patterns, or `NotAction` patterns when `notAction` is true. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  /** `Resource` patterns, or `NotResource` patterns when `notResource` is true. */
  readonly resources: readonly string[];
  readonly notResource: boolean;
  readonly principal?: PrincipalBlock;
  readonly condition?: ConditionBlock;
  /** Where the statement comes from, for messages: `stack/logicalId`, a managed policy name, … */
  readonly source: string;
}

/** A policy document reduced to its statements. */
export interface PolicyDocument {
  readonly statements: readonly Statement[];
}

const list = (v: unknown): string[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

function principalOf(v: unknown): PrincipalBlock | undefined {
  if (v === undefined) return undefined;
  if (v === '*') return { any: true, aws: [], service: [] };
  if (typeof v !== 'object' || v === null) return { any: false, aws: list(v), service: [] };
  const p = v as Record<string, unknown>;
  const aws = list(p.AWS);
  return { any: aws.includes('*'), aws: aws.filter((a) => a !== '*'), service: list(p.Service) };
}

function conditionOf(v: unknown): ConditionBlock | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(v as Record<string, unknown>)) {
    if (typeof keys !== 'object' || keys === null) continue;
    out[operator] = Object.fromEntries(
      Object.entries(keys as Record<string, unknown>).map(([k, val]) => [k, list(val)]),
    );
  }
  return out;
}

/**
 * Normalizes a policy document (`{ Version, Statement }`) from a template. `source` names it in
 * messages (e.g. `local-AsyncEvents/FilesHandlerFunctionServiceRoleDefaultPolicy`).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export function parsePolicy(document: unknown, source: string): PolicyDocument {
  const doc = (typeof document === 'string' ? JSON.parse(document) : document) as { Statement?: unknown } | undefined;
  const raw = doc?.Statement;
  const statements = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Array<Record<string, unknown>>;
  return {
    statements: statements.map((s, i) => ({
      ...(s.Sid !== undefined && { sid: String(s.Sid) }),
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: list(s.Action ?? s.NotAction),
      notAction: s.Action === undefined && s.NotAction !== undefined,
      resources: s.Resource === undefined && s.NotResource === undefined ? ['*'] : list(s.Resource ?? s.NotResource),
      notResource: s.Resource === undefined && s.NotResource !== undefined,
      ...(s.Principal !== undefined && { principal: principalOf(s.Principal) }),
      ...(s.Condition !== undefined && { condition: conditionOf(s.Condition) }),
      source: s.Sid === undefined ? `${source}#${i}` : `${source}#${String(s.Sid)}`,
    })),
  };
}
