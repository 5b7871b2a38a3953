import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ServiceRequest } from '../endpoint/types';
import type { RouteMatch } from './router';

/** Fixed facts of one request, so the builder is pure. */
export interface ProxyEventContext {
  /** `requestContext.requestId` (also the `x-amzn-RequestId` response header). */
  readonly requestId: string;
  /** Epoch ms of the request (`requestTimeEpoch`). */
  readonly now: number;
  readonly accountId: string;
  readonly region: string;
}

/**
 * Request headers API Gateway does not put in the proxy event (AWS-recorded events of requests
 * with a body have neither).
 * @see https://github.com/localstack/localstack/blob/main/tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json
 */
const NOT_FORWARDED_HEADERS = new Set(['content-length', 'connection']);

/**
 * Builds the REST API (v1) Lambda proxy integration event for a matched request.
 *
 * Query strings: `queryStringParameters` holds the last value of each name and
 * `multiValueQueryStringParameters` all of them; absent maps are `null`, not `{}`. The body is
 * base64 with `isBase64Encoded: true` when the request's Content-Type is one of the API's binary
 * media types.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
 */
export function buildApiGatewayProxyEvent(
  req: ServiceRequest,
  match: RouteMatch,
  ctx: ProxyEventContext,
): APIGatewayProxyEvent {
  const { api, stage, route } = match;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!NOT_FORWARDED_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  // API Gateway adds the forwarding headers of its front door before calling the integration.
  headers['X-Forwarded-For'] ??= req.sourceIp;
  headers['X-Forwarded-Port'] ??= portOf(req.headers.host);
  headers['X-Forwarded-Proto'] ??= 'http';
  headers['X-Amzn-Trace-Id'] ??= traceId(ctx.requestId, ctx.now);
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) multiValueHeaders[name] = [value];

  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of req.query) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(single).length > 0;

  const binary = isBinaryMediaType(req.headers['content-type'], api.binaryMediaTypes);
  const body = req.body.length === 0 ? null : binary ? req.body.toString('base64') : req.body.toString('utf8');
  const variables = Object.keys(stage.variables).length > 0 ? { ...stage.variables } : null;
  const domainName = req.headers.host ?? `${api.id}.execute-api.${ctx.region}.amazonaws.com`;

  return {
    resource: route.resourcePath,
    path: match.path,
    httpMethod: req.method.toUpperCase(),
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? single : null,
    multiValueQueryStringParameters: hasQuery ? multi : null,
    pathParameters: match.pathParameters ? { ...match.pathParameters } : null,
    stageVariables: variables,
    requestContext: {
      resourceId: resourceId(api.id, route.resourcePath),
      resourcePath: route.resourcePath,
      httpMethod: req.method.toUpperCase(),
      extendedRequestId: apigwId(ctx.requestId),
      requestTime: formatRequestTime(ctx.now),
      path: `/${stage.name}${match.path}`,
      accountId: ctx.accountId,
      protocol: 'HTTP/1.1',
      stage: stage.name,
      domainPrefix: api.id,
      requestTimeEpoch: ctx.now,
      requestId: ctx.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: req.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: req.headers['user-agent'] ?? null,
        user: null,
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
      },
      domainName,
      apiId: api.id,
      authorizer: undefined,
    },
    body,
    isBase64Encoded: binary && body !== null,
  };
}

/**
 * True when `contentType` matches one of the API's binary media types (`image/png`, `image/*`,
 * `*\/*`). CloudFormation templates may escape `/` as `~1`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
 */
export function isBinaryMediaType(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const [major, minor] = type.split('/');
  return binaryMediaTypes.some((raw) => {
    const pattern = raw.replace(/~1/g, '/').trim().toLowerCase();
    const [pMajor, pMinor] = pattern.split('/');
    return (pMajor === '*' || pMajor === major) && (pMinor === '*' || pMinor === minor);
  });
}

/** `requestTime` format: `04/Mar/2020:19:15:17 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}

/** The `x-amz-apigw-id` / `extendedRequestId` for a request id: 16 characters ending in `=`, like AWS's. */
export function apigwId(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64').replace(/[+/]/g, 'A').slice(0, 15) + '=';
}

/** A stable 6-character resource id per API resource, like API Gateway's `resourceId`. */
export function resourceId(apiId: string, resourcePath: string): string {
  const hash = createHash('sha256').update(`${apiId} ${resourcePath}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 6; i++) id += alphabet[hash[i]! % alphabet.length];
  return id;
}

/** An X-Ray style trace header `Root=1-<epoch seconds hex>-<24 hex>`. */
function traceId(requestId: string, now: number): string {
  const seconds = Math.floor(now / 1000).toString(16);
  const tail = createHash('sha256').update(requestId).digest('hex').slice(0, 24);
  return `Root=1-${seconds}-${tail}`;
}

function portOf(host: string | undefined): string {
  const port = host && /:(\d+)$/.exec(host)?.[1];
  return port || '80';
}
