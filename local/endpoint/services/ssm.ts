import { realClock, type Clock } from '../../core/clock';
import { AwsError, reader, serveJson, type InputReader } from '../protocols/json';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse } from '../types';

/** Options of {@link ssmService}. */
export interface SsmServiceOptions {
  /** Source of `LastModifiedDate`. @default realClock */
  readonly clock?: Clock;
}

/** Parameter types of Parameter Store. */
export type ParameterType = 'String' | 'StringList' | 'SecureString';

/** A parameter as in-process callers see it (the value is always decrypted). */
export interface ParameterInfo {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: string;
  readonly version: number;
  readonly arn: string;
}

/** The local Parameter Store, with an in-process API for the engine (e.g. seeding settings). */
export interface SsmService extends LocalService {
  readonly name: 'ssm';
  getParameterInternal(name: string): ParameterInfo | undefined;
  /** Creates or overwrites a parameter, like PutParameter with Overwrite. */
  putParameterInternal(name: string, value: string, type?: ParameterType): ParameterInfo;
}

interface Version {
  readonly version: number;
  readonly type: ParameterType;
  readonly value: string;
  readonly description?: string;
  readonly keyId?: string;
  readonly tier: string;
  readonly dataType: string;
  readonly allowedPattern?: string;
  readonly lastModified: number;
  readonly labels: string[];
}

interface Parameter {
  readonly name: string;
  readonly versions: Version[];
  readonly tags: Record<string, string>;
}

const TYPES: readonly string[] = ['String', 'StringList', 'SecureString'];
const DEFAULT_KEY = 'alias/aws/ssm';
const MAX_HISTORY = 100;
const MAX_NAME = 1011;

const validation = (message: string): AwsError => new AwsError('ValidationException', message);
const notFound = (name: string): AwsError => new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
const inputError = (message: string): AwsError => validation(message);

/**
 * Creates the local Systems Manager Parameter Store (AWS JSON 1.1, `AmazonSSM.<Operation>`).
 * SecureString values are stored in clear; without `WithDecryption` they come back as an opaque
 * base64 token, never the plain value.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Operations.html
 */
export function ssmService(opts: SsmServiceOptions = {}): (ctx: EndpointContext) => SsmService {
  return (ctx) => new LocalSsm(ctx, opts.clock ?? realClock);
}

class LocalSsm implements SsmService {
  readonly name = 'ssm' as const;
  private readonly params = new Map<string, Parameter>();
  private readonly operations: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>;

  constructor(
    private readonly ctx: EndpointContext,
    private readonly clock: Clock,
  ) {
    const r = (i: Record<string, unknown>): InputReader => reader(i, inputError);
    this.operations = {
      PutParameter: (i) => this.putParameter(r(i)),
      GetParameter: (i) => this.getParameter(r(i)),
      GetParameters: (i) => this.getParameters(r(i)),
      GetParametersByPath: (i) => this.getParametersByPath(r(i)),
      DeleteParameter: (i) => this.deleteParameter(r(i)),
      DeleteParameters: (i) => this.deleteParameters(r(i)),
      DescribeParameters: (i) => this.describeParameters(r(i)),
      GetParameterHistory: (i) => this.getParameterHistory(r(i)),
      AddTagsToResource: (i) => this.addTags(r(i)),
      ListTagsForResource: (i) => this.listTags(r(i)),
      RemoveTagsFromResource: (i) => this.removeTags(r(i)),
    };
  }

  handle(req: ServiceRequest): Promise<ServiceResponse> {
    return serveJson(req, { version: '1.1', targetPrefix: 'AmazonSSM', serviceLabel: 'SSM service' }, this.operations);
  }

  health(): string {
    return `running (${this.params.size} parameters)`;
  }

  getParameterInternal(name: string): ParameterInfo | undefined {
    const p = this.params.get(normalize(name));
    const v = p?.versions.at(-1);
    return p && v && { name: p.name, type: v.type, value: v.value, version: v.version, arn: this.arn(p.name) };
  }

  putParameterInternal(name: string, value: string, type: ParameterType = 'String'): ParameterInfo {
    this.put({ name, value, type, overwrite: true });
    return this.getParameterInternal(name)!;
  }

  // ---- operations ----

