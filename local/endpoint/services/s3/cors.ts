import { childText, childrenNamed, type XmlElement, type XmlNode } from '../../protocols/xml';
import { malformedXml, S3Error } from './errors';

/**
 * One rule of a bucket's CORS configuration.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html
 */
export interface CorsRule {
  readonly id?: string;
  readonly allowedMethods: readonly string[];
  /** Origins, each with at most one `*` wildcard. */
  readonly allowedOrigins: readonly string[];
  /** Header names (matched case-insensitively), each with at most one `*` wildcard. */
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

/** A CORS configuration holds at most 100 rules. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html */
const MAX_RULES = 100;
const METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

/**
 * Reads a `<CORSConfiguration>` (PutBucketCors), with S3's checks: 1-100 rules, each with at
 * least one method and origin, methods among GET/PUT/HEAD/POST/DELETE, at most one `*` per
 * origin or header.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
 */
export function parseCorsConfiguration(root: XmlElement): CorsRule[] {
  const rules = childrenNamed(root, 'CORSRule');
  if (rules.length === 0 || rules.length > MAX_RULES) throw malformedXml();
  return rules.map((rule) => {
    const texts = (name: string): string[] => childrenNamed(rule, name).map((e) => e.text.trim());
    const allowedMethods = texts('AllowedMethod');
    const allowedOrigins = texts('AllowedOrigin');
    if (allowedMethods.length === 0 || allowedOrigins.length === 0) throw malformedXml();
    for (const method of allowedMethods)
      if (!METHODS.has(method))
        throw new S3Error(
          400,
          'InvalidRequest',
          `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
        );
    const allowedHeaders = texts('AllowedHeader');
    for (const [kind, values] of [
      ['AllowedOrigin', allowedOrigins],
      ['AllowedHeader', allowedHeaders],
    ] as const)
      for (const value of values)
        if (value.split('*').length > 2)
          throw new S3Error(400, 'InvalidRequest', `${kind} "${value}" can not have more than one wildcard.`);
    const rawMaxAge = childText(rule, 'MaxAgeSeconds');
    const maxAgeSeconds = rawMaxAge === undefined ? undefined : Number(rawMaxAge);
    if (maxAgeSeconds !== undefined && !Number.isInteger(maxAgeSeconds)) throw malformedXml();
    return {
      id: childText(rule, 'ID') || undefined,
      allowedMethods,
      allowedOrigins,
      allowedHeaders,
      exposeHeaders: texts('ExposeHeader'),
      maxAgeSeconds,
    };
  });
}

/** The `<CORSConfiguration>` content GetBucketCors answers. */
export function corsConfigurationXml(rules: readonly CorsRule[]): XmlNode {
  return {
    CORSRule: rules.map((r) => ({
      ID: r.id,
      AllowedHeader: r.allowedHeaders,
      AllowedMethod: r.allowedMethods,
      AllowedOrigin: r.allowedOrigins,
      ExposeHeader: r.exposeHeaders,
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
  };
}

/** `*` matches any run of characters; the rest literally. */
function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const [p, v] = ignoreCase ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

function matchingRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => wildcardMatch(o, origin)) &&
      rule.allowedMethods.includes(method) &&
      requestHeaders.every((h) => rule.allowedHeaders.some((allowed) => wildcardMatch(allowed, h, true))),
  );
}

/** The response headers one matching rule grants an origin. */
function grant(rule: CorsRule, origin: string): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (rule.exposeHeaders.length) headers['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.maxAgeSeconds);
  return headers;
}

/**
 * Answers a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from the
 * bucket's rules: 200 with the granted headers, or S3's 403 `AccessForbidden` when CORS is off
 * or no rule allows the origin, method and headers.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
 */
export function preflight(
  rules: readonly CorsRule[] | undefined,
  headers: Readonly<Record<string, string>>,
  resourceType: 'BUCKET' | 'OBJECT',
): Record<string, string> {
  const origin = headers.origin;
  const method = headers['access-control-request-method'];
  if (!origin) throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  if (!method) throw new S3Error(400, 'BadRequest', 'Invalid Access-Control-Request-Method: null');
  const forbidden = (message: string): S3Error =>
    new S3Error(403, 'AccessForbidden', `CORSResponse: ${message}`, { Method: method, ResourceType: resourceType });
  if (!rules) throw forbidden('CORS is not enabled for this bucket.');
  const requested = (headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const rule = matchingRule(rules, origin, method, requested);
  if (!rule)
    throw forbidden(
      "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  const granted = grant(rule, origin);
  if (requested.length) granted['access-control-allow-headers'] = requested.join(', ');
  return granted;
}

/** The CORS headers for an actual request with an `Origin` that a rule allows for its method; none otherwise. */
export function corsHeaders(
  rules: readonly CorsRule[] | undefined,
  headers: Readonly<Record<string, string>>,
  method: string,
): Record<string, string> {
  const origin = headers.origin;
  if (!rules || !origin) return {};
  const rule = matchingRule(rules, origin, method);
  return rule ? grant(rule, origin) : {};
}
