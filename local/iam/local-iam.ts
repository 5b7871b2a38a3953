import type { FunctionModel, StackIamModel } from '../assembly/model';
import { credentialScope } from '../endpoint/sigv4';
import { EVALUATED_KEYS, type RequestContext } from './conditions';
import { deniedResponse, type Denial, type DeniedResponse } from './denials';
import { evaluate, type Decision } from './evaluate';
import { awsManagedPolicy } from './managed-policies';
import { parsePolicy, type PolicyDocument, type Statement } from './policy';
import { ADMIN, CredentialIssuer, type Principal, type RoleCredentials } from './principals';
import { accessChecksOf, type MappedRequest } from './request-map';

/** What the engine's IAM reads: the deployed stacks' functions and IAM resources. */
export interface IamSource {
  readonly region: string;
  readonly accountId: string;
  readonly stacks: ReadonlyArray<{ readonly functions: readonly FunctionModel[]; readonly iam: StackIamModel }>;
}

/** A denial as the engine reports it (log line, timeline). */
export interface DenialReport extends Denial {
  readonly service: string;
  readonly functionName?: string;
}

/** Options of {@link LocalIam}. */
export interface LocalIamOptions {
  /** Called for every denied request. @default nothing */
  readonly onDenied?: (report: DenialReport) => void;
  /** Largest number of cached decisions before the cache starts over. @default 50_000 */
  readonly cacheSize?: number;
}

const ALLOW_ALL: Decision = { allowed: true, reason: 'allow', unevaluated: [] };

/** The resource a resource-based policy is attached to, for a resource ARN a request names. */
function policyOwner(resource: string): string {
  if (resource.startsWith('arn:aws:s3:::')) return resource.replace(/^(arn:aws:s3:::[^/]+).*$/, '$1');
  const fn = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+)/.exec(resource);
  return fn ? fn[1]! : resource;
}

/** An `AWS::Lambda::Permission` as the statement Lambda adds to the function's resource policy. */
function permissionStatement(p: StackIamModel['lambdaPermissions'][number], functionArn: string): unknown {
  const condition: Record<string, Record<string, string>> = {};
  if (p.sourceArn) condition.ArnLike = { 'AWS:SourceArn': p.sourceArn };
  if (p.sourceAccount) condition.StringEquals = { 'AWS:SourceAccount': p.sourceAccount };
  const principal = p.principal.includes('.amazonaws.com') ? { Service: p.principal } : { AWS: p.principal };
  return {
    Statement: [
      {
        Effect: 'Allow',
        Principal: principal,
        Action: p.action,
        Resource: functionArn,
        ...(Object.keys(condition).length > 0 && { Condition: condition }),
      },
    ],
  };
}