  private putParameter(r: InputReader): unknown {
    const type = r.str('Type');
    if (type !== undefined && !TYPES.includes(type)) {
      throw validation(
        `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
      );
    }
    const tier = r.str('Tier') ?? 'Standard';
    const version = this.put({
      name: r.reqStr('Name'),
      value: r.reqStr('Value'),
      type: type as ParameterType | undefined,
      overwrite: r.bool('Overwrite') ?? false,
      description: r.str('Description'),
      keyId: r.str('KeyId'),
      tier,
      dataType: r.str('DataType'),
      allowedPattern: r.str('AllowedPattern'),
      tags: r.list('Tags'),
    });
    return { Version: version.version, Tier: version.tier === 'Intelligent-Tiering' ? 'Standard' : version.tier };
  }

  private put(input: {
    name: string;
    value: string;
    type?: ParameterType;
    overwrite: boolean;
    description?: string;
    keyId?: string;
    tier?: string;
    dataType?: string;
    allowedPattern?: string;
    tags?: unknown[];
  }): Version {
    const name = normalize(input.name);
    validateName(name);
    const existing = this.params.get(name);
    if (existing && !input.overwrite) {
      throw new AwsError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    if (existing && input.tags !== undefined) {
      throw validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    const previous = existing?.versions.at(-1);
    const type = input.type ?? previous?.type;
    if (!type) throw validation('A parameter type is required when you create a parameter.');
    const tier = input.tier ?? previous?.tier ?? 'Standard';
    if (!['Standard', 'Advanced', 'Intelligent-Tiering'].includes(tier)) throw validation(`Invalid tier ${tier}.`);
    const limit = tier === 'Standard' ? 4096 : 8192;
    if (input.value.length === 0)
      throw validation(
        "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    if (input.value.length > limit) {
      throw validation(
        `Standard tier parameters support a maximum parameter value of ${limit} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.`,
      );
    }
    const allowedPattern = input.allowedPattern ?? previous?.allowedPattern;
    if (allowedPattern !== undefined && !allowedPatternRegExp(allowedPattern).test(input.value)) {
      throw new AwsError(
        'ParameterPatternMismatchException',
        `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
      );
    }
    const dataType = input.dataType ?? previous?.dataType ?? 'text';
    if (!['text', 'aws:ec2:image', 'aws:ssm:integration'].includes(dataType)) {
      throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
    }
    if (type !== 'SecureString' && input.keyId !== undefined) {
      throw validation('KeyId is required for SecureString type parameter only.');
    }
    const param: Parameter = existing ?? { name, versions: [], tags: {} };
    const version: Version = {
      version: (previous?.version ?? 0) + 1,
      type,
      value: input.value,
      description: input.description ?? previous?.description,
      keyId: type === 'SecureString' ? (input.keyId ?? previous?.keyId ?? DEFAULT_KEY) : undefined,
      tier,
      dataType,
      allowedPattern,
      lastModified: this.clock.wallNow(),
      labels: [],
    };
    param.versions.push(version);
    if (param.versions.length > MAX_HISTORY) param.versions.shift();
    for (const t of input.tags ?? []) {
      const tag = t as { Key?: unknown; Value?: unknown };
      if (typeof tag.Key === 'string') param.tags[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
    }
    this.params.set(name, param);
    return version;
  }

  private getParameter(r: InputReader): unknown {
    const name = r.reqStr('Name');
    const found = this.find(name);
    if (!found) throw notFound(name);
    if ('error' in found) throw found.error;
    return { Parameter: this.view(found.param, found.version, r.bool('WithDecryption') ?? false, found.selector) };
  }

  private getParameters(r: InputReader): unknown {
    const names = r.strList('Names');
    if (!names || names.length === 0 || names.length > 10) {
      throw validation(
        "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1",
      );
    }
    const decrypt = r.bool('WithDecryption') ?? false;
    const Parameters: unknown[] = [];
    const InvalidParameters: string[] = [];
    for (const name of new Set(names)) {
      const found = this.find(name);
      if (!found || 'error' in found) InvalidParameters.push(name);
      else Parameters.push(this.view(found.param, found.version, decrypt, found.selector));
    }
    return { Parameters, InvalidParameters };
  }

  private getParametersByPath(r: InputReader): unknown {
    const rawPath = r.reqStr('Path');
    if (!rawPath.startsWith('/'))
      throw validation(
        'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".',
      );
    const path = rawPath.endsWith('/') ? rawPath : `${rawPath}/`;
    const recursive = r.bool('Recursive') ?? false;
    const max = r.num('MaxResults') ?? 10;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw validation(
        `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`,
      );
    }
    const decrypt = r.bool('WithDecryption') ?? false;
    const matching = [...this.params.values()]
      .filter((p) => p.name.startsWith(path) && (recursive || !p.name.slice(path.length).includes('/')))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, next } = paginate(matching, r.str('NextToken'), max);
    return {
      Parameters: page.map((p) => this.view(p, p.versions.at(-1)!, decrypt)),
      ...(next !== undefined && { NextToken: next }),
    };
  }

  private deleteParameter(r: InputReader): unknown {
    const name = normalize(r.reqStr('Name'));
    if (!this.params.delete(name)) throw notFound(name);
    return {};
  }

  private deleteParameters(r: InputReader): unknown {
    const names = r.strList('Names');
    if (!names || names.length === 0 || names.length > 10) {
      throw validation(
        "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1",
      );
    }
    const DeletedParameters: string[] = [];
    const InvalidParameters: string[] = [];
    for (const name of names) (this.params.delete(normalize(name)) ? DeletedParameters : InvalidParameters).push(name);
    return { DeletedParameters, InvalidParameters };
  }

  private describeParameters(r: InputReader): unknown {
    const max = r.num('MaxResults') ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 50) {
      throw validation(
        `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`,
      );
    }
    const filters = [...(r.list('ParameterFilters') ?? []), ...(r.list('Filters') ?? [])] as Array<{
      Key?: string;
      Option?: string;
      Values?: string[];
    }>;
    const matches = (p: Parameter): boolean =>
      filters.every((f) => {
        const v = p.versions.at(-1)!;
        const values = f.Values ?? [];
        switch (f.Key) {
          case 'Name':
            return values.some((x) =>
              f.Option === 'BeginsWith'
                ? p.name.startsWith(normalize(x))
                : f.Option === 'Contains'
                  ? p.name.includes(x)
                  : p.name === normalize(x),
            );
          case 'Type':
            return values.includes(v.type);
          case 'KeyId':
            return v.keyId !== undefined && values.includes(v.keyId);
          case 'Path': {
            return values.some((x) => {
              const path = x.endsWith('/') ? x : `${x}/`;
              return p.name.startsWith(path) && (f.Option === 'Recursive' || !p.name.slice(path.length).includes('/'));
            });
          }
          case 'Tier':
            return values.includes(v.tier);
          case 'DataType':
            return values.includes(v.dataType);
          default:
            if (f.Key?.startsWith('tag:')) return values.includes(p.tags[f.Key.slice(4)] ?? '\u0000');
            return true;
        }
      });
    const all = [...this.params.values()].filter(matches).sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, next } = paginate(all, r.str('NextToken'), max);
    return {
      Parameters: page.map((p) => {
        const v = p.versions.at(-1)!;
        return {
          Name: p.name,
          ARN: this.arn(p.name),
          Type: v.type,
          ...(v.keyId && { KeyId: v.keyId }),
          LastModifiedDate: v.lastModified / 1000,
          LastModifiedUser: `arn:aws:iam::${this.ctx.accountId}:user/local`,
          ...(v.description && { Description: v.description }),
          ...(v.allowedPattern && { AllowedPattern: v.allowedPattern }),
          Version: v.version,
          Tier: v.tier === 'Intelligent-Tiering' ? 'Standard' : v.tier,
          Policies: [],
          DataType: v.dataType,
        };
      }),
      ...(next !== undefined && { NextToken: next }),
    };
  }

  private getParameterHistory(r: InputReader): unknown {
    const name = normalize(r.reqStr('Name'));
    const p = this.params.get(name);
    if (!p) throw notFound(name);
    const decrypt = r.bool('WithDecryption') ?? false;
    const { page, next } = paginate(p.versions, r.str('NextToken'), r.num('MaxResults') ?? 50);
    return {
      Parameters: page.map((v) => ({
        Name: p.name,
        Type: v.type,
        ...(v.keyId && { KeyId: v.keyId }),
        LastModifiedDate: v.lastModified / 1000,
        LastModifiedUser: `arn:aws:iam::${this.ctx.accountId}:user/local`,
        ...(v.description && { Description: v.description }),
        Value: shown(v, decrypt),
        Version: v.version,
        Labels: v.labels,
        Tier: v.tier,
        Policies: [],
        DataType: v.dataType,
      })),
      ...(next !== undefined && { NextToken: next }),
    };
  }

  private tagged(r: InputReader): Parameter {
    if (r.reqStr('ResourceType') !== 'Parameter')
      throw new AwsError('InvalidResourceType', 'Only Parameter resources are supported locally.');
    const id = normalize(r.reqStr('ResourceId'));
    const p = this.params.get(id);
    if (!p)
      throw new AwsError(
        'InvalidResourceId',
        'The resource ID is not valid. Verify that you entered the correct ID and try again.',
      );
    return p;
  }

  private addTags(r: InputReader): unknown {
    const p = this.tagged(r);
    for (const t of (r.list('Tags') ?? []) as Array<{ Key?: unknown; Value?: unknown }>) {
      if (typeof t.Key === 'string') p.tags[t.Key] = typeof t.Value === 'string' ? t.Value : '';
    }
    return {};
  }

  private listTags(r: InputReader): unknown {
    return { TagList: Object.entries(this.tagged(r).tags).map(([Key, Value]) => ({ Key, Value })) };
  }

  private removeTags(r: InputReader): unknown {
    const p = this.tagged(r);
    for (const key of r.strList('TagKeys') ?? []) delete p.tags[key];
    return {};
  }

  // ---- helpers ----

  /** A parameter by name, ARN, `name:version` or `name:label`. */
  private find(
    ref: string,
  ): { param: Parameter; version: Version; selector?: string } | { error: AwsError } | undefined {
    let name = ref;
    const arnPrefix = `arn:aws:ssm:${this.ctx.region}:${this.ctx.accountId}:parameter`;
    if (name.startsWith('arn:')) {
      if (!name.startsWith(arnPrefix)) return undefined;
      name = name.slice(arnPrefix.length);
    }
    let selector: string | undefined;
    const colon = name.lastIndexOf(':');
    if (colon > 0) {
      selector = name.slice(colon + 1);
      name = name.slice(0, colon);
    }
    const param = this.params.get(normalize(name));
    if (!param) return undefined;
    if (selector === undefined) return { param, version: param.versions.at(-1)! };
    const version = /^\d+$/.test(selector)
      ? param.versions.find((v) => v.version === Number(selector))
      : param.versions.find((v) => v.labels.includes(selector!));
    if (!version) {
      return {
        error: new AwsError(
          /^\d+$/.test(selector) ? 'ParameterVersionNotFound' : 'ParameterVersionLabelLimitExceeded',
          `Systems Manager could not find version ${selector} of ${param.name}. Verify the version and try again.`,
        ),
      };
    }
    return { param, version, selector: `:${selector}` };
  }

  private view(p: Parameter, v: Version, decrypt: boolean, selector?: string): Record<string, unknown> {
    return {
      Name: p.name,
      Type: v.type,
      Value: shown(v, decrypt),
      Version: v.version,
      ...(selector && { Selector: selector }),
      LastModifiedDate: v.lastModified / 1000,
      ARN: this.arn(p.name),
      DataType: v.dataType,
    };
  }

  private arn(name: string): string {
    return `arn:aws:ssm:${this.ctx.region}:${this.ctx.accountId}:parameter/${name.replace(/^\//, '')}`;
  }
}

