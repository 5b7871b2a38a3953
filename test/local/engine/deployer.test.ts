import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { GetBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AssemblyModel, EventSourceMappingModel, FunctionModel } from '../../../local/assembly/model';
import { readAssembly } from '../../../local/assembly/read-assembly';
import { type Endpoint, startEndpoint } from '../../../local/endpoint/server';
import { dynamodbServices } from '../../../local/endpoint/services/dynamodb';
import { kinesisService } from '../../../local/endpoint/services/kinesis';
import { s3Service } from '../../../local/endpoint/services/s3';
import { snsService } from '../../../local/endpoint/services/sns';
import { sqsService } from '../../../local/endpoint/services/sqs';
import { secretsManagerService } from '../../../local/endpoint/services/secrets-manager';
import { ssmService } from '../../../local/endpoint/services/ssm';
import { type DeployProgress, type DeployResult, deploy, undeploy } from '../../../local/engine/deployer';
import { queueCreationOrder, queueCreationWaves, substituteValues } from '../../../local/engine/deploy-plan';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

const fnArn = { 'Fn::GetAtt': ['Handler', 'Arn'] };

/** A stack with one of each resource the deployer creates; the DLQ is declared after its queue. */
const TEMPLATE = {
  Resources: {
    Queue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        VisibilityTimeout: 60,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['DeadLetters', 'Arn'] }, maxReceiveCount: 3 },
      },
    },
    DeadLetters: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
    Fifo: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, ContentBasedDeduplication: true } },
    Topic: { Type: 'AWS::SNS::Topic' },
    Subscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'Topic' },
        Protocol: 'lambda',
        Endpoint: fnArn,
        FilterPolicy: { kind: ['order'] },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['DeadLetters', 'Arn'] } },
      },
    },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        NotificationConfiguration: {
          LambdaConfigurations: [
            {
              Event: 's3:ObjectCreated:*',
              Function: fnArn,
              Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'orders/' }] } },
            },
          ],
        },
      },
    },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    },
    Stream: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2 } },
    Setting: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/deploy/setting', Type: 'String', Value: 'on' } },
    Key: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true } },
    },
    Handler: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'aws:asset:path': 'code' },
      Properties: {
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Environment: {
          Variables: {
            STREAM_ARN: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
            QUEUE_URL: { Ref: 'Queue' },
            KEY_ARN: { Ref: 'Key' },
          },
        },
      },
    },
    QueueMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { FunctionName: { Ref: 'Handler' }, EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
    },
    TableMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        FunctionName: { Ref: 'Handler' },
        EventSourceArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
        StartingPosition: 'LATEST',
      },
    },
  },
  Outputs: { StreamArn: { Value: { 'Fn::GetAtt': ['Table', 'StreamArn'] } } },
};

