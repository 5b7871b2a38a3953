/**
 * Lambda's rules for the runtime, as pure functions: environment variables, log lines, runtime errors, billing.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type ErrorPayload } from './protocol';

/**
 * Largest synchronous response: 6 MiB + 100 bytes, observed in the error Lambda returns (docs/aws-semantics.md §A.2).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const RESPONSE_LIMIT_BYTES = 6_291_556;

/**
 * The Init phase may take up to 10 s; longer init fails the invocation with `Sandbox.Timedout`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
export const INIT_TIMEOUT_MS = 10_000;

/** Bytes of log returned with `LogType=Tail` ("the last 4 KB of the execution log"). */
export const LOG_TAIL_BYTES = 4096;

/**
 * Variables Lambda reserves: a function cannot set them; the runtime's values win.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export const RESERVED_VARIABLES: readonly string[] = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

/** What {@link buildEnvironment} needs. */
export interface EnvironmentInputs {
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string;
  readonly memorySizeMb: number;
  readonly region: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly codeDir: string;
  /** Stands in for `/var/runtime` (`LAMBDA_RUNTIME_DIR`). */
  readonly runtimeDir: string;
  /** Stands in for `/var/runtime/node_modules` in `NODE_PATH`. */
  readonly nodeModulesDir: string;
  /** The function's template variables. */
  readonly functionEnvironment: Readonly<Record<string, string>>;
  /** Engine variables (endpoint, credentials). */
  readonly engineEnvironment: Readonly<Record<string, string>>;
  /** The function's role credentials; they win over the engine's. */
  readonly roleCredentials?: Readonly<
    Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN', string>
  >;
  /** `PATH` to give the function (Lambda sets one; the host's lets functions run the same tools). */
  readonly path?: string;
}

/**
 * The complete `process.env` of one execution environment, and the one place it is assembled: the environment's
 * process gets exactly these variables, nothing of the host's. Precedence, lowest first: Lambda's unreserved defaults
 * (`LANG`, `TZ`, `NODE_PATH`, `PATH`), the function's variables, the engine's variables, Lambda's reserved variables.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export function buildEnvironment(inputs: EnvironmentInputs): Record<string, string> {
  const unreserved: Record<string, string> = {
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    // Lambda's bootstrap puts /var/runtime/node_modules (where the SDK lives) and /var/task on NODE_PATH.
    NODE_PATH: [inputs.nodeModulesDir, inputs.runtimeDir, inputs.codeDir].join(':'),
    ...(inputs.path === undefined ? {} : { PATH: inputs.path }),
  };
  const reserved: Record<string, string> = {
    AWS_REGION: inputs.region,
    AWS_DEFAULT_REGION: inputs.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${inputs.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: inputs.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(inputs.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: inputs.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: inputs.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: inputs.handler,
    LAMBDA_TASK_ROOT: inputs.codeDir,
    LAMBDA_RUNTIME_DIR: inputs.runtimeDir,
    // Lambda gives each function its role's session credentials; the engine's IAM issues them per function.
    AWS_ACCESS_KEY_ID:
      inputs.roleCredentials?.AWS_ACCESS_KEY_ID ??
      inputs.engineEnvironment.AWS_ACCESS_KEY_ID ??
      'ASIALOCALLAMBDAENGINE',
    AWS_SECRET_ACCESS_KEY:
      inputs.roleCredentials?.AWS_SECRET_ACCESS_KEY ??
      inputs.engineEnvironment.AWS_SECRET_ACCESS_KEY ??
      'local-lambda-engine-secret',
    AWS_SESSION_TOKEN:
      inputs.roleCredentials?.AWS_SESSION_TOKEN ??
      inputs.engineEnvironment.AWS_SESSION_TOKEN ??
      'local-lambda-engine-session',
  };
  const functionOwn = Object.fromEntries(
    Object.entries(inputs.functionEnvironment).filter(([name]) => !RESERVED_VARIABLES.includes(name)),
  );
  return { ...unreserved, ...functionOwn, ...inputs.engineEnvironment, ...reserved };
}

/**
 * A log stream name like Lambda's: `YYYY/MM/DD/[$LATEST]<32 hex>`, one per execution environment.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
 */
