import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { EnvironmentStoppedError, ExecutionEnvironment } from './execution-environment';
import { buildEnvironment, newLogStreamName } from './lambda-rules';
import { assertSupportedRuntime, nodeBinary } from './node-runtimes';
import {
  type FunctionDefinition,
  FunctionNotFoundError,
  type FunctionStats,
  type InvokeOptions,
  type InvokeResult,
  type LambdaRuntimeOptions,
  RuntimeStoppedError,
  ThrottledError,
} from './types';

/** Default environments per function that may run at once on this machine. */
export const DEFAULT_LOCAL_CONCURRENCY_CAP = 10;
/** Default idle time before a warm environment is stopped. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** This module's folder is `<project>/local/runtime`; the SDK lives in `<project>/node_modules`. */
const PROJECT_NODE_MODULES = path.resolve(__dirname, '..', '..', 'node_modules');
/** Stands in for `/var/runtime` (`LAMBDA_RUNTIME_DIR`): where the runtime's own code is. */
const RUNTIME_DIR = path.join(__dirname, 'worker');

interface Waiter {
  readonly resolve: (environment: ExecutionEnvironment) => void;
  readonly reject: (error: Error) => void;
}

/** Mutable counters behind {@link FunctionStats}. */
interface Counters {
  invocations: number;
  coldStarts: number;
  throttles: number;
  errors: number;
  timeouts: number;
  crashes: number;
}

/** One registered function and its environments. */
class FunctionPool {
  readonly environments = new Set<ExecutionEnvironment>();
  /** Warm environments, most recently used last (reused first, so the others can go idle and be reaped). */
  readonly idle: ExecutionEnvironment[] = [];
  readonly waiters: Waiter[] = [];
  inFlight = 0;
  readonly counters: Counters = { invocations: 0, coldStarts: 0, throttles: 0, errors: 0, timeouts: 0, crashes: 0 };
  constructor(
    readonly definition: FunctionDefinition,
    readonly cap: number,
  ) {}
}

/**
 * The local engine's Lambda function runtime: execution environments as Node.js processes of each function's runtime
 * major, with Lambda's environment variables, context object, timeout, memory limit, cold and warm starts,
 * concurrency, errors and log lines.
 *
 * Callers (the Invoke API, API Gateway emulation, the async queue, the pollers) register functions from the cloud
 * assembly and call {@link LambdaRuntime.invoke}. A function failure never rejects: it resolves with
 * `functionError: 'Unhandled'` and the error payload. `invoke` rejects only with {@link ThrottledError},
 * {@link FunctionNotFoundError} or {@link RuntimeStoppedError}.
 *
 * @example
 * const runtime = new LambdaRuntime({ region: 'us-east-1', accountId: '000000000000',
 *   engineEnvironment: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' } });
 * runtime.register({ name: 'orders', arn, handler: 'index.handler', codeDir, runtime: 'nodejs24.x',
 *   timeoutSeconds: 3, memorySizeMb: 256, environment: {} });
 * const result = await runtime.invoke('orders', { payload: '{"id":1}' });
 * await runtime.stop();
 */
export class LambdaRuntime {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly region: string;
  private readonly engineEnvironment: Readonly<Record<string, string>>;
  private readonly localConcurrencyCap: number;
  private readonly idleTimeoutMs: number;
  private readonly nodeModulesDir: string;
  private readonly reaper: NodeJS.Timeout;
  private stopped = false;

