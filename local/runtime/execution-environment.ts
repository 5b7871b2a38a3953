import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  billedDuration,
  endLine,
  exitError,
  heapLimits,
  INIT_TIMEOUT_MS,
  outOfMemoryError,
  reportLine,
  runtimeFailureLogLine,
  startLine,
  timeoutError,
  timeoutLogLine,
} from './lambda-rules';
import { type ErrorPayload, type InvokeMessage, type WorkerData, type WorkerMessage } from './protocol';
import { type FunctionDefinition, type InvokeOutcome, type InvokeResult } from './types';

/** The worker every environment runs (plain JavaScript, see the file's header). */
const BOOTSTRAP_FILE = path.join(__dirname, 'worker', 'bootstrap.cjs');
const MIB = 1024 * 1024;

/** What an environment is doing. `dead` environments are never reused. */
export type EnvironmentPhase = 'initializing' | 'idle' | 'busy' | 'dead';

/** Everything needed to start one environment. */
export interface EnvironmentSpec {
  readonly definition: FunctionDefinition;
  /** The environment's complete `process.env`. */
  readonly variables: Readonly<Record<string, string>>;
  /** Also the environment's id. */
  readonly logStreamName: string;
  readonly nodeModulesDir: string;
}

/** One invocation as the environment receives it (the runtime has filled the defaults). */
export interface EnvironmentInvocation {
  readonly requestId: string;
  readonly payload: string;
  readonly invokedFunctionArn: string;
  /** JSON text. */
  readonly clientContext?: string;
  /** JSON text. */
  readonly identity?: string;
}

/** A reason the environment can no longer serve, as a function of the request id the error message names. */
interface Failure {
  readonly outcome: 'crash' | 'timeout';
  readonly error: (requestId: string) => ErrorPayload;
  /** The line Lambda itself logs for this failure (timeout, runtime exit), if any. */
  readonly logLine?: (requestId: string, error: ErrorPayload) => string;
}

type InitState =
  | { readonly ok: true; readonly initDurationMs: number }
  | { readonly ok: false; readonly initDurationMs: number; readonly failure: Failure }
  | { readonly ok: false; readonly stopped: true };

type Settlement =
  | { readonly kind: 'result'; readonly payload: string; readonly memoryBytes: number; readonly at: number }
  | { readonly kind: 'error'; readonly error: ErrorPayload; readonly memoryBytes: number; readonly at: number }
  | { readonly kind: 'failure'; readonly failure: Failure; readonly at: number }
  | { readonly kind: 'stopped' };

interface Pending {
  readonly requestId: string;
  readonly logs: string[];
  readonly settle: (settlement: Settlement) => void;
}

/** Thrown by {@link ExecutionEnvironment.invoke} when the host stopped the environment (stop, unregister, reap). */
export class EnvironmentStoppedError extends Error {
  constructor() {
    super('The execution environment was stopped by the host');
  }
}

