/**
 * The engine enforces the templates' IAM on a fixture app whose grants are deliberately incomplete:
 * real engine, real SDK clients over HTTP, the functions' own credentials.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvokeCommand, GetEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startEngine, type Engine } from '../../../local/engine/engine';
import { IAM_FIXTURE_OWNER, synthIamFixtureApp } from '../../fixtures/iam/iam-app';

const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..');
const config = (engine: Engine) => ({
  endpoint: engine.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
});

function functionNamed(engine: Engine, logicalPrefix: string): { name: string; arn: string } {
  const fn = engine.model?.stacks[0]?.functions.find((f) => f.logicalId.startsWith(logicalPrefix));
  if (!fn) throw new Error(`no function ${logicalPrefix}`);
  return fn;
}

async function invoke(lambda: LambdaClient, name: string, event: unknown): Promise<Record<string, unknown>> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }));
  return JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Record<string, unknown>;
}

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

let outDir: string;
beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-fixture-'));
  synthIamFixtureApp(outDir);
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe('with IAM enforced (the default)', () => {
  let engine: Engine;
  let lambda: LambdaClient;
  beforeAll(async () => {
    engine = await startEngine({ port: 0, owner: IAM_FIXTURE_OWNER, projectDir: PROJECT_DIR, cdkOut: outDir });
    lambda = new LambdaClient(config(engine));
  }, 60_000);
  afterAll(async () => {
    lambda.destroy();
    await engine.stop();
  });

  it("fails a function's SDK call its role does not allow with AccessDeniedException and AWS's message", async () => {
    // GIVEN a function whose role has no dynamodb:GetItem on the table
    const fn = functionNamed(engine, 'Ungranted');
    const role = engine.model?.stacks[0]?.iam.roles.find((r) => r.logicalId.startsWith('UngrantedServiceRole'));
    const table = engine.model?.stacks[0]?.tables[0];
    // WHEN it reads the table
    const result = await invoke(lambda, fn.name, { id: 'a' });
    // THEN its call fails with DynamoDB's access-denied error naming its role session
    expect(result).toMatchObject({
      errorType: 'AccessDeniedException',
      errorMessage:
        `User: arn:aws:sts::000000000000:assumed-role/${role?.name}/${fn.name} is not authorized to perform: ` +
        `dynamodb:GetItem on resource: ${table?.arn} because no identity-based policy allows the dynamodb:GetItem action`,
    });
  });

  it('lets the same call succeed for a function whose role has the grant', async () => {
    // GIVEN a function with table.grantReadData
    const fn = functionNamed(engine, 'Granted');
    // WHEN it reads the table
    const result = await invoke(lambda, fn.name, { id: 'a' });
    // THEN the read succeeds
    expect(result).toEqual({ found: false });
  });

  it('treats any other credentials as the local administrator', async () => {
    // GIVEN the user's own credentials
    const dynamodb = new DynamoDBClient(config(engine));
    const table = engine.model?.stacks[0]?.tables[0];
    // WHEN the user reads the table no role grants
    const out = await dynamodb.send(new GetItemCommand({ TableName: table?.name, Key: { id: { S: 'a' } } }));
    dynamodb.destroy();
    // THEN it is allowed
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('disables a mapping whose role lacks the poll permissions, with the reason AWS gives', async () => {
    // GIVEN a queue mapping whose function role has no sqs:ReceiveMessage
    const mapping = engine.model?.stacks[0]?.eventSourceMappings[0];
    // WHEN its state is read through the Lambda API
    const out = await lambda.send(new GetEventSourceMappingCommand({ UUID: mapping?.uuid }));
    // THEN it is disabled, with CreateEventSourceMapping's message
    expect({ state: out.State, reason: out.StateTransitionReason }).toEqual({
      state: 'Disabled',
      reason: 'The provided execution role does not have permissions to call ReceiveMessage on SQS',
    });
  });

  it('does not invoke a function for an S3 notification without its Lambda permission', async () => {
    // GIVEN a bucket notification to a function with no AWS::Lambda::Permission for S3
    const s3 = new S3Client({ ...config(engine), forcePathStyle: true });
    const bucket = engine.model?.stacks[0]?.buckets[0];
    // WHEN an object is created
    await s3.send(new PutObjectCommand({ Bucket: bucket?.name, Key: 'a.json', Body: '{}' }));
    s3.destroy();
    // THEN the event is discarded, with the timeline saying why, and no attempt ran
    const event = await until(() => engine.timeline.list({ source: 's3' })[0]);
    expect({ status: event.status, attempts: event.steps.filter((s) => s.kind === 'attempt').length }).toEqual({
      status: 'discarded',
      attempts: 0,
    });
    expect(JSON.stringify(event.steps)).toContain(
      'User: s3.amazonaws.com is not authorized to perform: lambda:InvokeFunction',
    );
  });
});

describe('with --no-iam', () => {
  it('lets a function do what its role does not allow', async () => {
    // GIVEN the engine started without IAM
    const engine = await startEngine({
      port: 0,
      owner: IAM_FIXTURE_OWNER,
      projectDir: PROJECT_DIR,
      cdkOut: outDir,
      iam: false,
    });
    const lambda = new LambdaClient(config(engine));
    try {
      // WHEN the function without the grant reads the table
      const result = await invoke(lambda, functionNamed(engine, 'Ungranted').name, { id: 'a' });
      // THEN the read succeeds
      expect(result).toEqual({ found: false });
    } finally {
      lambda.destroy();
      await engine.stop();
    }
  }, 60_000);
});
