/**
 * CloudFormation intrinsic functions and pseudo parameters, resolved against a stack's context.
 * Pure: everything the template refers to comes through {@link IntrinsicContext}.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */

/** What `{"Ref": "AWS::NoValue"}` resolves to; removed from the enclosing object or list. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** The facts and look-ups intrinsic functions need. */
export interface IntrinsicContext {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly stackId: string;
  /** `Ref` of a template parameter or resource (pseudo parameters are handled here). */
  ref(name: string): unknown;
  /** `Fn::GetAtt` of a resource. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** `Fn::ImportValue`: another stack's export. */
  importValue(exportName: string): unknown;
  /** The value of a named condition of the template's `Conditions`. */
  condition(name: string): boolean;
  /** The template's `Mappings`. */
  readonly mappings: Readonly<Record<string, unknown>>;
  /** Resolves dynamic references (`{{resolve:ssm:name}}`) inside a literal string; identity when absent. */
  dynamicReference?(text: string): string;
}

/** A template value that cannot be resolved, with where it was found. */
export class IntrinsicError extends Error {
  override readonly name = 'IntrinsicError';
}

/**
 * Pseudo parameters.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
 */
export function pseudoParameter(name: string, ctx: IntrinsicContext): unknown {
  switch (name) {
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::AccountId':
      return ctx.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return ctx.stackName;
    case 'AWS::StackId':
      return ctx.stackId;
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::NotificationARNs':
      return [];
    default:
      return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A resolved scalar as the string CloudFormation would put into a string property. */
export function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new IntrinsicError(`${where}: expected a string, got ${JSON.stringify(value)}`);
}

function asList(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new IntrinsicError(`${where}: expected a list, got ${JSON.stringify(value)}`);
}

/**
 * Resolves every intrinsic function in `value`. Objects with a single `Ref`, `Fn::*` or `Condition`
 * key are functions; `AWS::NoValue` drops the member. `where` names the location for errors.
 */
export function resolveValue(value: unknown, ctx: IntrinsicContext, where = 'value'): unknown {
  if (typeof value === 'string') return ctx.dynamicReference ? ctx.dynamicReference(value) : value;
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveValue(v, ctx, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0] as string;
    if (key === 'Ref' || key.startsWith('Fn::')) return resolveFunction(key, value[key], ctx, where);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = resolveValue(value[k], ctx, `${where}.${k}`);
    if (v !== NO_VALUE) out[k] = v;
  }
  return out;
}