describe('deploy', () => {
  let dir: string;
  let endpoint: Endpoint;
  let model: AssemblyModel;
  let result: DeployResult;
  let progress: DeployProgress[];
  const calls: string[] = [];
  const functions: FunctionModel[] = [];
  const mappings: EventSourceMappingModel[] = [];
  let config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deployer-test-'));
    fs.mkdirSync(path.join(dir, 'code'));
    fs.writeFileSync(path.join(dir, 'code', 'index.js'), 'exports.handler = async () => ({});');
    fs.writeFileSync(path.join(dir, 'd-Stack.template.json'), JSON.stringify(TEMPLATE));
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        version: '55.0.0',
        artifacts: {
          'd-Stack': { type: 'aws:cloudformation:stack', properties: { templateFile: 'd-Stack.template.json' } },
        },
      }),
    );
    const [dynamodb, streams] = dynamodbServices();
    endpoint = await startEndpoint({
      port: 0,
      region: REGION,
      accountId: ACCOUNT,
      services: [
        sqsService(),
        snsService(),
        ssmService(),
        secretsManagerService(),
        s3Service(),
        kinesisService(),
        dynamodb,
        streams,
      ],
    });
    config = { endpoint: endpoint.url, region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
    model = readAssembly(dir, { region: REGION, accountId: ACCOUNT, endpointUrl: endpoint.url });
    progress = [];
    result = await deploy(model, {
      endpointUrl: endpoint.url,
      onProgress: (p) => progress.push(p),
      registerFunction: (f) => {
        calls.push(`function ${f.logicalId}`);
        functions.push(f);
      },
      registerEventInvokeConfig: (c) => void calls.push(`invoke-config ${c.functionName}`),
      registerRestApi: (a) => void calls.push(`api ${a.logicalId}`),
      registerEventSourceMapping: (m) => {
        calls.push(`mapping ${m.logicalId}`);
        mappings.push(m);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await endpoint.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the queues with their redrive policy and FIFO attributes', async () => {
    const sqs = new SQSClient(config);
    const queue = model.stacks[0]?.queues.find((q) => q.logicalId === 'Queue');
    const dlq = model.stacks[0]?.queues.find((q) => q.logicalId === 'DeadLetters');
    const fifo = model.stacks[0]?.queues.find((q) => q.logicalId === 'Fifo');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue?.url, AttributeNames: ['All'] }));
    expect(attrs.Attributes).toMatchObject({
      VisibilityTimeout: '60',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq?.arn, maxReceiveCount: 3 }),
    });
    const fifoUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: fifo?.name }))).QueueUrl;
    const fifoAttrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: fifoUrl, AttributeNames: ['All'] }));
    expect(fifoAttrs.Attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    sqs.destroy();
  });

  it('subscribes the function to the topic with its filter policy and DLQ', async () => {
    const sns = new SNSClient(config);
    const topic = model.stacks[0]?.topics[0];
    const fn = model.stacks[0]?.functions[0];
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic?.arn }));
    expect(subs.Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([['lambda', fn?.arn]]);
    const attrs = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: subs.Subscriptions?.[0]?.SubscriptionArn }),
    );
    expect(JSON.parse(attrs.Attributes?.FilterPolicy ?? '{}')).toEqual({ kind: ['order'] });
    expect(JSON.parse(attrs.Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: model.stacks[0]?.queues.find((q) => q.logicalId === 'DeadLetters')?.arn,
    });
    sns.destroy();
  });

  it('puts the bucket notification configuration', async () => {
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const out = await s3.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: model.stacks[0]?.buckets[0]?.name }),
    );
    expect(out.LambdaFunctionConfigurations).toEqual([
      expect.objectContaining({
        LambdaFunctionArn: model.stacks[0]?.functions[0]?.arn,
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'orders/' }] } },
      }),
    ]);
    s3.destroy();
  });

  it('creates the table with its stream and Time to Live', async () => {
    const ddb = new DynamoDBClient(config);
    const name = model.stacks[0]?.tables[0]?.name;
    const table = (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table;
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
    ddb.destroy();
  });

  it('hands the engine the stream ARN the local DynamoDB reports, in mappings, env vars and outputs', async () => {
    const ddb = new DynamoDBClient(config);
    const name = model.stacks[0]?.tables[0]?.name;
    const actual = (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table?.LatestStreamArn;
    expect(actual).toMatch(/\/stream\//);
    expect(mappings.find((m) => m.logicalId === 'TableMapping')?.eventSourceArn).toBe(actual);
    expect(functions[0]?.environment.STREAM_ARN).toBe(actual);
    expect(result.model.stacks[0]?.outputs[0]?.value).toBe(actual);
    ddb.destroy();
  });

  it('creates the Kinesis stream with its shards, active', async () => {
    const kinesis = new KinesisClient(config);
    const summary = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: model.stacks[0]?.kinesisStreams[0]?.name }),
    );
    expect(summary.StreamDescriptionSummary).toMatchObject({ StreamStatus: 'ACTIVE', OpenShardCount: 2 });
    kinesis.destroy();
  });

  it('puts the SSM parameter', async () => {
    const ssm = new SSMClient(config);
    const out = await ssm.send(new GetParameterCommand({ Name: '/deploy/setting' }));
    expect(out.Parameter).toMatchObject({ Value: 'on', Type: 'String' });
    ssm.destroy();
  });

  it('creates the secret with a value generated by its GenerateSecretString, under the name CloudFormation would give it', async () => {
    const sm = new SecretsManagerClient(config);
    const out = await sm.send(new GetSecretValueCommand({ SecretId: model.stacks[0]?.secrets[0]?.name }));
    expect(out.Name).toMatch(/^Key-[A-Za-z0-9]{12}$/);
    expect(out.SecretString).toMatch(/^[A-Za-z0-9]{40}$/);
    sm.destroy();
  });

  it('hands the function the ARN the local Secrets Manager reports for Ref of the secret', async () => {
    const sm = new SecretsManagerClient(config);
    const out = await sm.send(new GetSecretValueCommand({ SecretId: model.stacks[0]?.secrets[0]?.name }));
    expect(functions[0]?.environment.KEY_ARN).toBe(out.ARN);
    sm.destroy();
  });

  it('registers functions before invoke configs, and mappings last', () => {
    expect(calls).toEqual([
      'function Handler',
      `invoke-config ${model.stacks[0]?.functions[0]?.name}`,
      'mapping QueueMapping',
      'mapping TableMapping',
    ]);
  });

  it('reports progress for each resource, the dead-letter queue before its queue', () => {
    const ids = progress.map((p) => p.logicalId);
    expect(ids.indexOf('DeadLetters')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('DeadLetters')).toBeLessThan(ids.indexOf('Queue'));
    expect(progress.map((p) => p.type)).toEqual(
      expect.arrayContaining([
        'AWS::S3::Bucket',
        'AWS::DynamoDB::Table',
        'AWS::Kinesis::Stream',
        'AWS::SNS::Subscription',
      ]),
    );
    expect(progress.every((p) => p.stackName === 'd-Stack' && p.durationMs >= 0)).toBe(true);
    expect(result.steps).toEqual(progress);
  });

  it('deploys the same model again without errors', async () => {
    const again = await deploy(model, { endpointUrl: endpoint.url });
    const action = (id: string) => again.steps.find((s) => s.logicalId === id)?.action;
    expect(action('Bucket')).toBe('exists');
    expect(action('Table')).toBe('exists');
    expect(action('Stream')).toBe('exists');
    expect(again.model.stacks[0]?.eventSourceMappings).toEqual(result.model.stacks[0]?.eventSourceMappings);
  });

  it('updates a queue an earlier deploy created with other settings', async () => {
    // GIVEN the model with a longer visibility timeout for the queue
    const stack = model.stacks[0];
    if (!stack) throw new Error('no stack');
    const changed: AssemblyModel = {
      ...model,
      stacks: [
        {
          ...stack,
          queues: stack.queues.map((q) => (q.logicalId === 'Queue' ? { ...q, visibilityTimeoutSeconds: 90 } : q)),
        },
      ],
    };
    // WHEN it is deployed  THEN the queue is updated in place
    const out = await deploy(changed, { endpointUrl: endpoint.url });
    expect(out.steps.find((s) => s.logicalId === 'Queue')?.action).toBe('updated');
    const sqs = new SQSClient(config);
    const url = stack.queues.find((q) => q.logicalId === 'Queue')?.url;
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(attrs.Attributes?.VisibilityTimeout).toBe('90');
    sqs.destroy();
  });

  it('names the resource that failed', async () => {
    const stack = model.stacks[0];
    if (!stack) throw new Error('no stack');
    const bad: AssemblyModel = {
      ...model,
      stacks: [{ ...stack, queues: [{ ...stack.queues[0]!, name: 'bad name!' }] }],
    };
    await expect(deploy(bad, { endpointUrl: endpoint.url })).rejects.toThrow(
      /Deploying d-Stack\/\w+ \(AWS::SQS::Queue\) failed/,
    );
  });

  it('undeploys what it created', async () => {
    const steps = await undeploy(model, { endpointUrl: endpoint.url });
    expect(
      steps
        .filter((s) => s.action === 'deleted')
        .map((s) => s.logicalId)
        .sort(),
    ).toEqual(['Bucket', 'DeadLetters', 'Fifo', 'Key', 'Queue', 'Setting', 'Stream', 'Table', 'Topic'].sort());
    const sqs = new SQSClient(config);
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: model.stacks[0]?.queues[0]?.name }))).rejects.toThrow();
    sqs.destroy();
  });
});