export function newLogStreamName(now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * The Node.js flags that cap the heap by the function's memory size, as the Node.js runtime's bootstrap sets them
 * (`new_space = mem / 10`, `semi_space = new_space / 2`, `old_space = mem - new_space`, integer division).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 */
export function heapFlags(memorySizeMb: number): string[] {
  const newSpace = Math.floor(memorySizeMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memorySizeMb - newSpace}`];
}

/** `START RequestId: <id> Version: $LATEST` */
export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST\n`;
}

/** `END RequestId: <id>` */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

/** What goes on a REPORT line. */
export interface ReportInputs {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  readonly initDurationMs?: number;
  /** Failed environments add `Status` (and `Error Type`) as Lambda does today. */
  readonly status?: 'timeout' | 'error';
  readonly errorType?: string;
}

/**
 * `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 60 MB`
 * (+ `\tInit Duration: 80.12 ms` on cold starts, + `\tStatus: timeout` / `\tStatus: error\tError Type: <type>` when
 * the environment failed).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
export function reportLine(report: ReportInputs): string {
  const parts = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${report.billedDurationMs} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
  ];
  if (report.initDurationMs !== undefined) parts.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  if (report.status !== undefined) parts.push(`Status: ${report.status}`);
  if (report.status === 'error' && report.errorType !== undefined) parts.push(`Error Type: ${report.errorType}`);
  return `${parts.join('\t')}\n`;
}

/**
 * Billed duration: rounded up to 1 ms; on a cold start the init phase is billed too (since 2025-08-01).
 * @see https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/
 */
export function billedDuration(durationMs: number, initDurationMs?: number): number {
  return Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)));
}

/** Seconds with two decimals, as in "Task timed out after 3.00 seconds". */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

/**
 * The current timeout error: `Sandbox.Timedout`, "RequestId: <id> Error: Task timed out after 3.00 seconds" — the
 * configured timeout, not the measured time (docs/aws-semantics.md §A.4, observed 2025–2026).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
 */
export function timeoutError(requestId: string, timeoutMs: number): ErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds(timeoutMs)} seconds`,
  };
}

/** The log line Lambda writes on a timeout: `<ISO time> <requestId> Task timed out after 3.00 seconds`. */
export function timeoutLogLine(requestId: string, timeoutMs: number, at: Date = new Date()): string {
  return `${at.toISOString()} ${requestId} Task timed out after ${seconds(timeoutMs)} seconds\n`;
}

/**
 * The runtime process exited: `Runtime.ExitError`, "RequestId: <id> Error: Runtime exited with error: exit status 3",
 * "... signal: killed" when a signal ended it, or "Runtime exited without providing a reason" for exit status 0.
 * @see https://repost.aws/knowledge-center/lambda-runtime-error
 */
export function exitError(requestId: string, exitCode: number | null, signal?: NodeJS.Signals | null): ErrorPayload {
  const reason = signal
    ? `Runtime exited with error: signal: ${SIGNAL_NAMES[signal] ?? signal}`
    : exitCode === 0 || exitCode === null
      ? 'Runtime exited without providing a reason'
      : `Runtime exited with error: exit status ${exitCode}`;
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

/** How Lambda's runtime API (written in Go) names the signals a runtime process dies of. */
const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGABRT: 'aborted',
  SIGKILL: 'killed',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
};

/**
 * Out of memory. Lambda reports the error type `Runtime.OutOfMemory` (REPORT `Error Type`, Telemetry API
 * `platform.report`); the message is the one Lambda gives when the sandbox is killed for memory, "RequestId: <id>
 * Error: Runtime exited with error: signal: killed" (observed; AWS does not document the payload text).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html
 */
export function outOfMemoryError(requestId: string): ErrorPayload {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  };
}

/** The line Lambda logs after a runtime failure: `RequestId: <id> Error: <reason>\n<errorType>`. */
export function runtimeFailureLogLine(error: ErrorPayload): string {
  return `${error.errorMessage}\n${error.errorType}\n`;
}

/**
 * The last 4 KB of an invocation's log, base64-encoded, for `X-Amz-Log-Result` (`LogType=Tail`).
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export function logTail(logs: string): string {
  const bytes = Buffer.from(logs, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}
