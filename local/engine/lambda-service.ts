import { randomUUID } from 'node:crypto';
import type { EventInvokeConfigModel, EventSourceMappingModel, FunctionModel } from '../assembly/model';
import { json } from '../endpoint/server';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse } from '../endpoint/types';
import type { Invoker } from '../core/contracts';
import { logTail } from '../runtime';
import type { Timeline } from '../core/timeline';
import { describeCode, revisionId, type CodeInfo } from './code-info';
import {
  assertClientContext,
  assertFunctionName,
  decodePathParameter,
  LambdaError,
  parseMaxItems,
} from './lambda-validation';

/**
 * Invoke request and response limits.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (docs/aws-semantics.md §A.2)
 */
export const SYNC_PAYLOAD_LIMIT = 6_291_456;
export const ASYNC_PAYLOAD_LIMIT = 1_048_576;

/** What the Lambda API serves, read live so later deploys show up. */
export interface LambdaServiceDeps {
  functions(): readonly FunctionModel[];
  mappings(): readonly EventSourceMappingModel[];
  invokeConfigs(): readonly EventInvokeConfigModel[];
  /** Whether a mapping's poller is running (its `State`). */
  mappingState?(uuid: string): 'Enabled' | 'Disabled';
  /** Why a mapping is disabled by the engine (its execution role lacks the poll permissions). */
  mappingProblem?(uuid: string): string | undefined;
  invoker: Invoker;
  timeline: Timeline;
  /**
   * Puts an `Event` invocation on the function's asynchronous queue (docs/aws-semantics.md §B.1) and
   * returns the request id it will run with.
   */
  enqueueAsync(functionName: string, payload: string, eventId: string): { requestId: string };
}

/**
 * The Lambda API on the endpoint (REST JSON, signing name `lambda`): ListFunctions,
 * GetFunction(Configuration), Invoke (RequestResponse, Event, DryRun), the event source mapping
 * reads and GetFunctionEventInvokeConfig.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export function lambdaService(deps: LambdaServiceDeps): (ctx: EndpointContext) => LocalService {
  return (ctx) => ({
    name: 'lambda',
    health: () => `running (${deps.functions().length} functions)`,
    async handle(req) {
      try {
        return await route(req, deps, ctx);
      } catch (err) {
        if (err instanceof LambdaError) {
          return json(
            err.status,
            { Type: err.status >= 500 ? 'Service' : 'User', message: err.message, ...err.extra },
            { 'x-amzn-errortype': err.code, 'x-amzn-requestid': randomUUID(), ...err.headers },
          );
        }
        throw err;
      }
    },
  });
}

const FUNCTIONS = /^\/2015-03-31\/functions\/?$/;
const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)(\/configuration|\/invocations)?\/?$/;
const MAPPINGS = /^\/2015-03-31\/event-source-mappings\/?$/;
const MAPPING = /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/;
const INVOKE_CONFIG = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/;

async function route(req: ServiceRequest, deps: LambdaServiceDeps, ctx: EndpointContext): Promise<ServiceResponse> {
  const { method, path } = req;
  let m: RegExpExecArray | null;
  if (method === 'GET' && FUNCTIONS.test(path)) return listFunctions(req, deps, ctx);
  if ((m = FUNCTION.exec(path))) {
    const fn = findFunction(deps, decodePathParameter(m[1]!), req.query.get('Qualifier'), ctx);
    if (m[2] === '/invocations' && method === 'POST') return invoke(req, fn, deps);
    if (m[2] === '/configuration' && method === 'GET') return json(200, configuration(fn, ctx));
    if (!m[2] && method === 'GET') return json(200, getFunction(fn, ctx));
  }
  if (method === 'GET' && MAPPINGS.test(path)) return listMappings(req, deps, ctx);
  if (method === 'GET' && (m = MAPPING.exec(path))) {
    const uuid = decodePathParameter(m[1]!);
    const mapping = deps.mappings().find((x) => x.uuid === uuid);
    if (!mapping) {
      throw new LambdaError(404, 'ResourceNotFoundException', `The resource you requested does not exist.`);
    }
    return json(200, mappingConfiguration(mapping, deps));
  }
  if (method === 'GET' && (m = INVOKE_CONFIG.exec(path))) {
    const fn = findFunction(deps, decodePathParameter(m[1]!), req.query.get('Qualifier'), ctx);
    const config = deps.invokeConfigs().find((c) => c.functionName === fn.name);
    if (!config) {
      throw new LambdaError(
        404,
        'ResourceNotFoundException',
        `The function ${fn.arn} has no asynchronous invocation configuration.`,
      );
    }
    return json(200, {
      FunctionArn: `${fn.arn}:${config.qualifier}`,
      MaximumRetryAttempts: config.maximumRetryAttempts,
      MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds,
      LastModified: 0,
      DestinationConfig: {
        OnSuccess: config.onSuccess ? { Destination: config.onSuccess } : {},
        OnFailure: config.onFailure ? { Destination: config.onFailure } : {},
      },
    });
  }
  throw new LambdaError(
    400,
    'UnknownOperationException',
    `The local Lambda API does not support ${method} ${path}. Supported: ListFunctions, GetFunction, ` +
      'GetFunctionConfiguration, Invoke, ListEventSourceMappings, GetEventSourceMapping, GetFunctionEventInvokeConfig.',
  );
}

/**
 * Resolves a function name, ARN or partial ARN, as the Invoke API accepts them; only `$LATEST`
 * exists locally.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax
 */
