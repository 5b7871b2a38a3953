import { IntrinsicError, type IntrinsicContext, NO_VALUE, evaluateCondition, resolveValue } from './intrinsics';
import { stableUuid } from './names';
import { type ResourceIdentity, attributeOf, identify } from './resource-types';

/** The raw template JSON, as far as the reader looks at it. */
export interface Template {
  readonly Description?: string;
  readonly Parameters?: Readonly<Record<string, TemplateParameter>>;
  readonly Mappings?: Readonly<Record<string, unknown>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Resources?: Readonly<Record<string, TemplateResource>>;
  readonly Outputs?: Readonly<Record<string, TemplateOutput>>;
}

export interface TemplateParameter {
  readonly Type: string;
  readonly Default?: unknown;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly Condition?: string;
  readonly DependsOn?: string | readonly string[];
}

export interface TemplateOutput {
  readonly Value: unknown;
  readonly Description?: unknown;
  readonly Export?: { readonly Name: unknown };
  readonly Condition?: string;
}

/** What a stack reader asks of the whole assembly. */
export interface AssemblyLookups {
  readonly region: string;
  readonly accountId: string;
  readonly endpointUrl: string;
  /** Values given for template parameters, by name. */
  readonly parameterValues: Readonly<Record<string, string>>;
  /** `Fn::ImportValue` across the assembly's stacks. */
  importValue(exportName: string, from: string): unknown;
  /** A known SSM parameter's value (for `{{resolve:ssm:…}}` and SSM-typed template parameters). */
  ssmParameter(name: string): string | undefined;
}

/**
 * Well-known SSM-typed parameters the CDK adds; their value only matters to the CDK's bootstrap check.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */
const KNOWN_SSM_VALUES: Readonly<Record<string, string>> = { '/cdk-bootstrap/hnb659fds/version': '30' };

/** A thrown error about one stack of the assembly. */
export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
}

/**
 * Resolves one template: physical ids, `Ref`/`Fn::GetAtt` values, conditions and resolved properties,
 * each computed once on first use (so cross-references resolve in any order), with cycle detection.
 */
export class StackReader {
  readonly stackId: string;
  readonly ctx: IntrinsicContext;
  private readonly identities = new Map<string, ResourceIdentity>();
  private readonly props = new Map<string, Record<string, unknown>>();
  private readonly conditions = new Map<string, boolean>();
  private readonly inProgress = new Set<string>();

  constructor(
    readonly stackName: string,
    readonly template: Template,
    private readonly lookups: AssemblyLookups,
  ) {
    const { region, accountId } = lookups;
    this.stackId = `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/${stableUuid('stack', stackName)}`;
    this.ctx = {
      region,
      accountId,
      stackName,
      stackId: this.stackId,
      mappings: template.Mappings ?? {},
      ref: (name) => this.ref(name),
      getAtt: (logicalId, attribute) => {
        const res = this.resource(logicalId);
        return attributeOf(this.identity(logicalId), res.Type, logicalId, attribute);
      },
      importValue: (name) => lookups.importValue(name, stackName),
      condition: (name) => this.condition(name),
      dynamicReference: (text) => this.dynamicReference(text),
    };
  }

  /** Logical ids of the resources whose `Condition` holds, in template order. */
  logicalIds(): string[] {
    return Object.entries(this.template.Resources ?? {})
      .filter(([, r]) => r.Condition === undefined || this.condition(r.Condition))
      .map(([id]) => id);
  }

  resource(logicalId: string): TemplateResource {
    const res = this.template.Resources?.[logicalId];
    if (!res) throw new IntrinsicError(`${this.stackName}: no resource or parameter named ${logicalId}`);
    return res;
  }

  /** `Ref` of a parameter or resource. */
  ref(name: string): unknown {
    const param = this.template.Parameters?.[name];
    if (param) return this.parameter(name, param);
    return this.identity(name).ref;
  }

  identity(logicalId: string): ResourceIdentity {
    const known = this.identities.get(logicalId);
    if (known) return known;
    const res = this.resource(logicalId);
    const identity = this.guard(`identity of ${logicalId}`, () =>
      identify({
        stackName: this.stackName,
        logicalId,
        type: res.Type,
        region: this.lookups.region,
        accountId: this.lookups.accountId,
        endpointUrl: this.lookups.endpointUrl,
        prop: (p) => {
          const raw = res.Properties?.[p];
          return raw === undefined ? undefined : this.resolve(raw, `${logicalId}.${p}`);
        },
      }),
    );
    this.identities.set(logicalId, identity);
    return identity;
  }

  /** The resource's properties with every intrinsic resolved. */
  properties(logicalId: string): Record<string, unknown> {
    const known = this.props.get(logicalId);
    if (known) return known;
    const res = this.resource(logicalId);
    const resolved = this.guard(`properties of ${logicalId}`, () =>
      this.resolve(res.Properties ?? {}, `${logicalId}.Properties`),
    ) as Record<string, unknown>;
    this.props.set(logicalId, resolved);
    return resolved;
  }

  resolve(value: unknown, where: string): unknown {
    try {
      const out = resolveValue(value, this.ctx, where);
      return out === NO_VALUE ? undefined : out;
    } catch (err) {
      if (err instanceof IntrinsicError && !err.message.startsWith(`${this.stackName}:`)) {
        throw new AssemblyError(`${this.stackName}: ${err.message}`);
      }
      throw err;
    }
  }

  condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const expr = this.template.Conditions?.[name];
    if (expr === undefined) throw new IntrinsicError(`${this.stackName}: no condition named ${name}`);
    const value = this.guard(`condition ${name}`, () => evaluateCondition(expr, this.ctx, `Conditions.${name}`));
    this.conditions.set(name, value);
    return value;
  }

  private parameter(name: string, param: TemplateParameter): unknown {
    const given = this.lookups.parameterValues[name];
    const raw = given ?? (param.Default === undefined ? undefined : String(param.Default));
    if (raw === undefined) {
      throw new AssemblyError(
        `${this.stackName}: template parameter ${name} has no Default; pass a value in parameterValues`,
      );
    }
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html#cloudformation-supplied-parameter-types-ssm-parameter-types
    if (param.Type.startsWith('AWS::SSM::Parameter::Value<') && given === undefined) {
      return this.lookups.ssmParameter(raw) ?? KNOWN_SSM_VALUES[raw] ?? raw;
    }
    if (param.Type === 'CommaDelimitedList' || param.Type.startsWith('List<')) return raw.split(',');
    return raw;
  }

  /**
   * `{{resolve:ssm:name}}` from the assembly's own parameters; other dynamic references stay as written.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm.html
   */
  private dynamicReference(text: string): string {
    if (!text.includes('{{resolve:ssm:')) return text;
    return text.replace(/\{\{resolve:ssm:([^}:]+)(?::\d+)?\}\}/g, (whole, name: string) => {
      return this.lookups.ssmParameter(name) ?? whole;
    });
  }

  private guard<T>(what: string, fn: () => T): T {
    if (this.inProgress.has(what))
      throw new AssemblyError(`${this.stackName}: circular reference while resolving ${what}`);
    this.inProgress.add(what);
    try {
      return fn();
    } finally {
      this.inProgress.delete(what);
    }
  }
}
