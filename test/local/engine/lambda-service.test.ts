import { InvokeCommand, LambdaClient, type InvocationType, type LogType } from '@aws-sdk/client-lambda';
import type { FunctionModel } from '../../../local/assembly/model';
import { ScaledClock } from '../../../local/core/clock';
import type { InvocationOutcome, Invoker } from '../../../local/core/contracts';
import { lambdaService } from '../../../local/engine/lambda-service';
import { Timeline } from '../../../local/core/timeline';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

const FN: FunctionModel = {
  logicalId: 'Echo',
  name: 'echo',
  arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:echo`,
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  codeDir: '/nonexistent',
  timeoutSeconds: 3,
  memorySizeMb: 128,
  architectures: ['arm64'],
  environment: {},
  logGroupName: '/aws/lambda/echo',
};

/**
 * The Invoke API's request validation, through real HTTP with the real SDK client; the runtime
 * is a fake invoker that records whether it ran.
 */
describe('Lambda Invoke API validation', () => {
  let endpoint: Endpoint;
  let lambda: LambdaClient;
  const invoked: string[] = [];

  beforeAll(async () => {
    const timeline = new Timeline(new ScaledClock(1));
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
          functions: () => [FN],
          mappings: () => [],
          invokeConfigs: () => [],
          invoker,
          timeline,
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
  });

  beforeEach(() => {
    invoked.length = 0;
  });

  it.each([
    ['an unknown InvocationType', { InvocationType: 'Bogus' as InvocationType }, 'invocationType'],
    ['an unknown LogType', { LogType: 'Everything' as LogType }, 'logType'],
  ])('rejects %s with a 400 ValidationException without running the function', async (_case, input, member) => {
    // GIVEN an Invoke request with a header value outside its enum WHEN it is sent
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{}'), ...input }))
      .then(
        () => undefined,
        (err: unknown) => err as Error & { $metadata?: { httpStatusCode?: number } },
      );
    // THEN Lambda's model validation answers, naming the member, and the function never runs
    expect(error?.name).toBe('ValidationException');
    expect(error?.$metadata?.httpStatusCode).toBe(400);
    expect(error?.message).toContain(`at '${member}' failed to satisfy constraint`);
    expect(invoked).toEqual([]);
  });

  it('still runs a valid RequestResponse invoke with LogType None', async () => {
    // GIVEN valid headers WHEN invoked THEN the function runs and answers 200
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"a":1}'), LogType: 'None' }),
    );
    expect(out.StatusCode).toBe(200);
    expect(invoked).toEqual(['echo']);
  });
});
