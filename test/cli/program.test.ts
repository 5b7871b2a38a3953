/**
 * The command line's arguments, help and the one-line errors a user will hit (issue 10), without AWS: the
 * errors that need a target use a closed local port or a profile that cannot resolve.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DRILLS, SOURCES } from '../../cli/sources';
import { runCli } from './run-cli';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('trigger --help', () => {
  it('lists every source, every drill and every option the issue asks for', async () => {
    // WHEN the help is asked for
    const { code, stdout } = await runCli(['trigger', '--help']);
    // THEN it exits 0 and names every source, drill and option
    expect(code).toBe(0);
    for (const name of [...SOURCES, ...DRILLS]) expect(stdout).toContain(`"${name}"`);
    for (const option of [
      '--local',
      '--endpoint',
      '--profile',
      '--region',
      '--owner',
      '--drill',
      '--count',
      '--rate',
      '--item',
      '--quantity',
      '--order-id',
      '--group',
      '--invocation-type',
      '--follow',
      '--timeout',
      '--json',
    ]) {
      expect(stdout).toContain(option);
    }
  });
});

describe('verify --help', () => {
  it('names --only, the target options and the exit code rule', async () => {
    const { code, stdout } = await runCli(['verify', '--help']);
    expect(code).toBe(0);
    for (const option of ['--only', '--local', '--profile', '--owner', '--timeout', '--concurrency', '--json']) {
      expect(stdout).toContain(option);
    }
    expect(stdout.replace(/\s+/g, ' ')).toContain('Exits 0 only if every check passed');
  });
});

describe('argument errors', () => {
  it.each([
    [
      ['trigger', 'ftp'],
      /value 'ftp' is invalid for argument 'source'\. Allowed choices are api, get, invoke, s3, sns, kinesis, dynamodb, sqs, sqs-fifo/,
    ],
    [['trigger', 'sqs', '--drill', 'explode'], /Allowed choices are error, error-once, timeout, invalid, duplicate/],
    [['trigger', 'sqs', '--count', '0'], /--count must be an integer 1-1000 \(given 0\)/],
    [['trigger', 'sqs', '--count', '5000'], /--count must be an integer 1-1000 \(given 5000\)/],
    [['trigger', 'sqs', '--rate', '0'], /--rate must be a number 0.1-100 \(given 0\)/],
    [['trigger', 'sqs', '--rate', 'fast'], /--rate must be a number 0.1-100 \(given fast\)/],
    [
      ['trigger', 'sqs', '--owner', 'Alice'],
      /--owner must be 1-20 lowercase letters, digits or hyphens.*\(given Alice\)/,
    ],
    [['trigger', 'invoke', '--invocation-type', 'Async'], /Allowed choices are RequestResponse, Event, DryRun/],
    [
      ['verify', '--only', 'ftp'],
      /--only takes sources \(api, s3, sns, kinesis, dynamodb, sqs, sqs-fifo\).*\(given ftp\)/,
    ],
    [['trigger', 'sqs', '--endpoint', 'localhost'], /--endpoint must be an http\(s\) URL/],
  ])('rejects %j with one line naming what is allowed', async (argv, message) => {
    // WHEN the command line is given a bad value
    const { code, stderr, stdout } = await runCli(argv);
    // THEN it exits non-zero with one error line (no stack trace) and prints nothing on stdout
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')[0]).toMatch(/^error: /);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  it('rejects an --order-id the functions would reject, before sending anything', async () => {
    const { code, stderr } = await runCli([
      'trigger',
      'api',
      '--order-id',
      'a b',
      '--local',
      '--endpoint',
      'http://127.0.0.1:1',
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: --order-id must be 1-120 characters of letters, digits, ".", "_", ":" or "-" (given a b)\n',
    );
  });
});

describe('target errors', () => {
  it('says to run npm start when the local engine is not running', async () => {
    // GIVEN nothing listens on the endpoint
    const port = await closedPort();
    // WHEN a trigger targets it
    const { code, stderr } = await runCli(['trigger', 'sqs', '--local', '--endpoint', `http://127.0.0.1:${port}`]);
    // THEN one line says so and names the fix
    expect(code).toBe(2);
    expect(stderr).toBe(
      `error: The local engine is not running at http://127.0.0.1:${port}: start it with \`npm start\` (or pass --endpoint <url>)\n`,
    );
  });

  it('treats AWS_ENDPOINT_URL as the local engine', async () => {
    const port = await closedPort();
    const { stderr } = await runCli(['trigger', 'sqs'], { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
    expect(stderr).toContain(`The local engine is not running at http://127.0.0.1:${port}`);
  });

  describe('on AWS without usable credentials', () => {
    const saved = { ...process.env };
    let dir: string;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-cli-'));
      fs.writeFileSync(
        path.join(dir, 'config'),
        '[profile student]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = Student\nregion = us-east-1\n',
      );
      fs.writeFileSync(path.join(dir, 'credentials'), '');
      // The SDK reads its shared files and instance metadata from the process environment.
      Object.assign(process.env, {
        HOME: dir,
        AWS_CONFIG_FILE: path.join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      for (const key of [
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_PROFILE',
        'AWS_ENDPOINT_URL',
      ]) {
        delete process.env[key];
      }
    });

    afterEach(() => {
      process.env = { ...saved };
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('says the SSO session expired and how to log in again', async () => {
      // GIVEN an SSO profile with no valid cached session
      // WHEN a trigger targets AWS with it
      const { code, stderr } = await runCli(['trigger', 'api', '--profile', 'student']);
      // THEN one line names the fix
      expect(code).toBe(2);
      expect(stderr).toBe('error: The SSO session has expired: run `aws sso login --profile student` and try again\n');
    });

    it('says there are no credentials and how to get some', async () => {
      const { code, stderr } = await runCli(['verify', '--region', 'eu-west-1']);
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /^error: No valid AWS credentials \(CredentialsProviderError: .*\): run `aws configure sso` \/ `aws sso login`, or pass --profile <name>\n$/,
      );
    });
  });
});