/**
 * One Lambda execution environment: a worker thread with its own module state and `process.env`, the function's
 * memory as its heap limit, and one invocation at a time. Any failure (timeout, exit, out of memory, uncaught error,
 * failed init) leaves it `dead`; the runtime then replaces it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
export class ExecutionEnvironment {
  /** The environment's id: its log stream name. */
  readonly id: string;
  /** Epoch ms of the last time an invocation finished here (for idle reaping). */
  lastUsedAt = Date.now();

  private readonly worker: Worker;
  private readonly definition: FunctionDefinition;
  private currentPhase: EnvironmentPhase = 'initializing';
  private init?: InitState;
  private initWaiters: Array<(state: InitState) => void> = [];
  private readonly initTimer: NodeJS.Timeout;
  private readonly startedAt = performance.now();
  private pending?: Pending;
  /** Output written while no invocation runs (init, stray timers): it opens the next invocation's log, as on Lambda. */
  private unattributedLogs: string[] = [];
  private fatal?: ErrorPayload;
  private outOfMemory = false;
  /** Set when the host ends the worker, so its exit is not reported as a crash. */
  private hostTerminated = false;
  private readonly exited: Promise<void>;
  private invocationCount = 0;
  private peakMemoryBytes = 0;

  constructor(spec: EnvironmentSpec) {
    this.id = spec.logStreamName;
    this.definition = spec.definition;
    const workerData: WorkerData = {
      taskRoot: spec.definition.codeDir,
      handler: spec.definition.handler,
      runtime: spec.definition.runtime,
      nodeModulesDir: spec.nodeModulesDir,
    };
    this.worker = new Worker(BOOTSTRAP_FILE, {
      workerData,
      env: { ...spec.variables },
      // Never inherit the host's flags (e.g. `--import tsx`): the function must load as it does on Lambda.
      execArgv: sourceMapFlag(spec.variables.NODE_OPTIONS),
      resourceLimits: heapLimits(spec.definition.memorySizeMb),
      // Output is captured inside the worker; these only keep stray native writes off the host's terminal.
      stdout: true,
      stderr: true,
      name: `${spec.definition.name} ${spec.logStreamName}`,
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    // An idle environment must not keep the engine alive; running invocations hold their own timers.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error: Error) => this.onError(error));
    this.worker.on('exit', (code: number) => this.onExit(code));
    this.initTimer = setTimeout(() => this.onInitTimeout(), INIT_TIMEOUT_MS);
  }

  /** What the environment is doing now. */
  get phase(): EnvironmentPhase {
    return this.currentPhase;
  }

  /**
   * Runs one invocation (waiting for init first on a cold start) and answers as Lambda does. Never rejects for a
   * function failure; rejects with {@link EnvironmentStoppedError} only if the host stops the environment meanwhile.
   */
  async invoke(invocation: EnvironmentInvocation): Promise<InvokeResult> {
    if (this.currentPhase === 'busy' || this.currentPhase === 'dead') {
      throw new Error(`Environment ${this.id} cannot take an invocation while ${this.currentPhase}`);
    }
    const coldStart = this.invocationCount === 0;
    this.invocationCount += 1;
    this.currentPhase = 'busy';
    const { requestId } = invocation;
    const leading = this.unattributedLogs.join('');
    this.unattributedLogs = [];

    const init = await this.waitForInit();
    if ('stopped' in init) throw new EnvironmentStoppedError();
    // Output written during init belongs before START, where Lambda prints it.
    const initLogs = this.unattributedLogs.join('');
    this.unattributedLogs = [];
    const initDurationMs = coldStart ? init.initDurationMs : undefined;
    const startedAt = Date.now();
    const t0 = performance.now();

    if (!init.ok) {
      return this.answer({
        requestId,
        coldStart,
        startedAt,
        durationMs: performance.now() - t0,
        initDurationMs,
        before: leading + initLogs,
        during: '',
        settlement: { kind: 'failure', failure: init.failure, at: performance.now() },
      });
    }

    const timeoutMs = this.definition.timeoutSeconds * 1000;
    const logs: string[] = [];
    const settlement = await new Promise<Settlement>((resolve) => {
      const timer = setTimeout(() => this.onTimeout(), timeoutMs);
      this.pending = {
        requestId,
        logs,
        settle: (value) => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve(value);
        },
      };
      const message: InvokeMessage = {
        type: 'invoke',
        requestId,
        payload: invocation.payload,
        deadlineMs: startedAt + timeoutMs,
        invokedFunctionArn: invocation.invokedFunctionArn,
        clientContext: invocation.clientContext,
        identity: invocation.identity,
      };
      this.worker.postMessage(message);
    });
    if (settlement.kind === 'stopped') throw new EnvironmentStoppedError();
    if (settlement.kind === 'failure') {
      // The result goes out only once the worker has really stopped (a timed-out handler must not run on).
      await this.exited;
    } else {
      this.currentPhase = 'idle';
      this.lastUsedAt = Date.now();
    }
    return this.answer({
      requestId,
      coldStart,
      startedAt,
      // A timed-out invocation lasted its whole timeout, as Lambda reports it; the host timer may fire
      // a fraction of a millisecond early by the performance clock.
      durationMs:
        settlement.kind === 'failure' && settlement.failure.outcome === 'timeout'
          ? Math.max(settlement.at - t0, timeoutMs)
          : settlement.at - t0,
      initDurationMs,
      before: leading + initLogs,
      during: logs.join(''),
      settlement,
    });
  }

  /** Stops the worker (idempotent). A running invocation rejects with {@link EnvironmentStoppedError}. */
  async terminate(): Promise<void> {
    if (this.currentPhase !== 'dead') {
      this.hostTerminated = true;
      this.currentPhase = 'dead';
      this.resolveInit({ ok: false, stopped: true });
      this.pending?.settle({ kind: 'stopped' });
      await this.worker.terminate();
    }
    await this.exited;
  }

  private answer(input: {
    requestId: string;
    coldStart: boolean;
    startedAt: number;
    durationMs: number;
    initDurationMs?: number;
    before: string;
    during: string;
    settlement: Exclude<Settlement, { kind: 'stopped' }>;
  }): InvokeResult {
    const { requestId, settlement } = input;
    if ('memoryBytes' in settlement) this.peakMemoryBytes = Math.max(this.peakMemoryBytes, settlement.memoryBytes);
    const memorySizeMb = this.definition.memorySizeMb;
    const maxMemoryUsedMb = Math.min(memorySizeMb, Math.max(1, Math.ceil(this.peakMemoryBytes / MIB)));
    const durationMs = Math.max(0, input.durationMs);
    const billedDurationMs = billedDuration(durationMs, input.initDurationMs);

    let outcome: InvokeOutcome;
    let payload: string;
    let error: ErrorPayload | undefined;
    let failureLines = '';
    if (settlement.kind === 'result') {
      outcome = 'success';
      payload = settlement.payload;
    } else if (settlement.kind === 'error') {
      outcome = 'error';
      error = settlement.error;
      payload = JSON.stringify(error);
    } else {
      outcome = settlement.failure.outcome;
      error = settlement.failure.error(requestId);
      payload = JSON.stringify(error);
      failureLines = settlement.failure.logLine?.(requestId, error) ?? '';
    }
    const report = reportLine({
      requestId,
      durationMs,
      billedDurationMs,
      memorySizeMb,
      maxMemoryUsedMb,
      initDurationMs: input.initDurationMs,
      status: outcome === 'timeout' ? 'timeout' : outcome === 'crash' ? 'error' : undefined,
      errorType: error?.errorType,
    });
    const logs = `${input.before}${startLine(requestId)}${input.during}${failureLines}${endLine(requestId)}${report}`;
    return {
      requestId,
      payload,
      ...(error === undefined ? {} : { functionError: 'Unhandled' as const, error }),
      outcome,
      logs,
      startedAt: input.startedAt,
      durationMs,
      billedDurationMs,
      ...(input.initDurationMs === undefined ? {} : { initDurationMs: input.initDurationMs }),
      coldStart: input.coldStart,
      environmentId: this.id,
      maxMemoryUsedMb,
    };
  }

  private waitForInit(): Promise<InitState> {
    if (this.init) return Promise.resolve(this.init);
    return new Promise((resolve) => this.initWaiters.push(resolve));
  }

  private resolveInit(state: InitState): void {
    if (this.init) return;
    this.init = state;
    clearTimeout(this.initTimer);
    if (state.ok && this.currentPhase === 'initializing') this.currentPhase = 'idle';
    for (const waiter of this.initWaiters.splice(0)) waiter(state);
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'log':
        (this.pending?.logs ?? this.unattributedLogs).push(message.text);
        return;
      case 'ready':
        this.peakMemoryBytes = Math.max(this.peakMemoryBytes, message.memoryBytes);
        // Measured from the host so the worker's own start-up counts, as the runtime's start does on Lambda.
        this.resolveInit({ ok: true, initDurationMs: performance.now() - this.startedAt });
        return;
      case 'initError':
        // Lambda throws such an environment away and tries a fresh init on the next invocation.
        this.die({ outcome: 'crash', error: () => message.error });
        return;
      case 'result':
        if (this.pending?.requestId === message.requestId) {
          this.pending.settle({
            kind: 'result',
            payload: message.payload,
            memoryBytes: message.memoryBytes,
            at: performance.now(),
          });
        }
        return;
      case 'error':
        if (this.pending?.requestId === message.requestId) {
          this.pending.settle({
            kind: 'error',
            error: message.error,
            memoryBytes: message.memoryBytes,
            at: performance.now(),
          });
        }
        return;
      case 'fatal':
        this.fatal = message.error;
        return;
    }
  }

  private onError(error: Error): void {
    // The host must survive whatever the function does: a worker 'error' is recorded, never rethrown.
    if (Reflect.get(error, 'code') === 'ERR_WORKER_OUT_OF_MEMORY') {
      this.outOfMemory = true;
      // The heap hit the function's memory size, which is what Lambda's REPORT shows for such a run.
      this.peakMemoryBytes = this.definition.memorySizeMb * MIB;
    } else
      this.fatal ??= { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }

  private onExit(code: number): void {
    if (this.hostTerminated) return;
    const fatal = this.fatal;
    if (fatal && !this.outOfMemory) {
      this.markDead({ outcome: 'crash', error: () => fatal });
    } else {
      const error = this.outOfMemory ? outOfMemoryError : (requestId: string) => exitError(requestId, code);
      this.markDead({ outcome: 'crash', error, logLine: (_requestId, payload) => runtimeFailureLogLine(payload) });
    }
  }

  private onInitTimeout(): void {
    this.die({
      outcome: 'timeout',
      error: (requestId) => timeoutError(requestId, INIT_TIMEOUT_MS),
      logLine: (requestId) => timeoutLogLine(requestId, INIT_TIMEOUT_MS),
    });
  }

  private onTimeout(): void {
    const timeoutMs = this.definition.timeoutSeconds * 1000;
    this.die({
      outcome: 'timeout',
      error: (requestId) => timeoutError(requestId, timeoutMs),
      logLine: (requestId) => timeoutLogLine(requestId, timeoutMs),
    });
  }

  /** The environment failed: answer whoever waits with `failure`, then stop the worker. */
  private die(failure: Failure): void {
    if (this.currentPhase === 'dead') return;
    this.hostTerminated = true;
    this.markDead(failure);
    void this.worker.terminate();
  }

  private markDead(failure: Failure): void {
    this.currentPhase = 'dead';
    this.resolveInit({ ok: false, initDurationMs: performance.now() - this.startedAt, failure });
    this.pending?.settle({ kind: 'failure', failure, at: performance.now() });
  }
}

/**
 * `--enable-source-maps` from the function's NODE_OPTIONS (CDK sets it with `sourceMap: true`). Workers ignore
 * NODE_OPTIONS, so the one flag that changes what a function's stack traces say is passed as a worker flag.
 */
function sourceMapFlag(nodeOptions: string | undefined): string[] {
  return nodeOptions?.split(/\s+/).includes('--enable-source-maps') ? ['--enable-source-maps'] : [];
}
