import { randomUUID } from 'node:crypto';
import type { RestApiModel, RestApiRouteModel, RestApiStageModel } from '../assembly/model';
import { realClock, type Clock } from '../core/clock';
import type { InvocationOutcome, Invoker } from '../core/contracts';
import type { RequestLimits } from '../endpoint/request-limits';
import type { ServiceRequest, ServiceResponse } from '../endpoint/types';
import { type EngineLogger, silentLogger, type TimelineWriter } from '../async/types';
import { gatewayError, gatewayHeaders, type GatewayResponseType, type ResponseIds } from './gateway-responses';
import { apigwId, buildApiGatewayProxyEvent } from './proxy-event';
import { mapProxyResponse } from './proxy-response';
import { RequestValidator } from './request-validator';
import { parseStageRequestPath, RestApiRouter, type RouteMatch } from './router';
import { TokenBucket } from './token-bucket';

/**
 * Largest request payload API Gateway accepts.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/**
 * The endpoint's bounds for stage URLs: bodies above API Gateway's 10 MB payload quota are refused
 * with its 413 before they are read. No answer-time bound: the integration timeout decides.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export const REST_API_REQUEST_LIMITS: RequestLimits = {
  maxBodyBytes: MAX_REQUEST_BYTES,
  tooLarge: () => gatewayError('REQUEST_TOO_LARGE', freshIds()),
  internal: (_head, message) => gatewayError('INTEGRATION_FAILURE', freshIds(), message),
};

function freshIds(): ResponseIds {
  const requestId = randomUUID();
  return { requestId, apigwId: apigwId(requestId) };
}

/** Settings of a {@link RestApiGateway}. */
export interface RestApiGatewayOptions {
  /** Every REST API of the assembly. */
  readonly apis: readonly RestApiModel[];
  /** Invokes the proxy integration's function synchronously (API Gateway never retries). */
  readonly invoker: Invoker;
  /** Stamps `requestTimeEpoch`. */
  readonly clock: Clock;
  /**
   * Refills the throttling buckets. Clients send requests in real time, so a stage's requests per second
   * are real seconds, like the integration timeout: on the scaled clock, dev's 10 requests/s would become
   * 600/s at 60× and no client would ever see a 429.
   * @default real time
   */
  readonly throttleClock?: Clock;
  readonly timeline: TimelineWriter;
  /** `requestContext.accountId`. @default '000000000000' */
  readonly accountId?: string;
  /** Region of the default execute-api domain name. @default 'us-east-1' */
  readonly region?: string;
  /** @default silent */
  readonly logger?: EngineLogger;
}

/**
 * The REST API (v1) emulation: serves `/restapis/<apiId>/<stage>/_user_request_/<path>` for every
 * API of the assembly with Lambda proxy integrations, method request validation, stage and method
 * throttling, the integration timeout (both in real time, like function code and clients) and API
 * Gateway's error responses. Mount it with `endpoint.addRoute('/restapis/', (req) => gateway.handle(req), REST_API_REQUEST_LIMITS)`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
 */
export class RestApiGateway {
  private readonly router: RestApiRouter;
  private readonly validator = new RequestValidator();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly invoker: Invoker;
  private readonly clock: Clock;
  private readonly throttleClock: Clock;
  private readonly timeline: TimelineWriter;
  private readonly accountId: string;
  private readonly region: string;
  private readonly logger: EngineLogger;

  constructor(options: RestApiGatewayOptions) {
    this.router = new RestApiRouter(options.apis);
    this.invoker = options.invoker;
    this.clock = options.clock;
    this.throttleClock = options.throttleClock ?? realClock;
    this.timeline = options.timeline;
    this.accountId = options.accountId ?? '000000000000';
    this.region = options.region ?? 'us-east-1';
    this.logger = options.logger ?? silentLogger;
  }

  /** Answers one HTTP request as API Gateway would. Never rejects. */
  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    const requestId = randomUUID();
    const ids: ResponseIds = { requestId, apigwId: apigwId(requestId) };
    const stagePath = parseStageRequestPath(req.path);
    const match = stagePath && this.router.route(req.method, stagePath);
    if (!match) return gatewayError('MISSING_AUTHENTICATION_TOKEN', ids);
    if (req.body.length > MAX_REQUEST_BYTES) return gatewayError('REQUEST_TOO_LARGE', ids);