  constructor(options: LambdaRuntimeOptions) {
    this.region = options.region;
    this.engineEnvironment = { ...(options.engineEnvironment ?? {}) };
    this.localConcurrencyCap = options.localConcurrencyCap ?? DEFAULT_LOCAL_CONCURRENCY_CAP;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.nodeModulesDir = options.nodeModulesDir ?? PROJECT_NODE_MODULES;
    assertInteger('localConcurrencyCap', this.localConcurrencyCap, 1, Number.MAX_SAFE_INTEGER);
    assertInteger('idleTimeoutMs', this.idleTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
    this.reaper = setInterval(() => this.reapIdle(), Math.max(10, Math.min(this.idleTimeoutMs / 2, 10_000)));
    this.reaper.unref();
  }

  /**
   * Adds a function. Its environments start lazily, on the first invocation (a cold start).
   * @throws UnsupportedRuntimeError if the engine does not run the function's runtime
   * @throws Error if the runtime's Node.js binary is not installed
   * @throws Error if the name is taken or a setting is out of Lambda's range (the message names the value).
   */
  register(definition: FunctionDefinition): void {
    if (this.stopped) throw new RuntimeStoppedError(definition.name);
    if (this.pools.has(definition.name)) throw new Error(`Function ${definition.name} is already registered`);
    validateDefinition(definition);
    const cap = definition.localConcurrencyCap ?? this.localConcurrencyCap;
    assertInteger('localConcurrencyCap', cap, 1, Number.MAX_SAFE_INTEGER);
    this.pools.set(definition.name, new FunctionPool(definition, cap));
  }

  /** Removes a function: waiting and running invocations reject with {@link RuntimeStoppedError}. */
  async unregister(name: string): Promise<void> {
    const pool = this.pools.get(name);
    if (!pool) return;
    this.pools.delete(name);
    await this.drain(pool);
  }

  /** Whether a function of that name is registered. */
  has(name: string): boolean {
    return this.pools.has(name);
  }

  /**
   * Invokes a function synchronously and answers as Lambda does (result or error payload, logs, durations).
   *
   * Concurrency: a warm idle environment is reused; otherwise a new one starts (cold) while fewer than the local cap
   * exist; otherwise the invocation waits for a free environment. Invocations in flight (running or waiting) beyond
   * the reserved concurrency are throttled.
   * @throws ThrottledError the reserved concurrency is in use
   * @throws FunctionNotFoundError no such function
   * @throws RuntimeStoppedError the runtime was stopped or the function unregistered before it answered
   * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
   */
  async invoke(name: string, options: InvokeOptions): Promise<InvokeResult> {
    if (this.stopped) throw new RuntimeStoppedError(name);
    const pool = this.pools.get(name);
    if (!pool) throw new FunctionNotFoundError(name);
    const reserved = pool.definition.reservedConcurrency;
    if (reserved !== undefined && pool.inFlight >= reserved) {
      pool.counters.throttles += 1;
      throw new ThrottledError(name, reserved);
    }
    const invocation = {
      requestId: options.requestId ?? randomUUID(),
      payload: options.payload,
      invokedFunctionArn: options.invokedFunctionArn ?? pool.definition.arn,
      clientContext: decodeClientContext(options.clientContext),
      identity: options.identity === undefined ? undefined : JSON.stringify(options.identity),
    };
    pool.inFlight += 1;
    try {
      const environment = await this.acquire(pool);
      let result: InvokeResult;
      try {
        result = await environment.invoke(invocation);
      } catch (error) {
        this.release(pool, environment);
        if (error instanceof EnvironmentStoppedError) throw new RuntimeStoppedError(name);
        throw error;
      }
      this.release(pool, environment);
      count(pool.counters, result);
      return result;
    } finally {
      pool.inFlight -= 1;
    }
  }

  /** Counters of one function, or of every function. */
  stats(name: string): FunctionStats | undefined;
  stats(): FunctionStats[];
  stats(name?: string): FunctionStats | FunctionStats[] | undefined {
    if (name !== undefined) {
      const pool = this.pools.get(name);
      return pool ? statsOf(pool) : undefined;
    }
    return [...this.pools.values()].map(statsOf);
  }

  /** Stops every environment and rejects what is waiting or running; the runtime takes no more invocations. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reaper);
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => this.drain(pool)));
  }

  private acquire(pool: FunctionPool): Promise<ExecutionEnvironment> {
    for (let warm = pool.idle.pop(); warm; warm = pool.idle.pop()) {
      // A warm environment may have died while idle (a stray timer threw); it is simply forgotten.
      if (warm.phase === 'idle') return Promise.resolve(warm);
      pool.environments.delete(warm);
    }
    if (pool.environments.size < pool.cap) return Promise.resolve(this.startEnvironment(pool));
    return new Promise((resolve, reject) => pool.waiters.push({ resolve, reject }));
  }

  private release(pool: FunctionPool, environment: ExecutionEnvironment): void {
    const alive = environment.phase === 'idle';
    if (!alive) pool.environments.delete(environment);
    if (!this.pools.has(pool.definition.name)) return;
    const waiter = pool.waiters.shift();
    if (waiter) {
      waiter.resolve(alive ? environment : this.startEnvironment(pool));
    } else if (alive) {
      pool.idle.push(environment);
    }
  }

  private startEnvironment(pool: FunctionPool): ExecutionEnvironment {
    const definition = pool.definition;
    const logStreamName = newLogStreamName();
    const variables = buildEnvironment({
      functionName: definition.name,
      handler: definition.handler,
      runtime: definition.runtime,
      memorySizeMb: definition.memorySizeMb,
      region: this.region,
      logGroupName: definition.logGroupName ?? `/aws/lambda/${definition.name}`,
      logStreamName,
      codeDir: definition.codeDir,
      runtimeDir: RUNTIME_DIR,
      nodeModulesDir: this.nodeModulesDir,
      functionEnvironment: definition.environment,
      engineEnvironment: this.engineEnvironment,
      roleCredentials: definition.roleCredentials,
      path: process.env.PATH,
    });
    const environment = new ExecutionEnvironment({
      definition,
      variables,
      logStreamName,
      nodeModulesDir: this.nodeModulesDir,
    });
    pool.environments.add(environment);
    pool.counters.coldStarts += 1;
    return environment;
  }

  private reapIdle(): void {
    const cutoff = Date.now() - this.idleTimeoutMs;
    for (const pool of this.pools.values()) {
      for (const environment of pool.idle.filter((env) => env.lastUsedAt <= cutoff || env.phase !== 'idle')) {
        pool.idle.splice(pool.idle.indexOf(environment), 1);
        pool.environments.delete(environment);
        void environment.terminate();
      }
    }
  }

  private async drain(pool: FunctionPool): Promise<void> {
    for (const waiter of pool.waiters.splice(0)) waiter.reject(new RuntimeStoppedError(pool.definition.name));
    const environments = [...pool.environments];
    pool.environments.clear();
    pool.idle.length = 0;
    await Promise.all(environments.map((environment) => environment.terminate()));
  }
}

function count(counters: Counters, result: InvokeResult): void {
  counters.invocations += 1;
  if (result.outcome === 'error') counters.errors += 1;
  else if (result.outcome === 'timeout') counters.timeouts += 1;
  else if (result.outcome === 'crash') counters.crashes += 1;
}

function statsOf(pool: FunctionPool): FunctionStats {
  let busy = 0;
  for (const environment of pool.environments) if (environment.phase === 'busy') busy += 1;
  return {
    name: pool.definition.name,
    environments: pool.environments.size,
    busy,
    idle: pool.idle.length,
    inFlight: pool.inFlight,
    waiting: pool.waiters.length,
    ...pool.counters,
  };
}

/** `X-Amz-Client-Context` is base64 of JSON; the runtime hands the function the decoded JSON. */
function decodeClientContext(base64: string | undefined): string | undefined {
  return base64 === undefined ? undefined : Buffer.from(base64, 'base64').toString('utf8');
}

function assertInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer ${min}-${max} (given ${value})`);
  }
}

/**
 * Rejects settings Lambda would reject, with the given value in the message.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
 */
function validateDefinition(definition: FunctionDefinition): void {
  const where = `function ${definition.name}`;
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(definition.name)) {
    throw new Error(`name must be 1-64 letters, digits, - or _ (given ${JSON.stringify(definition.name)})`);
  }
  assertInteger(`${where}: timeoutSeconds`, definition.timeoutSeconds, 1, 900);
  assertInteger(`${where}: memorySizeMb`, definition.memorySizeMb, 128, 10_240);
  if (definition.reservedConcurrency !== undefined) {
    assertInteger(`${where}: reservedConcurrency`, definition.reservedConcurrency, 0, Number.MAX_SAFE_INTEGER);
  }
  if (!path.isAbsolute(definition.codeDir)) {
    throw new Error(`${where}: codeDir must be an absolute path (given ${definition.codeDir})`);
  }
  if (definition.handler.length === 0) throw new Error(`${where}: handler must not be empty`);
  assertSupportedRuntime(definition.name, definition.runtime);
  // Found now, so a missing binary fails the deploy rather than the first invocation.
  nodeBinary(definition.runtime);
}
