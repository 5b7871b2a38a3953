import { type ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';
import path from 'node:path';
import {
  billedDuration,
  endLine,
  exitError,
  heapFlags,
  INIT_TIMEOUT_MS,
  outOfMemoryError,
  reportLine,
  runtimeFailureLogLine,
  startLine,
  timeoutError,
  timeoutLogLine,
} from './lambda-rules';
import { nodeBinary } from './node-runtimes';
import { type EnvironmentMessage, type ErrorPayload, type InvokeMessage } from './protocol';
import { type FunctionDefinition, type InvokeOutcome, type InvokeResult } from './types';

/** The program every environment's process runs (plain JavaScript, see the file's header). */
const BOOTSTRAP_FILE = path.join(__dirname, 'worker', 'bootstrap.cjs');
const MIB = 1024 * 1024;
/** What V8 prints when the heap reaches its limit, just before the process aborts. */
const HEAP_OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;
/** How long to wait for an exited process's output pipes to close (a child of the function could hold them open). */
const PIPE_CLOSE_GRACE_MS = 200;
/** Output kept from the pipes for the out-of-memory check; V8's fatal message is short. */
const STDERR_TAIL_CHARS = 4096;

/** What an environment is doing. `dead` environments are never reused. */
export type EnvironmentPhase = 'initializing' | 'idle' | 'busy' | 'dead';

/** Everything needed to start one environment. */
export interface EnvironmentSpec {
  readonly definition: FunctionDefinition;
  /** The environment's complete `process.env` (nothing of the host's is added). */
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
 * One Lambda execution environment: a Node.js process of the function's runtime major (`nodejs24.x` runs on Node.js
 * 24), started in the function's code folder with exactly the environment's variables, its heap capped by the
 * function's memory size as Lambda's bootstrap does, and one invocation at a time. Any failure (timeout, exit, out of
 * memory, uncaught error, failed init) leaves it `dead` and its process killed; the runtime then replaces it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
export class ExecutionEnvironment {
  /** The environment's id: its log stream name. */
  readonly id: string;
  /** Epoch ms of the last time an invocation finished here (for idle reaping). */
  lastUsedAt = Date.now();

  private readonly process: ChildProcess;
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
  /** The end of what the process wrote to its stderr pipe (not through `console`/`process.stderr`), for V8's OOM text. */
  private stderrTail = '';
  /** Set when the host ends the process, so its exit is not reported as a crash. */
  private hostTerminated = false;
  private readonly exited: Promise<void>;
  private invocationCount = 0;
  private peakMemoryBytes = 0;

  constructor(spec: EnvironmentSpec) {
    this.id = spec.logStreamName;
    this.definition = spec.definition;
    // Lambda starts the runtime in the code folder (`/var/task`) with only the environment's variables; the host's
    // flags (e.g. `--import tsx`) and variables never reach the function. The function's NODE_OPTIONS apply as on
    // Lambda, because Node.js itself reads them.
    this.process = spawn(
      nodeBinary(spec.definition.runtime),
      [...heapFlags(spec.definition.memorySizeMb), BOOTSTRAP_FILE, spec.nodeModulesDir],
      {
        cwd: spec.definition.codeDir,
        env: { ...spec.variables },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        windowsHide: true,
      },
    );
    this.process.on('error', (error: Error) => this.onError(error));
    this.exited = this.whenExited();
    this.process.on('message', (message: EnvironmentMessage) => this.onMessage(message));
    // Console output comes over the IPC channel; the pipes carry what bypasses it (native writes, V8's fatal errors).
    this.process.stdout?.on('data', (chunk: Buffer) => this.onStrayOutput(chunk.toString()));
    this.process.stderr?.on('data', (chunk: Buffer) => this.onStrayOutput(chunk.toString(), true));
    // An idle environment must not keep the engine alive; running invocations hold their own timers.
    this.process.unref();
    this.process.channel?.unref();
    for (const pipe of [this.process.stdout, this.process.stderr]) if (pipe instanceof Socket) pipe.unref();
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
      this.process.send(message);
    });
    if (settlement.kind === 'stopped') throw new EnvironmentStoppedError();
    if (settlement.kind === 'failure') {
      // The result goes out only once the process has really stopped (a timed-out handler must not run on).
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

  /** Stops the process (idempotent). A running invocation rejects with {@link EnvironmentStoppedError}. */
  async terminate(): Promise<void> {
    if (this.currentPhase !== 'dead') {
      this.hostTerminated = true;
      this.currentPhase = 'dead';
      this.resolveInit({ ok: false, stopped: true });
      this.pending?.settle({ kind: 'stopped' });
      this.kill();
    }
    await this.exited;
  }

  /** The process's id, for tools that measure it (e.g. the benchmarks' memory figures). */
  get pid(): number | undefined {
    return this.process.pid;
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

  private onMessage(message: EnvironmentMessage): void {
    switch (message.type) {
      case 'log':
        (this.pending?.logs ?? this.unattributedLogs).push(message.text);
        return;
      case 'ready':
        this.peakMemoryBytes = Math.max(this.peakMemoryBytes, message.memoryBytes);
        // Measured from the host so the process's own start-up counts, as the runtime's start does on Lambda.
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
    // The host must survive whatever the function does: a process 'error' (it could not start, or a message could
    // not be sent to it) is recorded, never rethrown.
    this.fatal ??= { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }

  private onStrayOutput(text: string, stderr = false): void {
    (this.pending?.logs ?? this.unattributedLogs).push(text);
    if (stderr) this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
  }

  /** Resolves once the process has exited and its pipes have delivered what it wrote last (or after a short grace). */
  private whenExited(): Promise<void> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (settled) return;
        settled = true;
        this.onExit(code, signal);
        resolve();
      };
      this.process.once('close', settle);
      this.process.once('exit', (code, signal) => {
        setTimeout(() => settle(code, signal), PIPE_CLOSE_GRACE_MS).unref();
      });
      // A process that never started emits no 'exit'.
      this.process.once('error', () => {
        if (this.process.pid === undefined) settle(null, null);
      });
    });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.hostTerminated) return;
    const fatal = this.fatal;
    const outOfMemory = HEAP_OUT_OF_MEMORY.test(this.stderrTail);
    if (outOfMemory) {
      // The heap hit the function's memory size, which is what Lambda's REPORT shows for such a run.
      this.peakMemoryBytes = this.definition.memorySizeMb * MIB;
    }
    if (fatal && !outOfMemory) {
      this.markDead({ outcome: 'crash', error: () => fatal });
    } else {
      const error = outOfMemory ? outOfMemoryError : (requestId: string) => exitError(requestId, code, signal);
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

  /** The environment failed: answer whoever waits with `failure`, then stop the process. */
  private die(failure: Failure): void {
    if (this.currentPhase === 'dead') return;
    this.hostTerminated = true;
    this.markDead(failure);
    this.kill();
  }

  /** Ends the process at once, as Lambda ends a sandbox: no handler code runs after this. */
  private kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      // Whoever waits for the exit must keep the host running until it comes.
      this.process.ref();
      this.process.kill('SIGKILL');
    }
  }

  private markDead(failure: Failure): void {
    this.currentPhase = 'dead';
    this.resolveInit({ ok: false, initDurationMs: performance.now() - this.startedAt, failure });
    this.pending?.settle({ kind: 'failure', failure, at: performance.now() });
  }
}