describe('deploy plan helpers', () => {
  const queue = (name: string, dlq?: string) =>
    ({
      logicalId: name,
      name,
      arn: `arn:${name}`,
      url: `u/${name}`,
      fifo: false,
      contentBasedDeduplication: false,
      visibilityTimeoutSeconds: 30,
      messageRetentionPeriodSeconds: 345600,
      delaySeconds: 0,
      receiveMessageWaitTimeSeconds: 0,
      ...(dlq && { redrivePolicy: { deadLetterTargetArn: `arn:${dlq}`, maxReceiveCount: 3 } }),
      otherAttributes: {},
    }) as const;

  it('orders dead-letter queues before the queues that redrive to them', () => {
    const order = queueCreationOrder([queue('a', 'b'), queue('b', 'c'), queue('c'), queue('d')]);
    expect(order.map((q) => q.name)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('puts each queue in a wave after its dead-letter queue', () => {
    const waves = queueCreationWaves([queue('a', 'b'), queue('b', 'c'), queue('c'), queue('d')]);
    expect(waves.map((w) => w.map((q) => q.name))).toEqual([['c', 'd'], ['b'], ['a']]);
  });

  it('replaces predicted values everywhere in the model', () => {
    const m = {
      directory: '/x',
      region: 'r',
      accountId: '1',
      stacks: [{ outputs: [{ key: 'K', value: 'see old/1' }] }],
    };
    const out = substituteValues(m as unknown as AssemblyModel, new Map([['old', 'new']]));
    expect(JSON.stringify(out)).toContain('see new/1');
    expect(JSON.stringify(out)).not.toContain('old');
  });
});
