// @ts-check
'use strict';
/**
 * The inside of one Lambda execution environment: the program each environment's Node.js process runs, on the
 * Node.js major of the function's runtime (`node bootstrap.cjs <node_modules dir>`, with an IPC channel to the host).
 *
 * It plays the part of the Node.js runtime interface client (RIC): it reads `_HANDLER` and `LAMBDA_TASK_ROOT` from
 * the environment, loads the handler the way the RIC does, builds the context object, formats console output and
 * errors like the RIC, and answers each invoke message.
 *
 * This file is plain JavaScript on purpose: it runs on the runtime's own Node.js, without jest's swc transform or tsx,
 * and loading a TypeScript loader in every environment would cost start-up time and change how the function's own
 * bundle is loaded. The message shapes are declared in `../protocol.ts`; keep both in step. Type-check this file with
 * `npx tsc --noEmit --ignoreConfig --allowJs --checkJs --strict --module nodenext --moduleResolution nodenext
 * --target es2022 --lib es2022 --types node --skipLibCheck local/runtime/worker/*.cjs local/runtime/worker/*.mjs`.
 *
 * @see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client (src/function, src/logging, src/utils)
 */

const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { format } = require('node:util');
const { pathToFileURL } = require('node:url');

if (!process.send) throw new Error('bootstrap.cjs must run as a child process with an IPC channel');
const send = process.send.bind(process);
// A Lambda function has no IPC channel: libraries that look for `process.send` must not find one.
Reflect.deleteProperty(process, 'send');

/**
 * Messages go out in order on one channel, so a log line always reaches the host before the result that follows it.
 * @param {import('../protocol').EnvironmentMessage} message
 * @param {() => void} [sent]
 */
function post(message, sent) {
  send(message, undefined, undefined, sent);
}

/**
 * Ends the environment once the message has left, so the host learns why.
 * @param {import('../protocol').EnvironmentMessage} message
 * @param {number} code
 */
function postAndExit(message, code) {
  post(message, () => process.exit(code));
}

// The host went away (engine stopped or killed): nothing can invoke this environment any more.
process.on('disconnect', () => process.exit(0));

/** What the RIC reads at start: the handler and code folder from the environment (`_HANDLER`, `LAMBDA_TASK_ROOT`). */
const config = {
  taskRoot: process.env.LAMBDA_TASK_ROOT ?? process.cwd(),
  handler: process.env._HANDLER ?? '',
  runtime: (process.env.AWS_EXECUTION_ENV ?? '').replace(/^AWS_Lambda_/, ''),
  /** The project's node_modules, where the AWS SDK the Lambda runtime would provide is found. */
  nodeModulesDir: process.argv[2] ?? '',
};

/** Limits and texts copied from the runtime (see lambda-rules.ts for the sources). */
const RESPONSE_LIMIT_BYTES = 6291556;
const CALLBACK_ERROR_NODEJS24_ABOVE =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
/** Runtimes on which the RIC still accepts `(event, context, callback)` handlers (on-demand). */
const CALLBACK_RUNTIMES = new Set(['nodejs16.x', 'nodejs18.x', 'nodejs20.x', 'nodejs22.x']);

/** The request id console lines carry; the RIC prints `undefined` during init, and so do we. */
/** @type {string | undefined} */
let currentRequestId;

// ---------------------------------------------------------------------------------------------------------------
// Output capture. Every write goes to the host at once over the IPC channel, so it is attributed to the running
// invocation and arrives before that invocation's result (one channel keeps order), and survives a timeout or a crash.

/** @param {string} text */
function emit(text) {
  post({ type: 'log', text });
}

/**
 * @param {unknown} chunk
 * @returns {string}
 */
function chunkToString(chunk) {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString();
  return String(chunk);
}

/** @param {NodeJS.WriteStream} stream */
function captureStream(stream) {
  /** @type {(chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => boolean} */
  const write = (chunk, encodingOrCallback, callback) => {
    emit(chunkToString(chunk));
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof done === 'function') process.nextTick(() => done(null));
    return true;
  };
  // Powertools' logger and other libraries build their own Console on process.stdout; Console looks `write` up on
  // every call, so replacing it here catches them too.
  Object.defineProperty(stream, 'write', { value: write, writable: true, configurable: true });
}
captureStream(process.stdout);
captureStream(process.stderr);

/**
 * The RIC's text format: `<ISO time>\t<request id>\t<LEVEL>\t<util.format(...)>`.
 * @param {string} level
 * @param {unknown[]} args
 */