/** A SecureString without decryption shows an opaque token (base64 of the key id and a digest), never the value. */
function shown(v: Version, decrypt: boolean): string {
  if (v.type !== 'SecureString' || decrypt) return v.value;
  const digest = Buffer.from(
    new Uint8Array(Buffer.from(`${v.keyId ?? DEFAULT_KEY}:${v.version}:${v.value.length}`)).map(
      (b, i) => b ^ ((0x5a + i) % 256),
    ),
  );
  return `AQICAH${digest.toString('base64')}`;
}

/**
 * An `AllowedPattern` as a whole-value regular expression.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 */
function allowedPatternRegExp(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new AwsError(
      'InvalidAllowedPatternException',
      `The AllowedPattern ${pattern} is not a valid regular expression.`,
    );
  }
}

function normalize(name: string): string {
  return name.trim();
}

/**
 * Parameter name rules.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html#sysman-parameter-name-constraints
 */
function validateName(name: string): void {
  if (name.length === 0 || name.length > MAX_NAME || !/^[A-Za-z0-9_.\-/]+$/.test(name)) {
    throw validation(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
    );
  }
  const first = name.replace(/^\//, '').split('/')[0] ?? '';
  if (/^(aws|ssm)/i.test(first)) {
    throw validation('No access to reserved parameter name: ' + name + '.');
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw validation('Parameter name must be a fully qualified name.');
  }
  if (name.split('/').length - 1 > 15)
    throw new AwsError('HierarchyLevelLimitExceededException', 'Parameter name has too many levels (maximum 15).');
}

function paginate<T>(items: readonly T[], token: string | undefined, size: number): { page: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0 : 0;
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return { page, next };
}