    const { api, stage, route } = match;
    const method = req.method.toUpperCase();
    const eventId = this.timeline.start({
      source: 'apigateway',
      functionName: route.functionName,
      resource: `${api.id}/${stage.name} ${route.httpMethod} ${route.resourcePath}`,
      summary: `${method} ${match.path}`,
      detail: { requestId, apiId: api.id, stage: stage.name, sourceIp: req.sourceIp },
    });
    const reject = (type: GatewayResponseType, reason: string, message?: string): ServiceResponse => {
      const response = gatewayError(type, ids, message);
      this.timeline.finish(eventId, 'failed', {
        kind: 'response',
        functionName: route.functionName,
        detail: { statusCode: response.status, gatewayResponse: type, reason },
      });
      return response;
    };

    const bucket = this.bucketFor(stage, route, method);
    if (bucket && !bucket.tryTake()) return reject('THROTTLED', 'stage or method throttling limit');
    const invalid = this.validator.validate(route, req, match.pathParameters);
    if (invalid) {
      const type = invalid.kind === 'parameters' ? 'BAD_REQUEST_PARAMETERS' : 'BAD_REQUEST_BODY';
      return reject(type, invalid.kind === 'body' ? invalid.details : invalid.message, invalid.message);
    }
    if (route.integrationType !== 'AWS_PROXY' || !route.functionName) {
      return reject(
        'INTEGRATION_FAILURE',
        `integration type ${route.integrationType} is not emulated locally (only Lambda proxy integrations)`,
      );
    }
    return this.integrate(req, match, route.functionName, ids, eventId, reject);
  }

  private async integrate(
    req: ServiceRequest,
    match: RouteMatch,
    functionName: string,
    ids: ResponseIds,
    eventId: string,
    reject: (type: GatewayResponseType, reason: string) => ServiceResponse,
  ): Promise<ServiceResponse> {
    const event = buildApiGatewayProxyEvent(req, match, {
      requestId: ids.requestId,
      now: this.clock.now(),
      accountId: this.accountId,
      region: this.region,
    });
    let outcome: InvocationOutcome | 'timeout';
    try {
      outcome = await withRealTimeout(
        this.invoker.invoke(functionName, JSON.stringify(event), { eventId, source: 'apigateway' }),
        match.route.timeoutInMillis,
      );
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      this.logger.warn(`API Gateway: Lambda rejected the invoke of ${functionName}: ${name}`);
      return reject('INTEGRATION_FAILURE', `Lambda rejected the invoke: ${name}`);
    }
    if (outcome === 'timeout') {
      return reject('INTEGRATION_TIMEOUT', `no answer within ${match.route.timeoutInMillis} ms`);
    }
    const mapped = mapProxyResponse(outcome, {
      binaryMediaTypes: match.api.binaryMediaTypes,
      accept: req.headers.accept,
    });
    if (mapped.kind === 'function-error') {
      return reject('BAD_GATEWAY', `function error ${mapped.errorType ?? ''}: ${mapped.errorMessage ?? ''}`.trim());
    }
    if (mapped.kind === 'malformed') {
      return reject(
        'BAD_GATEWAY',
        `Execution failed due to configuration error: Malformed Lambda proxy response (${mapped.reason})`,
      );
    }
    this.timeline.finish(eventId, 'succeeded', {
      kind: 'response',
      functionName,
      requestId: outcome.requestId,
      detail: { statusCode: mapped.statusCode },
    });
    return {
      status: mapped.statusCode,
      headers: {
        ...mapped.headers,
        ...gatewayHeaders(ids),
        'X-Amzn-Trace-Id': event.headers['X-Amzn-Trace-Id'] ?? '',
      },
      body: mapped.body,
    };
  }

  /**
   * The bucket that throttles a method: its own `MethodSettings`, else the stage-wide `/*` `/*`
   * settings (the default limits of each method); undefined when neither sets limits.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
   */
  private bucketFor(stage: RestApiStageModel, route: RestApiRouteModel, method: string): TokenBucket | undefined {
    const keys = [
      `${method} ${route.resourcePath}`,
      `${route.httpMethod} ${route.resourcePath}`,
      `* ${route.resourcePath}`,
    ];
    const methodKey = keys.find((k) => stage.methodThrottling[k] !== undefined);
    const limits = methodKey ? stage.methodThrottling[methodKey] : stage.throttling;
    if (!limits) return undefined;
    const bucketKey = `${stage.url} ${methodKey ?? `${method} ${route.resourcePath}`}`;
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) {
      bucket = new TokenBucket(limits.rateLimit, limits.burstLimit, this.throttleClock);
      this.buckets.set(bucketKey, bucket);
    }
    return bucket;
  }
}

/** Resolves to 'timeout' after `ms` REAL milliseconds; the invocation itself keeps running, as on AWS. */
function withRealTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return new Promise<T | 'timeout'>((resolve, reject) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