function logLine(level, args) {
  const [message, ...params] = args;
  emit(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(message, ...params)}\n`);
}

/** @type {Record<string, string>} */
const CONSOLE_LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
  Object.defineProperty(console, method, {
    value: (/** @type {unknown[]} */ ...args) => logLine(level, args),
    writable: true,
    configurable: true,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Errors, shaped like the RIC's formatError (src/utils/error.ts).

/**
 * @param {string} name
 * @param {string} message
 * @param {string} [stack]
 * @returns {Error}
 */
function runtimeError(name, message, stack) {
  const error = new Error(message);
  error.name = name;
  error.stack = stack ?? `${name}: ${message}`;
  return error;
}

/**
 * @param {unknown} error
 * @returns {import('../protocol').ErrorPayload}
 */
function formatError(error) {
  try {
    if (error instanceof Error) {
      return {
        errorType: String(error.name).replaceAll('\x7F', '%7F'),
        errorMessage: String(error.message).replaceAll('\x7F', '%7F'),
        trace: typeof error.stack === 'string' ? error.stack.replaceAll('\x7F', '%7F').split('\n') : [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/**
 * The RIC logs every failure as `<time>\t<id>\tERROR\t<title> \t<JSON>` (src/utils/error.ts toFormatted).
 * @param {string} title
 * @param {unknown} error
 */
function logError(title, error) {
  let body;
  try {
    body = JSON.stringify(error, (_key, value) => {
      if (value instanceof Error) {
        /** @type {Record<string, unknown>} */
        const copy = { errorType: value.name, errorMessage: value.message, code: Reflect.get(value, 'code') };
        Object.assign(copy, value);
        if (typeof value.stack === 'string') copy.stack = value.stack.split('\n');
        return copy;
      }
      return value;
    });
  } catch {
    body = JSON.stringify(formatError(error));
  }
  logLine('ERROR', [`${title} \t${body}`]);
}

// ---------------------------------------------------------------------------------------------------------------
// Handler loading, as the RIC does it (src/function/user-function-loader.ts, module-loader.ts, handler-resolver.ts).

/**
 * @param {string} handlerString
 * @returns {{ moduleRoot: string, moduleName: string, handlerName: string }}
 */
function parseHandlerString(handlerString) {
  if (handlerString.includes('..')) {
    throw runtimeError(
      'Runtime.MalformedHandlerName',
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(handlerString);
  const moduleRoot = handlerString.substring(0, handlerString.indexOf(base)).replace(/\/$/, '');
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match || match[1] === undefined || match[2] === undefined) {
    throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
  }
  return { moduleRoot, moduleName: match[1], handlerName: match[2] };
}

/**
 * Whether a file is loaded as an ES module: `.mjs`, or `.js` under a package.json with `"type": "module"`.
 * @param {string} file
 */
function isEsmFile(file) {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * Bare specifiers in an ES module ignore NODE_PATH, so an ES module bundle outside the project could not import the
 * AWS SDK that the Lambda runtime provides. A resolve hook retries such imports from the project's node_modules; it
 * is registered only when needed because the hook thread costs ~50 ms of start-up.
 * @param {string} file
 */
function enableSdkResolutionForEsm(file) {
  const projectRoot = path.dirname(config.nodeModulesDir) + path.sep;
  if (file.startsWith(projectRoot) || !isEsmFile(file)) return;
  require('node:module').register(pathToFileURL(path.join(__dirname, 'esm-resolve-hook.mjs')), {
    data: { fallbackParentURL: pathToFileURL(config.nodeModulesDir + path.sep).href },
  });
}

/**
 * @param {unknown} error
 * @returns {never}
 */
function rethrowLoadError(error) {
  if (error instanceof SyntaxError) {
    throw runtimeError('Runtime.UserCodeSyntaxError', String(error), error.stack);
  }
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  // The RIC maps CommonJS' MODULE_NOT_FOUND; the ES module loader says ERR_MODULE_NOT_FOUND for the same case.
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    throw runtimeError('Runtime.ImportModuleError', String(error));
  }
  throw error;
}

/**
 * @param {string} appRoot
 * @param {string} moduleRoot
 * @param {string} moduleName
 * @returns {Promise<unknown>}
 */
async function loadModule(appRoot, moduleRoot, moduleName) {
  const withoutExtension = path.resolve(appRoot, moduleRoot, moduleName);
  try {
    for (const extension of ['', '.js', '.mjs', '.cjs']) {
      const file = `${withoutExtension}${extension}`;
      if (existsSync(file)) {
        enableSdkResolutionForEsm(file);
        return await import(pathToFileURL(file).href);
      }
    }
    const resolved = require.resolve(moduleName, { paths: [appRoot, path.join(appRoot, moduleRoot)] });
    return require(resolved);
  } catch (error) {
    return rethrowLoadError(error);
  }
}

/**
 * @param {string} handlerName
 * @param {unknown} module
 * @returns {unknown}
 */
function findIn(handlerName, module) {
  return handlerName
    .split('.')
    .reduce(
      (/** @type {unknown} */ nested, key) =>
        nested !== null && typeof nested === 'object' ? Reflect.get(nested, key) : undefined,
      module,
    );
}

/**
 * @typedef {(event: unknown, context: object, callback?: (error?: unknown, result?: unknown) => void) => unknown} Handler
 */

/**
 * @param {string} appRoot
 * @param {string} handlerString
 * @returns {Promise<Handler>}
 */
async function loadHandler(appRoot, handlerString) {
  const { moduleRoot, moduleName, handlerName } = parseHandlerString(handlerString);
  const module = await loadModule(appRoot, moduleRoot, moduleName);
  let handler = findIn(handlerName, module);
  if (!handler && module !== null && typeof module === 'object' && 'default' in module) {
    handler = findIn(handlerName, module.default);
  }
  if (!handler) throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function')
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  // Node.js 24 dropped callback handlers (RIC src/function/callback-deprecation.ts); older runtimes still run them.
  if (handler.length >= 3 && !CALLBACK_RUNTIMES.has(config.runtime)) {
    throw runtimeError('Runtime.CallbackHandlerDeprecated', CALLBACK_ERROR_NODEJS24_ABOVE);
  }
  return /** @type {Handler} */ (handler);
}

// ---------------------------------------------------------------------------------------------------------------
// Invocations.

/** The process's peak resident set size, which is what Lambda's REPORT calls Max Memory Used. */
function sampleMemory() {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * @param {string | undefined} text
 * @returns {unknown}
 */
function parseOptionalJson(text) {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * @param {import('../protocol').InvokeMessage} message
 * @param {(error?: unknown, result?: unknown) => void} done
 */
function buildContext(message, done) {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parseOptionalJson(message.identity),
    clientContext: parseOptionalJson(message.clientContext),
    getRemainingTimeInMillis: () => message.deadlineMs - Date.now(),
    // Deprecated but still typed in @types/aws-lambda; the RIC keeps them for old code.
    done: (/** @type {unknown} */ error, /** @type {unknown} */ result) => done(error ?? undefined, result),
    succeed: (/** @type {unknown} */ result) => done(undefined, result),
    fail: (/** @type {unknown} */ error) => done(error ?? 'handled'),
  };
}

/**
 * @param {Handler} handler
 * @param {import('../protocol').InvokeMessage} message
 */
function runHandler(handler, message) {
  let settled = false;
  currentRequestId = message.requestId;

  /**
   * @param {unknown} error
   * @param {unknown} [result]
   */
  const finish = (error, result) => {
    if (settled) return;
    settled = true;
    if (error !== undefined && error !== null) return postError(error);
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch {
      return postError(runtimeError('Runtime.JSONStringifyError', 'Unable to stringify response body'));
    }
    if (Buffer.byteLength(body, 'utf8') > RESPONSE_LIMIT_BYTES) {
      // The result never leaves the sandbox on Lambda either: the runtime API answers 413 and the caller gets this.
      const tooLarge = {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`,
      };
      post({ type: 'error', requestId: message.requestId, error: tooLarge, memoryBytes: sampleMemory() });
      return;
    }
    post({ type: 'result', requestId: message.requestId, payload: body, memoryBytes: sampleMemory() });
  };

  /** @param {unknown} error */
  const postError = (error) => {
    logError('Invoke Error', error);
    post({
      type: 'error',
      requestId: message.requestId,
      error: formatError(error),
      memoryBytes: sampleMemory(),
    });
  };

  let event;
  try {
    event = message.payload === '' ? {} : JSON.parse(message.payload);
  } catch (error) {
    return finish(
      runtimeError('Runtime.PlatformError', `Could not parse the invoke payload as JSON: ${String(error)}`),
    );
  }

  const context = buildContext(message, finish);
  try {
    const returned =
      handler.length >= 3
        ? handler(event, context, (error, result) => finish(error ?? undefined, result))
        : handler(event, context);
    if (returned !== null && typeof returned === 'object' && typeof Reflect.get(returned, 'then') === 'function') {
      /** @type {PromiseLike<unknown>} */ (returned).then(
        (result) => finish(undefined, result),
        // A rejection with `undefined` is still a failure; the RIC formats it as errorType "undefined".
        (error) => finish(error === undefined || error === null ? String(error) : error),
      );
    } else if (handler.length < 3) {
      finish(undefined, returned);
    }
  } catch (error) {
    finish(error === undefined || error === null ? String(error) : error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Failures outside the handler's promise take the whole environment down, as on Lambda: the RIC reports the error
// and exits (src/runtime/lifecycle-manager.ts); the host then discards this environment.

process.on('uncaughtException', (error) => {
  logError('Uncaught Exception', error);
  postAndExit({ type: 'fatal', error: formatError(error) }, 129);
});
process.on('unhandledRejection', (reason) => {
  const error = runtimeError('Runtime.UnhandledPromiseRejection', String(reason));
  logError('Unhandled Promise Rejection', error);
  postAndExit({ type: 'fatal', error: formatError(error) }, 128);
});

(async () => {
  try {
    const handler = await loadHandler(config.taskRoot, config.handler);
    process.on('message', (/** @type {import('../protocol').InvokeMessage} */ message) => runHandler(handler, message));
    post({ type: 'ready', memoryBytes: sampleMemory() });
  } catch (error) {
    logError('Uncaught Exception', error);
    post({ type: 'initError', error: formatError(error) });
  }
})();
