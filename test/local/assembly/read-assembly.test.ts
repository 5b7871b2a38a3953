import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AssemblyModel, StackModel } from '../../../local/assembly/model';
import { AssemblyError, readAssembly } from '../../../local/assembly/read-assembly';
import { FIXTURE_CODE_DIR, synthFixtureApp } from './fixtures/fixture-app';

const opts = { region: 'eu-west-1', accountId: '111122223333', endpointUrl: 'http://127.0.0.1:4566' };

/** Writes a minimal cloud assembly with the given templates (stack name → template). */
function writeAssembly(dir: string, templates: Record<string, unknown>): void {
  const artifacts: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(templates)) {
    fs.writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(template));
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      properties: { templateFile: `${name}.template.json`, stackName: name },
    };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-test-'));
}

describe('readAssembly of a synthesized CDK app', () => {
  let outdir: string;
  let model: AssemblyModel;
  let stack: StackModel;
  const fn = (prefix: string) => {
    const found = stack.functions.find((f) => f.logicalId.startsWith(prefix));
    if (!found) throw new Error(`no function ${prefix}`);
    return found;
  };

  beforeAll(() => {
    outdir = tmp();
    synthFixtureApp(outdir);
    model = readAssembly(outdir, opts);
    stack = model.stacks.find((s) => s.stackName === 'fx-Pipelines') as StackModel;
  }, 180_000);

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('reads every stack of the manifest', () => {
    expect(model.stacks.map((s) => s.stackName).sort()).toEqual(['fx-Consumer', 'fx-Pipelines']);
    expect(stack.stackId).toMatch(/^arn:aws:cloudformation:eu-west-1:111122223333:stack\/fx-Pipelines\/[0-9a-f-]{36}$/);
  });

  it('finds each function code folder through the aws:asset:path metadata', () => {
    const codeDir = fn('Worker').codeDir;
    expect(path.dirname(codeDir)).toBe(outdir);
    expect(fs.readFileSync(path.join(codeDir, 'index.js'), 'utf8')).toBe(
      fs.readFileSync(path.join(FIXTURE_CODE_DIR, 'index.js'), 'utf8'),
    );
  });

  it('resolves function settings and environment variables', () => {
    const worker = fn('Worker');
    expect(worker).toMatchObject({
      name: expect.stringMatching(/^fx-Pipelines-Worker[0-9A-F]{8}-[A-Z0-9]{12}$/),
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      timeoutSeconds: 10,
      memorySizeMb: 256,
      architectures: ['arm64'],
      reservedConcurrency: 5,
      deadLetterTargetArn: stack.queues.find((q) => q.logicalId.startsWith('DeadLetterQueue'))?.arn,
    });
    expect(worker.arn).toBe(`arn:aws:lambda:eu-west-1:111122223333:function:${worker.name}`);
    expect(worker.environment).toEqual({
      QUEUE_URL: stack.queues.find((q) => q.logicalId.startsWith('Queue'))?.url,
      GREETING: 'hello',
    });
  });

  it('fills absent function settings with the Lambda defaults', () => {
    expect(fn('Plain')).toMatchObject({
      timeoutSeconds: 3,
      memorySizeMb: 128,
      architectures: ['x86_64'],
      environment: {},
    });
    expect(fn('Plain').logGroupName).toBe(`/aws/lambda/${fn('Plain').name}`);
  });

  it('skips CDK-internal custom resource providers instead of deploying them', () => {
    expect(stack.functions.map((f) => f.logicalId)).toEqual([
      expect.stringMatching(/^Worker/),
      expect.stringMatching(/^Plain/),
      expect.stringMatching(/^Streamer/),
    ]);
    const internal = stack.resources.filter((r) => r.type === 'AWS::Lambda::Function' && r.disposition === 'skipped');
    expect(internal.map((r) => r.logicalId)).toEqual([
      expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProviderHandler/),
      expect.stringMatching(/^BucketNotificationsHandler/),
    ]);
  });

  it('models queues with their redrive policy, FIFO settings and SQS defaults', () => {
    const dlq = stack.queues.find((q) => q.logicalId.startsWith('DeadLetterQueue'));
    const queue = stack.queues.find((q) => q.logicalId.startsWith('Queue'));
    const fifo = stack.queues.find((q) => q.logicalId.startsWith('FifoQueue'));
    expect(queue).toMatchObject({
      url: `http://127.0.0.1:4566/111122223333/${queue?.name}`,
      arn: `arn:aws:sqs:eu-west-1:111122223333:${queue?.name}`,
      visibilityTimeoutSeconds: 60,
      messageRetentionPeriodSeconds: 345_600,
      delaySeconds: 0,
      receiveMessageWaitTimeSeconds: 0,
      redrivePolicy: { deadLetterTargetArn: dlq?.arn, maxReceiveCount: 3 },
      fifo: false,
    });
    expect(dlq?.messageRetentionPeriodSeconds).toBe(1_209_600);
    expect(fifo).toMatchObject({ fifo: true, contentBasedDeduplication: true, visibilityTimeoutSeconds: 30 });
    expect(fifo?.name).toMatch(/\.fifo$/);
  });

  it('models the topic and its Lambda subscription with filter policy and DLQ', () => {
    const topic = stack.topics[0];
    const dlq = stack.queues.find((q) => q.logicalId.startsWith('DeadLetterQueue'));
    expect(topic?.arn).toBe(`arn:aws:sns:eu-west-1:111122223333:${topic?.name}`);
    expect(stack.subscriptions).toEqual([
      expect.objectContaining({
        topicArn: topic?.arn,
        protocol: 'lambda',
        endpoint: fn('Plain').arn,
        filterPolicy: JSON.stringify({ kind: ['order'] }),
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq?.arn }),
        rawMessageDelivery: false,
      }),
    ]);
  });

  it('applies the CDK bucket notifications custom resource to the bucket', () => {
    const bucket = stack.buckets[0];
    expect(bucket?.name).toMatch(/^fx-pipelines-bucket[0-9a-f]{8}-[a-z0-9]{12}$/);
    expect(bucket?.notifications).toEqual([
      { target: 'lambda', targetArn: fn('Plain').arn, events: ['s3:ObjectCreated:*'], prefix: 'orders/' },
    ]);
    expect(stack.resources.find((r) => r.type === 'Custom::S3BucketNotifications')?.disposition).toBe('applied');
  });

  it('models the table with its stream and TTL, and the Kinesis stream', () => {
    const table = stack.tables[0];
    expect(table).toMatchObject({
      keySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      attributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      streamViewType: 'NEW_AND_OLD_IMAGES',
      timeToLiveAttribute: 'expiresAt',
    });
    expect(table?.streamArn).toMatch(new RegExp(`^${table?.arn}/stream/\\d{4}-`));
    expect(stack.kinesisStreams).toEqual([
      expect.objectContaining({
        shardCount: 2,
        retentionPeriodHours: 24,
        arn: expect.stringMatching(/:stream\/fx-Pipelines-Stream/),
      }),
    ]);
  });

  it('models SSM parameters with explicit and generated names', () => {
    const queue = stack.queues.find((q) => q.logicalId.startsWith('Queue'));
    expect(stack.parameters).toEqual([
      expect.objectContaining({ name: '/fx/setting', type: 'String', value: 'on' }),
      expect.objectContaining({ name: expect.stringMatching(/^CFN-GeneratedSetting/), value: queue?.arn }),
    ]);
  });

  it('models the SQS mappings with their settings and SQS defaults', () => {
    const [standard, fifo] = stack.eventSourceMappings.filter((m) => m.source === 'sqs');
    expect(standard).toMatchObject({
      functionName: fn('Worker').name,
      functionArn: fn('Worker').arn,
      batchSize: 5,
      maximumBatchingWindowInSeconds: 0,
      reportBatchItemFailures: true,
      maximumConcurrency: 2,
      enabled: true,
      filterPatterns: [],
    });
    expect(standard?.startingPosition).toBeUndefined();
    expect(fifo).toMatchObject({ batchSize: 10, filterPatterns: ['{"body":{"item":[{"exists":true}]}}'] });
  });

  it('models the stream mappings with bisect, retries, record age, destination and stream defaults', () => {
    const kinesis = stack.eventSourceMappings.find((m) => m.source === 'kinesis');
    const dynamo = stack.eventSourceMappings.find((m) => m.source === 'dynamodb');
    const failures = stack.queues.find((q) => q.logicalId.startsWith('FailureQueue'));
    expect(kinesis).toMatchObject({
      batchSize: 50,
      maximumBatchingWindowInSeconds: 2,
      startingPosition: 'TRIM_HORIZON',
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 3600,
      parallelizationFactor: 2,
      reportBatchItemFailures: true,
      onFailureDestination: failures?.arn,
      eventSourceArn: stack.kinesisStreams[0]?.arn,
    });
    expect(dynamo).toMatchObject({
      batchSize: 100,
      startingPosition: 'LATEST',
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: 2,
      maximumRecordAgeInSeconds: -1,
      parallelizationFactor: 1,
      tumblingWindowInSeconds: 0,
      eventSourceArn: stack.tables[0]?.streamArn,
      filterPatterns: ['{"eventName":["INSERT"]}'],
    });
    expect(kinesis?.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives every function async invoke settings, the template ones or the defaults', () => {
    const failures = stack.queues.find((q) => q.logicalId.startsWith('FailureQueue'));
    const queue = stack.queues.find((q) => q.logicalId.startsWith('Queue'));
    expect(stack.eventInvokeConfigs).toEqual([
      {
        functionName: fn('Worker').name,
        qualifier: '$LATEST',
        maximumRetryAttempts: 1,
        maximumEventAgeInSeconds: 300,
        onSuccess: queue?.arn,
        onFailure: failures?.arn,
      },
      {
        functionName: fn('Plain').name,
        qualifier: '$LATEST',
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 21_600,
      },
      {
        functionName: fn('Streamer').name,
        qualifier: '$LATEST',
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 21_600,
      },
    ]);
  });

  it('models the REST API routes with validators, models, parameters and integrations', () => {
    const api = stack.restApis[0];
    expect(api?.id).toMatch(/^[a-z0-9]{10}$/);
    const route = (method: string, p: string) =>
      api?.routes.find((r) => r.httpMethod === method && r.resourcePath === p);
    expect(route('POST', '/orders')).toMatchObject({
      integrationType: 'AWS_PROXY',
      functionName: fn('Worker').name,
      timeoutInMillis: 10_000,
      validateRequestBody: true,
      validateRequestParameters: false,
      requestModels: { 'application/json': expect.objectContaining({ required: ['item'] }) },
    });
    expect(route('GET', '/orders/{orderId}')).toMatchObject({
      functionName: fn('Plain').name,
      timeoutInMillis: 29_000,
      requestParameters: { 'method.request.querystring.verbose': false },
    });
    expect(route('ANY', '/{proxy+}')).toMatchObject({ functionName: fn('Plain').name, authorizationType: 'NONE' });
  });

  it('models the stage with its local URL, variables and stage-wide throttling', () => {
    const api = stack.restApis[0];
    expect(api?.stages).toEqual([
      {
        name: 'dev',
        url: `http://127.0.0.1:4566/restapis/${api?.id}/dev/_user_request_/`,
        variables: { v: '1' },
        throttling: { rateLimit: 10, burstLimit: 5 },
        methodThrottling: {},
      },
    ]);
  });

  it('resolves outputs and points the API URL output at the local gateway', () => {
    const out = (key: string) => stack.outputs.find((o) => o.key === key);
    expect(out('ApiUrl')).toEqual({ key: 'ApiUrl', value: stack.restApis[0]?.stages[0]?.url, description: 'The API' });
    expect(out('QueueUrl')).toMatchObject({
      value: stack.queues.find((q) => q.logicalId.startsWith('Queue'))?.url,
      exportName: 'fx-QueueUrl',
    });
    expect(out('Joined')?.value).toBe('b|eu-west-1');
  });

  it('resolves Fn::ImportValue from another stack of the assembly', () => {
    const consumer = model.stacks.find((s) => s.stackName === 'fx-Consumer');
    const queue = stack.queues.find((q) => q.logicalId.startsWith('Queue'));
    expect(consumer?.outputs.find((o) => o.key === 'ImportedQueueUrl')?.value).toBe(queue?.url);
    expect(consumer?.outputs.find((o) => o.key === 'Subbed')?.value).toBe(`fx-Consumer-eu-west-1-${queue?.arn}`);
  });

  it('reports the auto-delete resource and the internal function as skipped with a note', () => {
    const skipped = stack.resources.filter((r) => r.disposition === 'skipped');
    expect(new Set(skipped.map((r) => r.type))).toEqual(
      new Set(['Custom::S3AutoDeleteObjects', 'AWS::Lambda::Function', 'AWS::ApiGateway::Account']),
    );
    expect(stack.resources.filter((r) => r.disposition === 'unsupported')).toEqual([]);
  });

  it("reports roles, policies and permissions as applied by the engine's IAM", () => {
    const iamTypes = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::Lambda::Permission', 'AWS::SQS::QueuePolicy'];
    const notes = new Set(
      stack.resources.filter((r) => iamTypes.includes(r.type)).map((r) => `${r.disposition}: ${r.note}`),
    );
    expect(notes).toEqual(new Set(["applied: evaluated by the engine's IAM (npm start -- --no-iam turns it off)"]));
  });

  it('selects the stacks of one owner', () => {
    expect(readAssembly(outdir, { ...opts, owner: 'fx' }).stacks).toHaveLength(2);
    expect(readAssembly(outdir, { ...opts, stackNames: ['fx-Consumer'] }).stacks.map((s) => s.stackName)).toEqual([
      'fx-Consumer',
    ]);
  });

  it('finds the code through the asset manifest when the metadata is missing', () => {
    // GIVEN a copy of the assembly whose templates have no aws:asset:path metadata
    const copy = tmp();
    fs.cpSync(outdir, copy, { recursive: true });
    const file = path.join(copy, 'Pipelines.template.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"aws:asset:path"/g, '"x-removed"'));
    // WHEN it is read  THEN the code folder is the asset named by the S3Key hash
    const worker = readAssembly(copy, opts).stacks[0]?.functions[0];
    expect(worker?.codeDir).toBe(fn('Worker').codeDir.replace(outdir, copy));
    fs.rmSync(copy, { recursive: true, force: true });
  });
});

