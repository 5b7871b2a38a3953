/**
 * The AWS path, without calling AWS: how the target, the region, the credentials and the endpoints are resolved,
 * and the signed request the CLI sends, observed on a fake server on 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClients } from '../../cli/clients';
import { clientConfig, resolveTarget } from '../../cli/target';
import { runCli } from './run-cli';

describe('resolveTarget', () => {
  it('targets AWS with the CDK app’s default owner when nothing points at the engine', () => {
    expect(resolveTarget({}, {})).toEqual({ kind: 'aws', owner: 'dev' });
  });

  it('targets the local engine on port 4566 with owner local for --local', () => {
    expect(resolveTarget({ local: true }, {})).toEqual({
      kind: 'local',
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      owner: 'local',
    });
  });

  it('targets the engine AWS_ENDPOINT_URL names', () => {
    expect(resolveTarget({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4600/' })).toMatchObject({
      kind: 'local',
      endpoint: 'http://127.0.0.1:4600',
    });
  });

  it('keeps only what the user named on AWS, so the SDK resolves the rest', () => {
    const target = resolveTarget({ profile: 'student', region: 'eu-west-1', owner: 'alice' }, {});
    expect(clientConfig(target)).toEqual({ profile: 'student', region: 'eu-west-1' });
  });
});

describe('the AWS clients', () => {
  const saved = { ...process.env };
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-aws-'));
    fs.writeFileSync(path.join(dir, 'config'), '[profile student]\nregion = eu-west-1\n');
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      '[student]\naws_access_key_id = AKIDSTUDENT\naws_secret_access_key = secret\n',
    );
    Object.assign(process.env, {
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    for (const key of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_REGION',
      'AWS_ENDPOINT_URL',
    ]) {
      delete process.env[key];
    }
  });

  afterEach(() => {
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('take the region and the credentials from --profile through the SDK’s chain', async () => {
    // GIVEN a profile with a region and static keys
    const clients = createClients(resolveTarget({ profile: 'student' }, {}));
    // WHEN the client configuration is resolved (no request is sent)
    const region = await clients.cloudformation.config.region();
    const credentials = await clients.cloudformation.config.credentials();
    const endpoint = clients.cloudformation.config.endpointProvider({
      Region: region,
      UseFIPS: false,
      UseDualStack: false,
    });
    clients.destroy();
    // THEN they are the profile's, and the endpoint is the region's public one
    expect(region).toBe('eu-west-1');
    expect(credentials.accessKeyId).toBe('AKIDSTUDENT');
    expect(endpoint.url.href).toBe('https://cloudformation.eu-west-1.amazonaws.com/');
  });

  it('sign DescribeStacks with the profile’s key for the region and service', async () => {
    // GIVEN a fake CloudFormation that records the request and answers "no stacks"
    const seen: Array<{ authorization?: string; body: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ authorization: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks/></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      // WHEN verify targets AWS through it with the profile
      const { code, stderr } = await runCli([
        'verify',
        '--profile',
        'student',
        '--endpoint',
        `http://127.0.0.1:${port}`,
        '--owner',
        'alice',
      ]);
      // THEN the request was DescribeStacks, signed with the profile's key for eu-west-1 and CloudFormation
      expect(seen[0]?.body).toContain('Action=DescribeStacks');
      expect(seen[0]?.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDSTUDENT\/\d{8}\/eu-west-1\/cloudformation\/aws4_request, /,
      );
      // AND with no stacks there, one line says how to deploy them
      expect(code).toBe(2);
      expect(stderr).toBe(
        'error: No Lambda Pipelines Lab stacks in region eu-west-1: deploy them (`npx cdk deploy --all -c owner=alice`) or pick the region with --region\n',
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
