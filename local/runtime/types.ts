import { type ErrorPayload } from './protocol';

export { type ErrorPayload } from './protocol';

/**
 * One Lambda function as the runtime runs it (the engine fills it from the cloud assembly).
 */
export interface FunctionDefinition {
  /** Function name, as in `AWS_LAMBDA_FUNCTION_NAME`; the key for every other call. */
  readonly name: string;
  /** Unqualified function ARN (`arn:aws:lambda:<region>:<account>:function:<name>`). */
  readonly arn: string;
  /** Handler string, resolved like the Node.js runtime does (`index.handler`, `dir/file.a.b`). */
  readonly handler: string;
  /** Absolute path of the code directory (the CDK asset dir, `LAMBDA_TASK_ROOT`). */
  readonly codeDir: string;
  /**
   * Runtime identifier. Callback handlers are rejected on `nodejs24.x` and later.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
   */
  readonly runtime: string;
  /**
   * Function timeout in seconds, 1–900.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
   */
  readonly timeoutSeconds: number;
  /**
   * Memory size in MB, 128–10,240; also the environment's heap limit.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly memorySizeMb: number;
  /** The function's own environment variables (from the template). Reserved names are overridden. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Reserved concurrency; invocations beyond it are throttled ({@link ThrottledError}). 0 throttles every invoke.
   * @default - unreserved: only the local cap applies
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   */
  readonly reservedConcurrency?: number;
  /**
   * Log group name (`AWS_LAMBDA_LOG_GROUP_NAME`).
   * @default `/aws/lambda/<name>`
   */
  readonly logGroupName?: string;
  /**
   * Environments this function may run at once on this machine; invocations beyond it wait for a free environment.
   * @default the runtime's `localConcurrencyCap`
   */
  readonly localConcurrencyCap?: number;
  /**
   * The execution role's session credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
   * `AWS_SESSION_TOKEN`), as Lambda gives a function its role's temporary credentials.
   * @default the engine's credentials
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
   */
  readonly roleCredentials?: Readonly<
    Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN', string>
  >;
}

/** One synchronous invocation. */
export interface InvokeOptions {
  /**
   * The event as JSON text. An empty string is delivered as `{}`, as the Invoke API does for an empty body. Callers
   * validate JSON first (`InvalidRequestContentException`); text that does not parse fails the invocation with
   * `Runtime.PlatformError`.
   */
  readonly payload: string;
  /** @default a random UUID v4 */
  readonly requestId?: string;
  /** ARN the caller used (qualified if it named a version or alias). @default the function's ARN */
  readonly invokedFunctionArn?: string;
  /** `X-Amz-Client-Context`: base64 of a JSON object; `context.clientContext` gets the parsed object. */
  readonly clientContext?: string;
  /** Cognito identity for `context.identity`. */
  readonly identity?: unknown;
}

/** How an invocation ended. `crash` covers exit, out-of-memory, uncaught exceptions and failed init. */
export type InvokeOutcome = 'success' | 'error' | 'timeout' | 'crash';

/** The answer to one invocation: what the Invoke API returns, plus what the engine shows on timelines. */
export interface InvokeResult {
  readonly requestId: string;
  /** JSON text of the function's result, or of the error object ({@link ErrorPayload}). */
  readonly payload: string;
  /**
   * `X-Amz-Function-Error`: always `Unhandled` for a function error (docs/aws-semantics.md §A.1 engine rule); absent on success.
   */
  readonly functionError?: 'Unhandled';
  /** The error object when `functionError` is set. */
  readonly error?: ErrorPayload;
  readonly outcome: InvokeOutcome;
  /** The invocation's log text (Lambda lines: START, output, END, REPORT); see {@link logTail} for `LogType=Tail`. */
  readonly logs: string;
  /** Epoch ms when the handler was called (after init on a cold start). */
  readonly startedAt: number;
  /** Handler duration in ms (REPORT `Duration`). */
  readonly durationMs: number;
  /** REPORT `Billed Duration`: duration (+ init on a cold start) rounded up to 1 ms. */
  readonly billedDurationMs: number;
  /** Init duration in ms, on cold starts only. */
  readonly initDurationMs?: number;
  readonly coldStart: boolean;
  /** The environment that ran it (its log stream name). */
  readonly environmentId: string;
  /** REPORT `Max Memory Used`: the environment's peak heap + external memory, in MB. */
  readonly maxMemoryUsedMb: number;
}

/** Settings of a {@link LambdaRuntime}. */
export interface LambdaRuntimeOptions {
  /** Region for `AWS_REGION` / `AWS_DEFAULT_REGION`. */
  readonly region: string;
  /** Account id (used in default ARNs). */
  readonly accountId: string;
  /**
   * Variables the engine adds to every function (e.g. `AWS_ENDPOINT_URL`, dummy credentials). They win over the
   * function's own variables; Lambda's reserved variables win over both.
   */
  readonly engineEnvironment?: Readonly<Record<string, string>>;
  /**
   * Environments per function that may run at once on this machine (unless the function sets its own cap).
   * @default 10
   */
  readonly localConcurrencyCap?: number;
  /**
   * Idle time after which a warm environment is stopped. Lambda keeps them for minutes, not a documented time.
   * @default 300_000 (5 minutes)
   */
  readonly idleTimeoutMs?: number;
  /**
   * Folder whose packages stand in for what the Lambda runtime provides (the AWS SDK v3), searched by `require` and,
   * for ES module bundles outside the project, by `import`.
   * @default the project's node_modules, found from this module's location
   */
  readonly nodeModulesDir?: string;
}

/** Counters of one function (for the console and tests). */
export interface FunctionStats {
  readonly name: string;
  /** Environments alive (initializing, busy or idle). */
  readonly environments: number;
  readonly busy: number;
  readonly idle: number;
  /** Invocations admitted and not finished (running + waiting for an environment). */
  readonly inFlight: number;
  /** Invocations waiting for an environment because the local cap is reached. */
  readonly waiting: number;
  readonly invocations: number;
  readonly coldStarts: number;
  readonly throttles: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly crashes: number;
}

/** Throttle reasons the runtime can produce (a subset of `TooManyRequestsException.Reason`, docs/aws-semantics.md §A.1). */
export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded';

/**
 * The invocation was throttled: the function's reserved concurrency is in use. Callers map it to
 * `TooManyRequestsException` (HTTP 429) with `Reason` = {@link ThrottledError.reason}; async and polling callers retry.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export class ThrottledError extends Error {
  override readonly name = 'TooManyRequestsException';
  /** The `Reason` field of the 429 body. */
  readonly reason: ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded';
  constructor(
    /** The throttled function. */
    readonly functionName: string,
    /** Its reserved concurrency. */
    readonly reservedConcurrency: number,
  ) {
    super('Rate Exceeded.');
  }
}

/** No function of that name is registered; callers map it to `ResourceNotFoundException` (404). */
export class FunctionNotFoundError extends Error {
  override readonly name = 'ResourceNotFoundException';
  constructor(readonly functionName: string) {
    super(`Function not found: ${functionName}`);
  }
}

/** The runtime was stopped, or the function unregistered, while the invocation waited or ran. */
export class RuntimeStoppedError extends Error {
  override readonly name = 'ServiceException';
  constructor(readonly functionName: string) {
    super(`The local Lambda runtime stopped before ${functionName} could run`);
  }
}
