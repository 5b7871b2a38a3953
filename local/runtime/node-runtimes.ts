/**
 * The Lambda runtimes the engine runs, and the Node.js binary each one runs on.
 *
 * Every supported runtime runs on the Node.js major it names: the binaries are the project's own dependencies (the
 * registry's `node` package, one npm alias per major, installed by `npm ci`), never the host's Node.js.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Runtime identifier → the package (a dependency in the project's package.json) whose `node` binary runs it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
const NODE_PACKAGES: Readonly<Record<string, string>> = {
  'nodejs24.x': 'node',
  'nodejs22.x': 'node22',
  'nodejs20.x': 'node20',
};

/** The runtime Lambda recommends today, named in the error for a deprecated one. */
const NEWEST_RUNTIME = 'nodejs24.x';

/** Runtime identifiers the engine runs, oldest first. */
export const SUPPORTED_RUNTIMES: readonly string[] = Object.keys(NODE_PACKAGES).sort();

/**
 * A function's runtime is not one the engine runs. Its name and message are those of the error Lambda's
 * CreateFunction answers for a runtime it no longer accepts.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#API_CreateFunction_Errors
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtime-support-policy
 */
export class UnsupportedRuntimeError extends Error {
  override readonly name = 'InvalidParameterValueException';
  constructor(
    readonly functionName: string,
    readonly runtime: string,
  ) {
    super(
      /^nodejs\d/.test(runtime)
        ? `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
            `We recommend you use the new runtime (${NEWEST_RUNTIME}) while creating or updating functions. ` +
            `(function ${functionName})`
        : `The runtime parameter of ${runtime} is not supported by the local engine, which runs ` +
            `${SUPPORTED_RUNTIMES.join(', ')} (function ${functionName})`,
    );
  }
}

/** @throws UnsupportedRuntimeError if the engine does not run `runtime`. */
export function assertSupportedRuntime(functionName: string, runtime: string): void {
  if (!Object.hasOwn(NODE_PACKAGES, runtime)) throw new UnsupportedRuntimeError(functionName, runtime);
}

const binaries = new Map<string, string>();

/**
 * The absolute path of the Node.js binary that runs `runtime`: the `bin.node` of its package, which the package's
 * install script links to the platform's binary (`bin/node`, or `bin/node.exe` on Windows).
 * @throws UnsupportedRuntimeError if the engine does not run `runtime`
 * @throws Error if the package or its binary is missing (`npm ci` installs both, unless install scripts are off)
 */
export function nodeBinary(runtime: string): string {
  const cached = binaries.get(runtime);
  if (cached !== undefined) return cached;
  assertSupportedRuntime('(unknown)', runtime);
  const packageName = NODE_PACKAGES[runtime] ?? '';
  let manifestFile: string;
  try {
    manifestFile = require.resolve(`${packageName}/package.json`);
  } catch (error) {
    throw new Error(`Node.js for ${runtime} (package ${packageName}) is not installed: run npm ci`, { cause: error });
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { bin?: { node?: string } };
  const binary = path.resolve(path.dirname(manifestFile), manifest.bin?.node ?? 'bin/node');
  if (!existsSync(binary)) {
    // The package's install script links the binary; `--ignore-scripts` skips it.
    throw new Error(`Node.js for ${runtime} is missing (${binary}): run npm ci with install scripts enabled`);
  }
  binaries.set(runtime, binary);
  return binary;
}