function findFunction(
  deps: LambdaServiceDeps,
  identifier: string,
  qualifier: string | null,
  ctx: EndpointContext,
): FunctionModel {
  assertFunctionName(identifier);
  const parts = identifier.split(':');
  let name = identifier;
  let qualifierInName: string | undefined;
  if (identifier.startsWith('arn:')) {
    name = parts[6] ?? '';
    qualifierInName = parts[7];
  } else if (parts.length >= 3 && parts[1] === 'function') {
    name = parts[2] ?? '';
    qualifierInName = parts[3];
  } else if (parts.length === 2) {
    name = parts[0]!;
    qualifierInName = parts[1];
  }
  const fn = deps.functions().find((f) => f.name === name);
  const q = qualifier ?? qualifierInName;
  if (!fn || (q !== undefined && q !== '$LATEST')) {
    const arn = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}${q ? `:${q}` : ''}`;
    throw new LambdaError(404, 'ResourceNotFoundException', `Function not found: ${arn}`);
  }
  return fn;
}

/**
 * Lambda's model validation of an enum member: 400 `ValidationException` (not
 * InvalidParameterValueException), as the service answers an unknown `X-Amz-Invocation-Type`.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax
 * @see https://github.com/ex-aws/ex_aws/pull/442 (the AWS error response, quoted in full)
 */
function assertEnum(member: string, value: string, allowed: readonly string[]): void {
  if (allowed.includes(value)) return;
  throw new LambdaError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

async function invoke(req: ServiceRequest, fn: FunctionModel, deps: LambdaServiceDeps): Promise<ServiceResponse> {
  const type = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
  assertEnum('invocationType', type, ['DryRun', 'RequestResponse', 'Event']);
  assertEnum('logType', req.headers['x-amz-log-type'] ?? 'None', ['Tail', 'None']);
  assertClientContext(req.headers['x-amz-client-context']);
  const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (req.body.length > limit) {
    // The wire code clients receive is RequestEntityTooLargeException (docs/aws-semantics.md §A.1, observed).
    const message =
      type === 'Event'
        ? `${req.body.length} byte payload is too large for the Event invocation type (limit ${limit} bytes)`
        : `Request must be smaller than ${limit} bytes for the InvokeFunction operation`;
    throw new LambdaError(413, 'RequestEntityTooLargeException', message);
  }
  const payload = req.body.length === 0 ? '{}' : req.body.toString('utf8');
  try {
    JSON.parse(payload);
  } catch (err) {
    throw new LambdaError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(err as Error).message}`,
    );
  }
  if (type === 'DryRun') return { status: 204, headers: { 'x-amzn-requestid': randomUUID() } };

  const eventId = deps.timeline.start({
    source: 'invoke',
    functionName: fn.name,
    resource: fn.arn,
    summary: `Invoke ${type} ${fn.name}`,
    detail: { invocationType: type },
  });
  if (type === 'Event') {
    const { requestId } = deps.enqueueAsync(fn.name, payload, eventId);
    return { status: 202, headers: { 'x-amzn-requestid': requestId } };
  }

  let outcome;
  try {
    outcome = await deps.invoker.invoke(fn.name, payload, {
      eventId,
      source: 'invoke',
      clientContext: req.headers['x-amz-client-context'],
      invokedFunctionArn: fn.arn,
    });
  } catch (err) {
    const error = err as Error & { reason?: string };
    deps.timeline.finish(eventId, 'failed');
    if (error.name === 'TooManyRequestsException') {
      throw new LambdaError(
        429,
        'TooManyRequestsException',
        'Rate Exceeded.',
        { Reason: error.reason },
        {
          'retry-after': '1',
        },
      );
    }
    if (error.name === 'ResourceNotFoundException') {
      throw new LambdaError(404, 'ResourceNotFoundException', `Function not found: ${fn.arn}`);
    }
    throw new LambdaError(500, 'ServiceException', error.message);
  }
  deps.timeline.finish(eventId, outcome.functionError ? 'failed' : 'succeeded', {
    kind: 'response',
    functionName: fn.name,
    detail: { statusCode: 200, functionError: outcome.functionError },
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-requestid': outcome.requestId,
    'x-amz-executed-version': '$LATEST',
  };
  if (outcome.functionError) headers['x-amz-function-error'] = outcome.functionError;
  if (req.headers['x-amz-log-type'] === 'Tail') {
    // "The last 4 KB of the execution log, which is base64-encoded" (docs/aws-semantics.md §A.1).
    headers['x-amz-log-result'] = logTail(outcome.logs);
  }
  return { status: 200, headers, body: outcome.payload };
}