/**
 * The local engine's IAM: it knows every function's execution role and credentials, evaluates the
 * templates' identity and resource policies with AWS's logic, and answers a denied request with the
 * service's own access-denied error. Decisions are cached per (principal, action, resource).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export class LocalIam {
  /** Start-up notes: statements or policies the engine cannot evaluate. */
  readonly notes: string[] = [];
  private readonly credentials = new CredentialIssuer();
  private readonly identity = new Map<string, PolicyDocument[]>();
  private readonly resources = new Map<string, PolicyDocument[]>();
  private readonly roleOf = new Map<string, string>();
  private readonly cache = new Map<string, Decision>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly documents: PolicyDocument[] = [];
  private readonly recent: DenialReport[] = [];

  constructor(
    source: IamSource,
    private readonly options: LocalIamOptions = {},
  ) {
    this.region = source.region;
    this.accountId = source.accountId;
    this.load(source);
  }

  /** Every statement the engine evaluates (identity, resource and function policies). */
  statements(): readonly Statement[] {
    return this.documents.flatMap((d) => d.statements);
  }

  /** The credentials a function's execution environments get; `undefined` for a function without a role. */
  credentialsFor(functionName: string): RoleCredentials | undefined {
    const role = this.roleOf.get(functionName);
    return role ? this.credentials.issue(functionName, role) : undefined;
  }

  /** The execution role's principal of a function, as its pollers and destinations act. */
  functionPrincipal(functionName: string): Principal {
    const role = this.roleOf.get(functionName);
    if (!role) return ADMIN;
    const creds = this.credentials.issue(functionName, role);
    return this.credentials.principalOf(creds.AWS_ACCESS_KEY_ID) ?? ADMIN;
  }

  /** Decides one action on one resource for a principal; the administrator is always allowed. */
  decide(principal: Principal, action: string, resource: string): Decision {
    if (principal.kind === 'admin') return ALLOW_ALL;
    const who =
      principal.kind === 'role'
        ? principal.sessionArn
        : `${principal.service}|${principal.sourceArn ?? ''}|${principal.sourceAccount ?? ''}`;
    const key = `${who}\n${action}\n${resource}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const context: RequestContext =
      principal.kind === 'role'
        ? {
            // The loopback endpoint stands in for AWS's TLS endpoints (docs/engine-fidelity.md).
            'aws:securetransport': 'true',
            'aws:principalarn': principal.roleArn,
            'aws:principalaccount': this.accountId,
            'aws:principaltype': 'AssumedRole',
            'aws:requestedregion': this.region,
          }
        : {
            'aws:securetransport': 'true',
            'aws:sourcearn': principal.sourceArn,
            'aws:sourceaccount': principal.sourceAccount,
            'aws:requestedregion': this.region,
          };
    const decision = evaluate(
      {
        identity: principal.kind === 'role' ? (this.identity.get(principal.roleArn) ?? []) : [],
        resource: this.resources.get(policyOwner(resource)) ?? [],
      },
      {
        principal:
          principal.kind === 'role'
            ? { roleArn: principal.roleArn, sessionArn: principal.sessionArn }
            : { service: principal.service },
        action,
        resource,
        context,
      },
    );
    if (this.cache.size >= (this.options.cacheSize ?? 50_000)) this.cache.clear();
    this.cache.set(key, decision);
    return decision;
  }

  /**
   * The endpoint's hook: the access-denied answer for a request its caller may not make, else
   * `undefined` (the service handles it). Requests the map does not know pass.
   */
  guard(req: MappedRequest): DeniedResponse | undefined {
    const scope = credentialScope(req.headers, req.query);
    const principal = this.credentials.principalOf(scope?.accessKeyId);
    if (!principal) return invalidToken(req.service);
    if (principal.kind === 'admin') return undefined;
    const checks = accessChecksOf(req, { region: req.region, accountId: this.accountId });
    for (const check of checks ?? []) {
      const decision = this.decide(principal, check.action, check.resource);
      if (decision.allowed) continue;
      const denial: DenialReport = {
        callerArn: principal.kind === 'role' ? principal.sessionArn : principal.service,
        action: check.action,
        resource: check.resource,
        decision,
        service: req.service,
        ...(principal.kind === 'role' && { functionName: principal.functionName }),
      };
      this.record(denial);
      return deniedResponse(req.service === 'dynamodbstreams' ? 'dynamodb' : req.service, denial);
    }
    return undefined;
  }

  /** The latest denials (at most 100), oldest first. */
  denials(): readonly DenialReport[] {
    return [...this.recent];
  }

  /** Keeps and announces a denial (the endpoint's and the engine's internal deliveries alike). */
  record(denial: DenialReport): void {
    if (this.recent.push(denial) > 100) this.recent.shift();
    this.options.onDenied?.(denial);
  }

  private load(source: IamSource): void {
    const roles = source.stacks.flatMap((s) => s.iam.roles);
    const roleArnByName = new Map(roles.map((r) => [r.name, r.arn]));
    const managed = new Map<string, PolicyDocument>();
    const add = (map: Map<string, PolicyDocument[]>, key: string, doc: PolicyDocument): void => {
      map.set(key, [...(map.get(key) ?? []), doc]);
    };
    const parse = (document: unknown, where: string): PolicyDocument => {
      const doc = parsePolicy(document, where);
      this.documents.push(doc);
      return doc;
    };
    for (const stack of source.stacks) {
      for (const m of stack.iam.managedPolicies) {
        const doc = parse(m.document, m.source);
        managed.set(m.arn, doc);
        for (const name of m.roleNames) add(this.identity, roleArnByName.get(name) ?? name, doc);
      }
    }
    const awsManaged = new Map<string, PolicyDocument>();
    for (const role of roles) {
      for (const p of role.policies) add(this.identity, role.arn, parse(p.document, p.source));
      for (const arn of role.managedPolicyArns) {
        const known = managed.get(arn) ?? awsManaged.get(arn);
        const document = known ? undefined : awsManagedPolicy(arn);
        if (known) add(this.identity, role.arn, known);
        else if (document) {
          const doc = parse(document, arn.replace(/^.*:policy\//, ''));
          awsManaged.set(arn, doc);
          add(this.identity, role.arn, doc);
        } else this.notes.push(`${role.name}: managed policy ${arn} is not known locally; its grants are not applied`);
      }
    }
    for (const stack of source.stacks) {
      for (const p of stack.iam.policies) {
        const doc = parse(p.document, p.source);
        for (const name of p.roleNames) add(this.identity, roleArnByName.get(name) ?? name, doc);
      }
      for (const p of stack.iam.resourcePolicies) {
        const doc = parse(p.document, p.source);
        for (const arn of p.resourceArns) add(this.resources, arn, doc);
      }
      for (const fn of stack.functions) if (fn.roleArn) this.roleOf.set(fn.name, fn.roleArn);
      for (const p of stack.iam.lambdaPermissions) {
        const fn = stack.functions.find((f) => f.name === p.functionName || f.arn === p.functionName);
        const functionArn = fn?.arn ?? p.functionName;
        add(this.resources, functionArn, parse(permissionStatement(p, functionArn), p.source));
      }
    }
    for (const s of this.statements()) {
      for (const keys of Object.values(s.condition ?? {})) {
        for (const key of Object.keys(keys)) {
          if (!EVALUATED_KEYS.has(key.toLowerCase())) {
            this.notes.push(`${s.source}: condition key ${key} is not evaluated locally (taken as met)`);
          }
        }
      }
    }
  }
}

function invalidToken(service: string): DeniedResponse {
  const message = 'The security token included in the request is invalid.';
  if (service === 's3') {
    return {
      status: 403,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>`,
    };
  }
  return {
    status: 403,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'UnrecognizedClientException' },
    body: JSON.stringify({ __type: 'UnrecognizedClientException', message }),
  };
}
