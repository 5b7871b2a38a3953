import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CloudFormationClient,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import type { AssemblyModel } from '../../../local/assembly/model';
import { readAssembly } from '../../../local/assembly/read-assembly';
import { type Endpoint, startEndpoint } from '../../../local/endpoint/server';
import { cloudFormationService } from '../../../local/engine/cloudformation-service';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const DEPLOYED_AT = new Date('2026-03-01T12:00:00.000Z');

const TEMPLATES: Record<string, unknown> = {
  'alice-Queues': {
    Description: 'Queue pattern',
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    },
    Outputs: {
      QueueUrl: { Value: { Ref: 'Queue' }, Description: 'Where to send orders', Export: { Name: 'alice-QueueUrl' } },
      QueueArn: { Value: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
    },
  },
  'alice-Topics': { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } },
};

describe('the local CloudFormation API', () => {
  let dir: string;
  let endpoint: Endpoint;
  let cfn: CloudFormationClient;
  let model: AssemblyModel | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-test-'));
    const artifacts: Record<string, unknown> = {};
    for (const [name, template] of Object.entries(TEMPLATES)) {
      fs.writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(template));
      artifacts[name] = { type: 'aws:cloudformation:stack', properties: { templateFile: `${name}.template.json` } };
    }
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
    endpoint = await startEndpoint({ port: 0, region: REGION, accountId: ACCOUNT });
    model = readAssembly(dir, { region: REGION, accountId: ACCOUNT, endpointUrl: endpoint.url });
    endpoint.addService(cloudFormationService({ model: () => model, deployedAt: () => DEPLOYED_AT }));
    cfn = new CloudFormationClient({
      endpoint: endpoint.url,
      region: REGION,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    cfn.destroy();
    await endpoint.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const queues = () => model?.stacks.find((s) => s.stackName === 'alice-Queues');

  it('describes one stack with its resolved outputs', async () => {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: 'alice-Queues' }));
    const queue = queues()?.queues[0];
    expect(out.Stacks).toEqual([
      expect.objectContaining({
        StackName: 'alice-Queues',
        StackId: queues()?.stackId,
        Description: 'Queue pattern',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: DEPLOYED_AT,
        Outputs: [
          {
            OutputKey: 'QueueUrl',
            OutputValue: queue?.url,
            Description: 'Where to send orders',
            ExportName: 'alice-QueueUrl',
          },
          { OutputKey: 'QueueArn', OutputValue: queue?.arn },
        ],
      }),
    ]);
  });

  it('describes every stack when no name is given', async () => {
    const out = await cfn.send(new DescribeStacksCommand({}));
    expect(out.Stacks?.map((s) => s.StackName)).toEqual(['alice-Queues', 'alice-Topics']);
  });

  it('finds a stack by its stack id', async () => {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: queues()?.stackId }));
    expect(out.Stacks?.[0]?.StackName).toBe('alice-Queues');
  });

  it('answers ValidationError for a stack that does not exist', async () => {
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'bob-Queues' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id bob-Queues does not exist',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('lists the stacks as CREATE_COMPLETE', async () => {
    const out = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE'] }));
    expect(out.StackSummaries?.map((s) => [s.StackName, s.StackStatus])).toEqual([
      ['alice-Queues', 'CREATE_COMPLETE'],
      ['alice-Topics', 'CREATE_COMPLETE'],
    ]);
    const none = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }));
    expect(none.StackSummaries ?? []).toEqual([]);
  });

  it('lists stack resources, applied ones with the reason', async () => {
    const out = await cfn.send(new ListStackResourcesCommand({ StackName: 'alice-Queues' }));
    expect(out.StackResourceSummaries).toEqual([
      expect.objectContaining({
        LogicalResourceId: 'Queue',
        PhysicalResourceId: queues()?.queues[0]?.url,
        ResourceType: 'AWS::SQS::Queue',
        ResourceStatus: 'CREATE_COMPLETE',
      }),
      expect.objectContaining({
        LogicalResourceId: 'Role',
        ResourceType: 'AWS::IAM::Role',
        ResourceStatus: 'CREATE_COMPLETE',
        ResourceStatusReason: "Applied locally: evaluated by the engine's IAM (npm start -- --no-iam turns it off)",
      }),
    ]);
    expect(out.StackResourceSummaries?.[0]?.ResourceStatusReason).toBeUndefined();
  });

  it('describes the resources of a stack, or one by logical id', async () => {
    const all = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'alice-Queues' }));
    expect(all.StackResources?.map((r) => r.LogicalResourceId)).toEqual(['Queue', 'Role']);
    const one = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: 'alice-Queues', LogicalResourceId: 'Queue' }),
    );
    expect(one.StackResources).toEqual([
      expect.objectContaining({ StackName: 'alice-Queues', LogicalResourceId: 'Queue', Timestamp: DEPLOYED_AT }),
    ]);
  });

  it('finds the stack of a physical resource id', async () => {
    const topicArn = model?.stacks[1]?.topics[0]?.arn;
    const out = await cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: topicArn }));
    expect(out.StackResources?.map((r) => [r.StackName, r.LogicalResourceId])).toEqual([['alice-Topics', 'Topic']]);
  });

  it('describes one stack resource, and rejects an unknown logical id', async () => {
    const out = await cfn.send(
      new DescribeStackResourceCommand({ StackName: 'alice-Topics', LogicalResourceId: 'Topic' }),
    );
    expect(out.StackResourceDetail).toMatchObject({
      LogicalResourceId: 'Topic',
      PhysicalResourceId: model?.stacks[1]?.topics[0]?.arn,
      ResourceType: 'AWS::SNS::Topic',
      ResourceStatus: 'CREATE_COMPLETE',
    });
    await expect(
      cfn.send(new DescribeStackResourceCommand({ StackName: 'alice-Topics', LogicalResourceId: 'Nope' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Resource Nope does not exist for stack alice-Topics',
    });
  });

  it('lists exports', async () => {
    const out = await cfn.send(new ListExportsCommand({}));
    expect(out.Exports).toEqual([
      { ExportingStackId: queues()?.stackId, Name: 'alice-QueueUrl', Value: queues()?.queues[0]?.url },
    ]);
  });

  it('serves the model current at the time of the request', async () => {
    const saved = model;
    model = undefined;
    try {
      const out = await cfn.send(new DescribeStacksCommand({}));
      expect(out.Stacks ?? []).toEqual([]);
    } finally {
      model = saved;
    }
  });
});
