import { evaluateCondition, type RequestContext } from './conditions';
import type { PolicyDocument, Statement } from './policy';
import { wildcardMatch } from './wildcard';

/** Who makes a request, as policy evaluation sees it. */
export interface EvaluatedPrincipal {
  /** The role ARN for a function (`arn:aws:iam::<acct>:role/<name>`); absent for a service. */
  readonly roleArn?: string;
  /** The assumed-role session ARN (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`). */
  readonly sessionArn?: string;
  /** A service principal, e.g. `s3.amazonaws.com`. */
  readonly service?: string;
}

/** One request to decide. */
export interface AuthorizationRequest {
  readonly principal: EvaluatedPrincipal;
  /** `service:Operation`, e.g. `dynamodb:GetItem`. */
  readonly action: string;
  /** The resource ARN AWS checks, or `*` for actions without a resource type. */
  readonly resource: string;
  readonly context: RequestContext;
}

/** The policies that apply to a request. */
export interface ApplicablePolicies {
  /** The principal's identity-based policies (none for a service principal). */
  readonly identity: readonly PolicyDocument[];
  /** Resource-based policies of the resource (bucket, queue, topic policy; function permissions). */
  readonly resource: readonly PolicyDocument[];
}

/** What evaluation decided, and why, in AWS's terms. */
export interface Decision {
  readonly allowed: boolean;
  /** `explicit-deny` wins over any allow; `allow`; else `implicit-deny` (no statement allows). */
  readonly reason: 'allow' | 'explicit-deny' | 'implicit-deny';
  /** Which kind of policy holds the deciding statement (for AWS's message form). */
  readonly policyType?: 'identity-based' | 'resource-based';
  /** The deciding statement's source (`stack/logicalId#sid`). */
  readonly statement?: string;
  /** Condition keys met by assumption (not evaluated locally) along the way. */
  readonly unevaluated: readonly string[];
}

function matchesAction(s: Statement, action: string): boolean {
  const hit = s.actions.some((p) => wildcardMatch(p, action, true));
  return s.notAction ? !hit : hit;
}

function matchesResource(s: Statement, resource: string): boolean {
  const hit = s.resources.some((p) => wildcardMatch(p, resource, false));
  return s.notResource ? !hit : hit;
}

/**
 * A resource-policy statement names its principal: `*`, the role, the role's session, or the
 * service. An account principal delegates to identity policies and grants nothing by itself.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
function matchesPrincipal(s: Statement, p: EvaluatedPrincipal): boolean {
  const block = s.principal;
  if (!block) return true;
  if (block.any) return true;
  if (p.service !== undefined) return block.service.includes(p.service);
  return block.aws.some((a) => a === p.roleArn || a === p.sessionArn);
}

/**
 * AWS's evaluation logic for one account: an explicit `Deny` in any applicable policy wins; then an
 * `Allow` in an identity-based or a resource-based policy allows; otherwise the request is implicitly
 * denied. A condition on a key the engine does not evaluate never decides: the statement applies as
 * if the condition held for an `Allow`, and is skipped for a `Deny` (see docs/engine-fidelity.md).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 */
export function evaluate(policies: ApplicablePolicies, request: AuthorizationRequest): Decision {
  const unevaluated: string[] = [];
  let allow: { policyType: Decision['policyType']; statement: string } | undefined;
  const kinds: Array<[NonNullable<Decision['policyType']>, readonly PolicyDocument[]]> = [
    ['identity-based', policies.identity],
    ['resource-based', policies.resource],
  ];
  for (const [policyType, documents] of kinds) {
    for (const doc of documents) {
      for (const s of doc.statements) {
        if (policyType === 'resource-based' && !matchesPrincipal(s, request.principal)) continue;
        if (!matchesAction(s, request.action) || !matchesResource(s, request.resource)) continue;
        if (s.condition) {
          const result = evaluateCondition(s.condition, request.context);
          unevaluated.push(...result.unevaluated);
          if (!result.met) continue;
          if (s.effect === 'Deny' && result.unevaluated.length > 0) continue;
        }
        if (s.effect === 'Deny') {
          return { allowed: false, reason: 'explicit-deny', policyType, statement: s.source, unevaluated };
        }
        allow ??= { policyType, statement: s.source };
      }
    }
  }
  if (allow) return { allowed: true, reason: 'allow', ...allow, unevaluated };
  return { allowed: false, reason: 'implicit-deny', unevaluated };
}