function listFunctions(req: ServiceRequest, deps: LambdaServiceDeps, ctx: EndpointContext): ServiceResponse {
  const all = [...deps.functions()].sort((a, b) => a.name.localeCompare(b.name));
  const { page, next } = paginate(all, req.query.get('Marker'), req.query.get('MaxItems'), 50);
  return json(200, { Functions: page.map((f) => configuration(f, ctx)), ...(next ? { NextMarker: next } : {}) });
}

function listMappings(req: ServiceRequest, deps: LambdaServiceDeps, ctx: EndpointContext): ServiceResponse {
  const fnFilter = req.query.get('FunctionName');
  const sourceFilter = req.query.get('EventSourceArn');
  let all = [...deps.mappings()];
  if (fnFilter) {
    const fn = findFunction(deps, fnFilter, null, ctx);
    all = all.filter((m) => m.functionName === fn.name);
  }
  if (sourceFilter) all = all.filter((m) => m.eventSourceArn === sourceFilter);
  const { page, next } = paginate(all, req.query.get('Marker'), req.query.get('MaxItems'), 100);
  return json(200, {
    EventSourceMappings: page.map((m) => mappingConfiguration(m, deps)),
    ...(next ? { NextMarker: next } : {}),
  });
}

function paginate<T>(items: T[], marker: string | null, maxItems: string | null, defaultMax: number) {
  const max = parseMaxItems(maxItems, defaultMax);
  const start = marker ? Number(Buffer.from(marker, 'base64url').toString()) || 0 : 0;
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { page, next };
}

const codeInfos = new Map<string, CodeInfo>();

/** The bundle's description, computed once per folder (a deploy registers a new folder). */
function codeOf(fn: FunctionModel): CodeInfo {
  let info = codeInfos.get(fn.codeDir);
  if (!info) {
    info = describeCode(fn.codeDir);
    codeInfos.set(fn.codeDir, info);
  }
  return info;
}

/**
 * `FunctionConfiguration` as GetFunctionConfiguration returns it, with the members AWS always sends.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
 */
function configuration(fn: FunctionModel, ctx: EndpointContext): Record<string, unknown> {
  const code = codeOf(fn);
  const settings = {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    Role: `arn:aws:iam::${ctx.accountId}:role/${fn.name}-role`,
    Handler: fn.handler,
    Description: fn.description ?? '',
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memorySizeMb,
    Version: '$LATEST',
    Environment: { Variables: fn.environment },
    TracingConfig: { Mode: 'PassThrough' },
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: fn.architectures,
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: 'Text', LogGroup: fn.logGroupName },
    ...(fn.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: fn.deadLetterTargetArn } } : {}),
  };
  return {
    ...settings,
    CodeSha256: code.codeSha256,
    CodeSize: code.codeSize,
    LastModified: code.lastModified,
    RevisionId: revisionId(code.codeSha256, JSON.stringify(settings)),
  };
}

function getFunction(fn: FunctionModel, ctx: EndpointContext): Record<string, unknown> {
  return {
    Configuration: configuration(fn, ctx),
    Code: { RepositoryType: 'Local', Location: `file://${fn.codeDir}` },
    ...(fn.reservedConcurrency === undefined
      ? {}
      : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
  };
}

/** `EventSourceMappingConfiguration` as GetEventSourceMapping returns it. */
function mappingConfiguration(m: EventSourceMappingModel, deps: LambdaServiceDeps): Record<string, unknown> {
  const state = deps.mappingState?.(m.uuid) ?? (m.enabled ? 'Enabled' : 'Disabled');
  const streams = m.source !== 'sqs';
  return {
    UUID: m.uuid,
    EventSourceArn: m.eventSourceArn,
    FunctionArn: m.functionArn,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    State: state,
    StateTransitionReason: deps.mappingProblem?.(m.uuid) ?? 'USER_INITIATED',
    LastModified: 0,
    FunctionResponseTypes: m.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(m.filterPatterns.length
      ? { FilterCriteria: { Filters: m.filterPatterns.map((Pattern) => ({ Pattern })) } }
      : {}),
    ...(m.maximumConcurrency ? { ScalingConfig: { MaximumConcurrency: m.maximumConcurrency } } : {}),
    ...(streams
      ? {
          StartingPosition: m.startingPosition,
          ParallelizationFactor: m.parallelizationFactor,
          BisectBatchOnFunctionError: m.bisectBatchOnFunctionError,
          MaximumRetryAttempts: m.maximumRetryAttempts,
          MaximumRecordAgeInSeconds: m.maximumRecordAgeInSeconds,
          TumblingWindowInSeconds: m.tumblingWindowInSeconds,
          DestinationConfig: { OnFailure: m.onFailureDestination ? { Destination: m.onFailureDestination } : {} },
          LastProcessingResult: deps.mappingProblem?.(m.uuid) ? 'PROBLEM: Function call failed' : 'OK',
        }
      : {}),
  };
}
