/**
 * `npm start`: runs the synthesized app on this machine with Lambda's semantics, behind one
 * AWS-compatible endpoint. See README "Run it locally".
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildConsole } from '../console/build';
import { startEngine, type EngineOptions } from '../local/engine/engine';
import { AssemblyFolderError, SynthError } from '../local/engine/synth';

const USAGE = `Usage: npm start -- [options]

Runs the four pattern stacks locally: synthesizes the CDK app (reusing an up-to-date cdk.out),
deploys it onto one AWS-compatible endpoint on 127.0.0.1, and serves until Ctrl-C.

Options:
  --port <n>          endpoint port on 127.0.0.1 (default 4566)
  --owner <name>      owner prefix of the stacks (default local)
  --time-scale <x>    virtual seconds per real second for retry delays, visibility
                      timeouts, batching windows and event ages (default 60)
  --no-deploy         serve the endpoint only, with nothing deployed
  --no-iam            do not enforce the templates' IAM (by default functions act with their
                      execution roles; any other credentials are the local administrator)
  --synth             synthesize even if cdk.out is up to date
  --cdk-out <dir>     cloud assembly folder (default cdk.out); the engine synthesizes only into
                      a new or empty folder or one it made, never over a user's files
  --outputs           also print every stack output (the console shows them too)
  --no-console        do not build or serve the web console
  -h, --help          show this help`;

const OWNER = /^[a-z][a-z0-9-]{0,19}$/;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

interface CliOptions extends EngineOptions {
  readonly printOutputs: boolean;
  readonly console: boolean;
}

function parseOptions(): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        owner: { type: 'string' },
        'time-scale': { type: 'string' },
        'no-deploy': { type: 'boolean' },
        'no-iam': { type: 'boolean' },
        synth: { type: 'boolean' },
        'cdk-out': { type: 'string' },
        outputs: { type: 'boolean' },
        'no-console': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const port = Number(values.port ?? 4566);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be an integer 0-65535 (given ${values.port})`);
  const timeScale = Number(values['time-scale'] ?? 60);
  if (!(timeScale > 0) || !Number.isFinite(timeScale) || timeScale > 10_000) {
    fail(`--time-scale must be a number above 0 and at most 10000 (given ${values['time-scale']})`);
  }
  const owner = values.owner ?? 'local';
  if (!OWNER.test(owner)) fail(`--owner must match ${OWNER.source} (given ${owner})`);
  const projectDir = path.resolve(__dirname, '..');
  return {
    port,
    owner,
    timeScale,
    deploy: !values['no-deploy'],
    iam: !values['no-iam'],
    forceSynth: values.synth ?? false,
    projectDir,
    cdkOut: values['cdk-out'] ? path.resolve(values['cdk-out']) : undefined,
    log: (line) => process.stdout.write(`${line}\n`),
    printOutputs: values.outputs ?? false,
    console: !values['no-console'],
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const started = Date.now();
  let engine;
  try {
    const site = options.console ? await buildConsole() : undefined;
    if (site) options.log?.(`Console bundle ${site.cached ? 'reused from the cache' : 'built'} in ${site.ms} ms.`);
    engine = await startEngine({
      ...options,
      staticSite: site,
      // The first useful line: the page is there at once and shows the deployment until it is ready.
      onListening: site ? (url) => process.stdout.write(`\nConsole  ${url}/\n\n`) : undefined,
    });
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    if (error.code === 'EADDRINUSE') {
      fail(`Port ${options.port} is already in use on 127.0.0.1. Stop what uses it or pass --port <n>.`);
    }
    if (error instanceof SynthError) fail(`${error.output.trim()}\n\n${error.message}`);
    if (error instanceof AssemblyFolderError) fail(error.message);
    fail(`Could not start the local engine: ${error.message}`);
  }
  const ready = options.console
    ? `Ready in ${Date.now() - started} ms: the console is at ${engine.url}/.`
    : `Ready in ${Date.now() - started} ms.`;
  process.stdout.write(`${engine.describe({ outputs: options.printOutputs })}\n${ready} Press Ctrl-C to stop.\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping…\n');
    engine
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => fail(`Stopped with an error: ${(err as Error).message}`));
  };
  // A bug inside a local service (e.g. a registry engine throwing from its own callback) must not take
  // every pipeline down with it: report it and keep serving.
  process.on('uncaughtException', (err) =>
    process.stderr.write(`Internal error in the local engine: ${err.stack ?? err}\n`),
  );
  process.on('unhandledRejection', (err) =>
    process.stderr.write(`Internal error in the local engine: ${(err as Error)?.stack ?? String(err)}\n`),
  );
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
