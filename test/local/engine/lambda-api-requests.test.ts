import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  type LambdaServiceException,
} from '@aws-sdk/client-lambda';
import type { FunctionModel } from '../../../local/assembly/model';
import { ScaledClock } from '../../../local/core/clock';
import type { InvocationOutcome, Invoker } from '../../../local/core/contracts';
import { Timeline } from '../../../local/core/timeline';
import { lambdaService } from '../../../local/engine/lambda-service';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
/** What the SDK would send: the signing name routes the request to the Lambda API. */
const SIGNED = {
  authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/${REGION}/lambda/aws4_request, SignedHeaders=host, Signature=00`,
};

let codeDir: string;
let endpoint: Endpoint;
let lambda: LambdaClient;
const invoked: string[] = [];

function functionModel(dir: string): FunctionModel {
  return {
    logicalId: 'Echo',
    name: 'echo',
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:echo`,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    codeDir: dir,
    timeoutSeconds: 3,
    memorySizeMb: 128,
    architectures: ['arm64'],
    environment: {},
    logGroupName: '/aws/lambda/echo',
  };
}

async function failure(work: Promise<unknown>): Promise<LambdaServiceException | undefined> {
  return work.then(
    () => undefined,
    (err: unknown) => err as LambdaServiceException,
  );
}

beforeAll(async () => {
  codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-api-code-'));
  fs.writeFileSync(path.join(codeDir, 'index.js'), 'exports.handler = async (e) => e;\n');
  const invoker: Invoker = {
    invoke: async (functionName, payload): Promise<InvocationOutcome> => {
      invoked.push(functionName);
      return { requestId: 'r-1', payload, outcome: 'success', durationMs: 1, coldStart: false, logs: '' };
    },
  };
  endpoint = await startEndpoint({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    services: [
      lambdaService({
        functions: () => [functionModel(codeDir)],
        mappings: () => [],
        invokeConfigs: () => [],
        invoker,
        timeline: new Timeline(new ScaledClock(1)),
        enqueueAsync: () => ({ requestId: 'r-async' }),
      }),
    ],
  });
  lambda = new LambdaClient({
    endpoint: endpoint.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  lambda.destroy();
  await endpoint.stop();
  fs.rmSync(codeDir, { recursive: true, force: true });
});

beforeEach(() => {
  invoked.length = 0;
});

describe('Lambda API request validation', () => {
  test('GIVEN a function name with a malformed percent-escape WHEN it is invoked THEN 400 ValidationException names functionName', async () => {
    const res = await fetch(`${endpoint.url}/2015-03-31/functions/%zz/invocations`, {
      method: 'POST',
      headers: SIGNED,
      body: '{}',
    });

    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await res.json()) as { message: string }).message).toContain("Value '%zz' at 'functionName'");
  });

  test('GIVEN an event source mapping id with a malformed percent-escape WHEN it is read THEN 404 ResourceNotFoundException', async () => {
    const res = await fetch(`${endpoint.url}/2015-03-31/event-source-mappings/%E0%A4%A`, { headers: SIGNED });

    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
  });

  test.each([['-1'], ['0'], ['10001']])(
    'GIVEN ListFunctions with MaxItems=%s WHEN it is sent THEN 400 ValidationException names maxItems',
    async (maxItems) => {
      const error = await failure(lambda.send(new ListFunctionsCommand({ MaxItems: Number(maxItems) })));

      expect(error?.name).toBe('ValidationException');
      expect(error?.$metadata.httpStatusCode).toBe(400);
      expect(error?.message).toContain(`Value '${maxItems}' at 'maxItems'`);
    },
  );

  test('GIVEN ListFunctions with MaxItems=abc WHEN it is sent raw THEN 400 ValidationException says it must be an integer', async () => {
    const res = await fetch(`${endpoint.url}/2015-03-31/functions/?MaxItems=abc`, { headers: SIGNED });

    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await res.json()) as { message: string }).message).toContain('Member must be an integer');
  });

  test('GIVEN a client context that is not base64 JSON WHEN invoked THEN 400 InvalidRequestContentException and the function does not run', async () => {
    const error = await failure(
      lambda.send(
        new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{}'), ClientContext: 'not base64!' }),
      ),
    );

    expect(error?.name).toBe('InvalidRequestContentException');
    expect(error?.message).toBe('Client context must be a valid Base64-encoded JSON object.');
    expect(invoked).toEqual([]);
  });

  test('GIVEN a base64 client context over 3,583 bytes WHEN invoked THEN 400 InvalidRequestContentException and the function does not run', async () => {
    const big = Buffer.from(JSON.stringify({ custom: { pad: 'x'.repeat(3000) } })).toString('base64');

    const error = await failure(
      lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{}'), ClientContext: big })),
    );

    expect(big.length).toBeGreaterThan(3583);
    expect(error?.name).toBe('InvalidRequestContentException');
    expect(error?.$metadata.httpStatusCode).toBe(400);
    expect(invoked).toEqual([]);
  });

  test('GIVEN a base64 JSON client context WHEN invoked THEN the function runs', async () => {
    const context = Buffer.from(JSON.stringify({ custom: { a: '1' } })).toString('base64');

    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{}'), ClientContext: context }),
    );

    expect(out.StatusCode).toBe(200);
    expect(invoked).toEqual(['echo']);
  });
});

describe('Lambda function descriptions', () => {
  test('GIVEN a deployed function WHEN GetFunction is called THEN CodeSha256, CodeSize, LastModified and RevisionId are set as AWS sets them', async () => {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    const config = out.Configuration!;
    const source = fs.readFileSync(path.join(codeDir, 'index.js'));

    expect(config.CodeSize).toBe(source.length);
    expect(config.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(config.LastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(config.RevisionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test('GIVEN the same function WHEN it is listed and fetched THEN both show the same code hash and revision', async () => {
    const listed = await lambda.send(new ListFunctionsCommand({}));
    const fetched = await lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));

    expect(listed.Functions?.[0]?.CodeSha256).toBe(fetched.Configuration?.CodeSha256);
    expect(listed.Functions?.[0]?.RevisionId).toBe(fetched.Configuration?.RevisionId);
    expect(fetched.Configuration?.CodeSha256).not.toBe(createHash('sha256').update('').digest('base64'));
  });
});
