/**
 * The command line: `trigger` and `verify`, their options and help, and how errors reach the user
 * (one line with the fix for the ones a user can fix; a stack trace only for bugs).
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { UserError } from './errors';
import type { Io } from './io';
import { integerIn, numberIn, parseEndpoint, parseOwner } from './options';
import { DRILLS, SOURCES, type Source } from './sources';
import { DEFAULT_LOCAL_PORT } from './target';
import { trigger, type TriggerOptions } from './trigger';
import { verify, parseOnly, type VerifyOptions } from './verify/command';

/** Largest `--count`: a burst beyond this is a load test, not a drill. */
export const MAX_COUNT = 1000;
/** Largest `--rate`, per second: the dev stage throttles the API at 10 requests/s with bursts of 20. */
export const MAX_RATE = 100;

/** Options every command takes to pick its target. */
function targetOptions(command: Command): Command {
  return command
    .option('--local', `send to the local engine (npm start) instead of AWS; implied when AWS_ENDPOINT_URL is set`)
    .option(
      '--endpoint <url>',
      `the local engine's endpoint (default http://127.0.0.1:${DEFAULT_LOCAL_PORT}, or AWS_ENDPOINT_URL)`,
      parseEndpoint,
    )
    .option('--profile <name>', 'AWS named profile (default: the SDK credential chain: env, SSO, ~/.aws)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile’s region)')
    .option(
      '--owner <name>',
      'owner prefix of the stacks (default: local with --local, else dev like the CDK app)',
      parseOwner,
    );
}

/** Builds the program; `run` wires it to the process. */
export function createProgram(io: Io, exitCode: { value: number }): Command {
  const program = new Command('lab')
    .description('Send events to the Lambda Pipelines Lab stacks and check what happens, on AWS or the local engine.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showSuggestionAfterError(true);

  targetOptions(
    program
      .command('trigger')
      .description('Send orders to one event source, optionally with a failure drill, and follow what happens.')
      .addArgument(new Argument('<source>', 'where to send').choices(SOURCES))
      .addOption(new Option('--drill <drill>', 'failure drill').choices(DRILLS))
      .option('--count <n>', `orders to send (1-${MAX_COUNT})`, integerIn('--count', 1, MAX_COUNT), 1)
      .option('--rate <r>', `orders per second (0.1-${MAX_RATE})`, numberIn('--rate', 0.1, MAX_RATE), 10)
      .option('--item <text>', 'the order’s item', 'coffee beans')
      .option('--quantity <n>', 'the order’s quantity (1-1000000)', integerIn('--quantity', 1, 1_000_000), 1)
      .option('--order-id <id>', 'order id (with --count, -1, -2… are appended); default: a new one per run')
      .option('--group <id>', 'message group id for sqs-fifo', 'cli')
      .addOption(
        new Option('--invocation-type <type>', 'for invoke: how the function is invoked').choices([
          'RequestResponse',
          'Event',
          'DryRun',
        ]),
      )
      .option('--follow', 'watch what happens to the orders until they settle (or --timeout passes)')
      .option(
        '--timeout <seconds>',
        'how long --follow waits (default 60 locally, 300 on AWS)',
        integerIn('--timeout', 1, 3600),
      )
      .option('--json', 'print one JSON document on stdout and nothing else'),
  ).action(async (source: Source, opts: TriggerOptions) => {
    if (opts.orderId !== undefined && !/^[A-Za-z0-9._:-]{1,120}$/.test(opts.orderId)) {
      throw new UserError(
        `--order-id must be 1-120 characters of letters, digits, ".", "_", ":" or "-" (given ${opts.orderId})`,
      );
    }
    exitCode.value = await trigger(source, opts, io);
  });

  targetOptions(
    program
      .command('verify')
      .description(
        'Run every drill on every pattern against the target and print pattern × drill → pass/fail with the attempts and the waits between them. Exits 0 only if every check passed.',
      )
      .option(
        '--only <list>',
        'sources (api, s3, sns, kinesis, dynamodb, sqs, sqs-fifo) or patterns, comma-separated',
        parseOnly,
      )
      .option(
        '--timeout <seconds>',
        'how long one check may take (default 120 locally, 600 on AWS)',
        integerIn('--timeout', 1, 3600),
      )
      .option('--concurrency <n>', 'checks at once (default 6 locally, all on AWS)', integerIn('--concurrency', 1, 100))
      .option('--json', 'print one JSON document on stdout and nothing else'),
  ).action(async (opts: VerifyOptions) => {
    exitCode.value = await verify(opts, io);
  });

  return program;
}

/** Runs the command line; returns the exit code. A user error is one line on stderr, never a stack trace. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const exitCode = { value: 0 };
  const program = createProgram(io, exitCode);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode.value;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; a parse error has already been printed as one line.
      return err.exitCode;
    }
    if (err instanceof UserError) {
      io.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
