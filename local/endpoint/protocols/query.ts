import type { ServiceRequest, ServiceResponse } from '../types';
import { AwsError, requestId } from './errors';
import { buildXml, xmlEscape, type XmlNode } from './xml';

export { AwsError, requestId } from './errors';

/**
 * A value written as AWS Query XML: scalars as text, arrays as `<member>` children,
 * objects as child elements, {@link XmlMap} as `<entry><key/><value/></entry>` children.
 * `undefined` members are left out.
 */
export type XmlValue = string | number | boolean | undefined | XmlMap | readonly XmlValue[] | XmlObject;
/** An XML element's children by name. */
export interface XmlObject {
  readonly [name: string]: XmlValue;
}

/** A string map written the Query way (`<entry><key>…</key><value>…</value></entry>`). */
export class XmlMap {
  constructor(readonly entries: Readonly<Record<string, string>>) {}
}

/** Serializes the children of an element, through the endpoint's one XML writer. */
export function toXml(value: XmlValue): string {
  if (value === undefined) return '';
  if (typeof value !== 'object') return xmlEscape(String(value));
  return buildXml(queryNode(value));
}

/** A Query value as the elements it stands for: lists become `member`s, maps `entry`s. */
function queryNode(value: XmlMap | readonly XmlValue[] | XmlObject): XmlNode {
  if (value instanceof XmlMap) return { entry: Object.entries(value.entries).map(([key, v]) => ({ key, value: v })) };
  if (Array.isArray(value)) return { member: (value as readonly XmlValue[]).map(queryElement) };
  const node: Record<string, BuiltValue> = {};
  for (const [name, v] of Object.entries(value as XmlObject)) node[name] = queryElement(v);
  return node;
}

type BuiltValue = XmlNode[string];

function queryElement(value: XmlValue): BuiltValue {
  return value === undefined || typeof value !== 'object' ? value : queryNode(value);
}

/**
 * The parameters of an AWS Query request: the form body of a POST merged over the URL query.
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
export function queryParams(req: ServiceRequest): URLSearchParams {
  const params = new URLSearchParams(req.rawQuery);
  const type = req.headers['content-type'] ?? '';
  if (req.body.length > 0 && (type === '' || type.startsWith('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
  }
  return params;
}

/**
 * The indexed sub-prefixes of a Query list or map, in index order: for `Tags.member` it returns
 * `['Tags.member.1', 'Tags.member.2', …]` for the indices present.
 */
export function indexedPrefixes(params: URLSearchParams, prefix: string): string[] {
  const head = `${prefix}.`;
  const indices = new Set<number>();
  for (const key of params.keys()) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf('.');
    const n = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (Number.isInteger(n) && n > 0) indices.add(n);
  }
  return [...indices].sort((a, b) => a - b).map((n) => `${head}${n}`);
}

/** A Query list of strings: `Prefix.member.N`. */
export function queryStringList(params: URLSearchParams, prefix: string): string[] {
  return indexedPrefixes(params, `${prefix}.member`)
    .map((p) => params.get(p))
    .filter((v): v is string => v !== null);
}

/** A Query string map: `Prefix.entry.N.key` / `Prefix.entry.N.value` (names configurable). */
export function queryMap(
  params: URLSearchParams,
  prefix: string,
  keyName = 'key',
  valueName = 'value',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of indexedPrefixes(params, `${prefix}.entry`)) {
    const k = params.get(`${p}.${keyName}`);
    if (k !== null) out[k] = params.get(`${p}.${valueName}`) ?? '';
  }
  return out;
}

/** Options of {@link serveQuery}. */
export interface QueryServiceOptions {
  /** The response namespace, e.g. `http://sns.amazonaws.com/doc/2010-03-31/`. */
  readonly xmlns: string;
  /** Used in error messages, e.g. `SNS service`. */
  readonly serviceLabel: string;
}

/**
 * A successful Query answer:
 * `<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…`.
 */
export function queryResult(xmlns: string, action: string, result: XmlValue): ServiceResponse {
  const id = requestId();
  const inner = result === undefined ? '' : `<${action}Result>${toXml(result)}</${action}Result>`;
  const body =
    `<?xml version="1.0"?>\n<${action}Response xmlns="${xmlns}">${inner}` +
    `<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id }, body };
}

/**
 * A Query error answer, which the SDK maps to its error class by `<Code>` (the model's `awsQueryError` name).
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization
 */
export function queryError(xmlns: string, err: AwsError): ServiceResponse {
  const id = requestId();
  const body =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${err.fault}</Type>` +
    `<Code>${xmlEscape(err.queryCode ?? err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error>` +
    `<RequestId>${id}</RequestId></ErrorResponse>`;
  return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id }, body };
}

/**
 * Runs a Query service's action table: finds `Action`, calls its handler with the parameters and
 * writes the result or the thrown {@link AwsError}. An unknown action gets `InvalidAction` naming it.
 */
export async function serveQuery(
  req: ServiceRequest,
  opts: QueryServiceOptions,
  actions: Readonly<Record<string, (params: URLSearchParams) => XmlValue | Promise<XmlValue>>>,
): Promise<ServiceResponse> {
  try {
    const params = queryParams(req);
    const action = params.get('Action');
    if (!action) throw new AwsError('MissingAction', `The request to the local ${opts.serviceLabel} has no Action.`);
    const handler = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
    if (!handler) {
      throw new AwsError('InvalidAction', `The local ${opts.serviceLabel} does not support the action '${action}'.`);
    }
    return queryResult(opts.xmlns, action, await handler(params));
  } catch (err) {
    if (err instanceof AwsError) return queryError(opts.xmlns, err);
    const message = `Internal error in the local ${opts.serviceLabel}: ${err instanceof Error ? err.message : String(err)}`;
    return queryError(opts.xmlns, new AwsError('InternalError', message, { status: 500 }));
  }
}