describe('readAssembly of hand-written templates', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmp();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports a resource type it does not know as unsupported, by name', () => {
    writeAssembly(dir, {
      's-One': { Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } } },
    });
    const [resource] = readAssembly(dir, opts).stacks[0]?.resources ?? [];
    expect(resource).toMatchObject({
      logicalId: 'Vpc',
      type: 'AWS::EC2::VPC',
      disposition: 'unsupported',
      note: 'the local engine does not support AWS::EC2::VPC',
    });
  });

  it('gives a clear error when cdk.out has no manifest', () => {
    expect(() => readAssembly(dir, opts)).toThrow(AssemblyError);
    expect(() => readAssembly(dir, opts)).toThrow(/manifest\.json is missing\. Run `npx cdk synth -q` first/);
  });

  it('gives a clear error when no stack matches the owner', () => {
    writeAssembly(dir, { 'bob-Queues': { Resources: {} } });
    expect(() => readAssembly(dir, { ...opts, owner: 'alice' })).toThrow(
      'No stack in ' + dir + " matches owner 'alice'; the assembly has: bob-Queues",
    );
  });

  it('keeps explicit names and leaves out resources whose condition is false', () => {
    writeAssembly(dir, {
      's-Two': {
        Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
        Mappings: { Env: { 'eu-west-1': { Suffix: 'eu' } } },
        Resources: {
          Q: {
            Type: 'AWS::SQS::Queue',
            Properties: {
              QueueName: {
                'Fn::Sub': ['orders-${S}', { S: { 'Fn::FindInMap': ['Env', { Ref: 'AWS::Region' }, 'Suffix'] } }],
              },
            },
          },
          Gone: { Type: 'AWS::SQS::Queue', Condition: 'Never' },
        },
      },
    });
    const stack = readAssembly(dir, opts).stacks[0];
    expect(stack?.queues.map((q) => q.name)).toEqual(['orders-eu']);
    expect(stack?.resources.map((r) => r.logicalId)).toEqual(['Q']);
  });

  it('names a Fn::GetAtt the type does not have', () => {
    writeAssembly(dir, {
      's-Three': {
        Resources: { Q: { Type: 'AWS::SQS::Queue' } },
        Outputs: { Bad: { Value: { 'Fn::GetAtt': ['Q', 'Colour'] } } },
      },
    });
    expect(() => readAssembly(dir, opts)).toThrow(/Q\.Colour: AWS::SQS::Queue has no attribute Colour/);
  });

  it('resolves a dynamic SSM reference from a parameter of the assembly', () => {
    writeAssembly(dir, {
      's-Four': {
        Resources: {
          P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/lab/mode', Type: 'String', Value: 'fast' } },
        },
        Outputs: { Mode: { Value: 'mode={{resolve:ssm:/lab/mode}}' } },
      },
    });
    expect(readAssembly(dir, opts).stacks[0]?.outputs[0]?.value).toBe('mode=fast');
  });
});