function resolveFunction(fn: string, arg: unknown, ctx: IntrinsicContext, where: string): unknown {
  const at = `${where} (${fn})`;
  switch (fn) {
    case 'Ref': {
      const name = asString(resolveValue(arg, ctx, at), at);
      const pseudo = pseudoParameter(name, ctx);
      return pseudo !== undefined ? pseudo : ctx.ref(name);
    }
    case 'Fn::GetAtt': {
      const parts =
        typeof arg === 'string'
          ? splitOnce(arg, '.')
          : asList(resolveValue(arg, ctx, at), at).map((p) => asString(p, at));
      const [logicalId, ...attr] = parts;
      if (!logicalId || attr.length === 0) throw new IntrinsicError(`${at}: malformed ${JSON.stringify(arg)}`);
      return ctx.getAtt(logicalId, attr.join('.'));
    }
    case 'Fn::Join': {
      const [sep, list] = asList(arg, at);
      const items = asList(resolveValue(list, ctx, at), at);
      return items.map((i) => asString(i, at)).join(asString(sep, at));
    }
    case 'Fn::Sub':
      return resolveSub(arg, ctx, at);
    case 'Fn::Select': {
      const [index, list] = asList(arg, at);
      const i = Number(resolveValue(index, ctx, at));
      const items = asList(resolveValue(list, ctx, at), at);
      if (!Number.isInteger(i) || i < 0 || i >= items.length) {
        throw new IntrinsicError(`${at}: index ${String(index)} is outside a list of ${items.length}`);
      }
      return items[i];
    }
    case 'Fn::Split': {
      const [sep, text] = asList(arg, at);
      return asString(resolveValue(text, ctx, at), at).split(asString(sep, at));
    }
    case 'Fn::If': {
      const [name, whenTrue, whenFalse] = asList(arg, at);
      return resolveValue(ctx.condition(asString(name, at)) ? whenTrue : whenFalse, ctx, at);
    }
    case 'Fn::Equals':
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Not':
      return evaluateCondition({ [fn]: arg }, ctx, where);
    case 'Fn::Base64':
      return Buffer.from(asString(resolveValue(arg, ctx, at), at), 'utf8').toString('base64');
    case 'Fn::GetAZs': {
      const region = asString(resolveValue(arg, ctx, at), at) || ctx.region;
      return ['a', 'b', 'c'].map((z) => `${region}${z}`);
    }
    case 'Fn::ImportValue':
      return ctx.importValue(asString(resolveValue(arg, ctx, at), at));
    case 'Fn::FindInMap': {
      const [mapName, top, second, options] = asList(arg, at);
      const names = [mapName, top, second].map((n) => asString(resolveValue(n, ctx, at), at));
      const map = ctx.mappings[names[0] as string];
      const inner = isObject(map) ? map[names[1] as string] : undefined;
      const found = isObject(inner) ? inner[names[2] as string] : undefined;
      if (found !== undefined) return found;
      // AWS::LanguageExtensions adds a DefaultValue as the fourth argument.
      if (isObject(options) && 'DefaultValue' in options) return resolveValue(options.DefaultValue, ctx, at);
      throw new IntrinsicError(`${at}: no mapping ${names.join('.')}`);
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(resolveValue(arg, ctx, at));
    case 'Fn::Length':
      return asList(resolveValue(arg, ctx, at), at).length;
    default:
      throw new IntrinsicError(`${at}: the local engine does not support ${fn}`);
  }
}

function splitOnce(text: string, sep: string): string[] {
  const i = text.indexOf(sep);
  return i < 0 ? [text] : [text.slice(0, i), text.slice(i + 1)];
}

/**
 * `Fn::Sub` in both forms: `"text ${Name} ${Res.Attr} ${!Literal}"` and `[text, {Var: value}]`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
 */
function resolveSub(arg: unknown, ctx: IntrinsicContext, at: string): string {
  let template: string;
  let vars: Record<string, unknown> = {};
  if (typeof arg === 'string') template = arg;
  else {
    const [text, map] = asList(arg, at);
    template = asString(text, at);
    if (map !== undefined) {
      if (!isObject(map)) throw new IntrinsicError(`${at}: the variable map must be an object`);
      vars = map;
    }
  }
  return template.replace(/\$\{([^}]*)\}/g, (_whole, expr: string) => {
    if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
    const name = expr.trim();
    if (Object.prototype.hasOwnProperty.call(vars, name)) return asString(resolveValue(vars[name], ctx, at), at);
    const pseudo = pseudoParameter(name, ctx);
    if (pseudo !== undefined && pseudo !== NO_VALUE) return asString(pseudo, at);
    const dot = name.indexOf('.');
    if (dot > 0) return asString(ctx.getAtt(name.slice(0, dot), name.slice(dot + 1)), at);
    return asString(ctx.ref(name), at);
  });
}

/**
 * Evaluates a condition expression: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html
 */
export function evaluateCondition(expr: unknown, ctx: IntrinsicContext, where = 'condition'): boolean {
  if (typeof expr === 'boolean') return expr;
  if (typeof expr === 'string') return expr === 'true';
  if (!isObject(expr)) throw new IntrinsicError(`${where}: not a condition: ${JSON.stringify(expr)}`);
  const [key] = Object.keys(expr);
  const arg = expr[key as string];
  const at = `${where} (${String(key)})`;
  switch (key) {
    case 'Condition':
      return ctx.condition(asString(arg, at));
    case 'Fn::Equals': {
      // CloudFormation compares the values as strings (`"1"` equals `1`).
      const [a, b] = asList(arg, at).map((v) => {
        const r = resolveValue(v, ctx, at);
        return typeof r === 'string' || typeof r === 'number' || typeof r === 'boolean' ? String(r) : JSON.stringify(r);
      });
      return a === b;
    }
    case 'Fn::And':
      return asList(arg, at).every((c) => evaluateCondition(c, ctx, at));
    case 'Fn::Or':
      return asList(arg, at).some((c) => evaluateCondition(c, ctx, at));
    case 'Fn::Not': {
      const [inner] = asList(arg, at);
      return !evaluateCondition(inner, ctx, at);
    }
    default: {
      const value = resolveValue(expr, ctx, where);
      if (typeof value === 'boolean') return value;
      throw new IntrinsicError(`${at}: not a condition function`);
    }
  }
}
