import type { FunctionModel, StackIamModel } from '../../../local/assembly/model';
import type { DestinationMessage, DestinationSender } from '../../../local/async/destination-sender';
import type { InvocationOutcome, Invoker } from '../../../local/core/contracts';
import {
  permittedGatewayInvoker,
  permittedQueue,
  permittedSender,
  permittedSnsDeadLetters,
} from '../../../local/engine/iam-wiring';
import { LocalIam } from '../../../local/iam';

const ACCOUNT = '000000000000';
const FN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fn`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/fn-role`;
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq`;
const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:topic`;
const fn = { name: 'fn', arn: FN_ARN, roleArn: ROLE_ARN } as FunctionModel;

function iamWith(iam: Partial<StackIamModel>): LocalIam {
  const empty: StackIamModel = {
    roles: [],
    policies: [],
    managedPolicies: [],
    resourcePolicies: [],
    lambdaPermissions: [],
  };
  return new LocalIam({
    region: 'us-east-1',
    accountId: ACCOUNT,
    stacks: [{ functions: [fn], iam: { ...empty, ...iam } }],
  });
}

const role = (statements: unknown[]): Partial<StackIamModel> => ({
  roles: [
    {
      logicalId: 'Role',
      name: 'fn-role',
      arn: ROLE_ARN,
      policies: [{ source: 'role', document: { Statement: statements } }],
      managedPolicyArns: [],
    },
  ],
});

const permission = (principal: string, sourceArn: string): StackIamModel['lambdaPermissions'][number] => ({
  source: 'permission',
  functionName: FN_ARN,
  action: 'lambda:InvokeFunction',
  principal,
  sourceArn,
});

class RecordingSender implements DestinationSender {
  readonly sent: string[] = [];
  async send(targetArn: string, _message: DestinationMessage): Promise<void> {
    this.sent.push(targetArn);
  }
}

describe('API Gateway invoking a function', () => {
  const calls: string[] = [];
  const invoker: Invoker = {
    invoke: async (name) => {
      calls.push(name);
      return {} as InvocationOutcome;
    },
  };
  const event = (method: string, path: string) =>
    JSON.stringify({ httpMethod: method, path, requestContext: { apiId: 'api1', stage: 'dev' } });
  const iam = iamWith({
    lambdaPermissions: [
      permission('apigateway.amazonaws.com', `arn:aws:execute-api:us-east-1:${ACCOUNT}:api1/dev/GET/orders/*`),
    ],
  });
  const gateway = permittedGatewayInvoker(invoker, iam, () => FN_ARN, { region: 'us-east-1', accountId: ACCOUNT });

  it('invokes a method the permission names', async () => {
    // GIVEN a permission for GET /orders/* WHEN GET /orders/1 is integrated THEN the function runs
    await gateway.invoke('fn', event('GET', '/orders/1'), { eventId: 'e1', source: 'apigateway' });
    expect(calls).toEqual(['fn']);
  });

  it('refuses a method the permission does not name, without running the function', async () => {
    // GIVEN the same permission WHEN POST /orders is integrated THEN Lambda refuses the service principal
    calls.length = 0;
    await expect(
      gateway.invoke('fn', event('POST', '/orders'), { eventId: 'e2', source: 'apigateway' }),
    ).rejects.toThrow(
      `User: apigateway.amazonaws.com is not authorized to perform: lambda:InvokeFunction on resource: ${FN_ARN} because no resource-based policy allows the lambda:InvokeFunction action`,
    );
    expect(calls).toEqual([]);
  });
});

describe('S3 and SNS queueing an asynchronous invocation', () => {
  const queued: string[] = [];
  const queue = { enqueue: (name: string) => (queued.push(name), { eventId: 'e', requestId: 'r' }) };

  it('queues an SNS message when the function allows the topic', () => {
    // GIVEN a permission for SNS from the topic
    const iam = iamWith({ lambdaPermissions: [permission('sns.amazonaws.com', TOPIC_ARN)] });
    // WHEN the topic's message is queued THEN it is
    permittedQueue(queue as never, iam, () => FN_ARN, ACCOUNT).enqueue('fn', '{}', {
      source: 'sns',
      resource: TOPIC_ARN,
    });
    expect(queued).toEqual(['fn']);
  });

  it('refuses an S3 event when the only permission is for SNS', () => {
    // GIVEN a permission for SNS only
    const iam = iamWith({ lambdaPermissions: [permission('sns.amazonaws.com', TOPIC_ARN)] });
    // WHEN a bucket's event is queued THEN it is refused with AccessDeniedException
    const enqueue = () =>
      permittedQueue(queue as never, iam, () => FN_ARN, ACCOUNT).enqueue('fn', '{}', {
        source: 's3',
        resource: 'arn:aws:s3:::files',
      });
    expect(enqueue).toThrow(expect.objectContaining({ name: 'AccessDeniedException' }));
  });
});

describe('destinations sent with the execution role', () => {
  const record = JSON.stringify({ requestContext: { functionArn: `${FN_ARN}:$LATEST` } });

  it('refuses a destination record the role may not send', async () => {
    // GIVEN a role without sqs:SendMessage on the destination
    const sender = new RecordingSender();
    const iam = iamWith(role([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: `${QUEUE_ARN}-other` }]));
    // WHEN the record is sent THEN it is refused and nothing reaches the queue
    await expect(permittedSender(sender, () => iam).send(QUEUE_ARN, { body: record })).rejects.toThrow(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/fn-role/fn is not authorized to perform: sqs:SendMessage on resource: ${QUEUE_ARN}`,
    );
    expect(sender.sent).toEqual([]);
  });

  it('sends a destination record the role may send', async () => {
    // GIVEN a role with sqs:SendMessage on the destination
    const sender = new RecordingSender();
    const iam = iamWith(role([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE_ARN }]));
    // WHEN the record is sent THEN it reaches the queue
    await permittedSender(sender, () => iam).send(QUEUE_ARN, { body: record });
    expect(sender.sent).toEqual([QUEUE_ARN]);
  });
});

describe("SNS sending to a subscription's dead-letter queue", () => {
  const body = JSON.stringify({ TopicArn: TOPIC_ARN, Message: 'm' });
  const policy = (sourceArn: string): Partial<StackIamModel> => ({
    resourcePolicies: [
      {
        source: 'queue-policy',
        resourceArns: [QUEUE_ARN],
        document: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: QUEUE_ARN,
              Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } },
            },
          ],
        },
      },
    ],
  });

  it('delivers when the queue policy allows SNS for the topic', async () => {
    // GIVEN the CDK's queue policy for the topic WHEN SNS dead-letters a message THEN it arrives
    const sender = new RecordingSender();
    await permittedSnsDeadLetters(sender, iamWith(policy(TOPIC_ARN)), ACCOUNT).send(QUEUE_ARN, { body });
    expect(sender.sent).toEqual([QUEUE_ARN]);
  });

  it('refuses when the queue policy names another topic', async () => {
    // GIVEN a policy for another topic WHEN SNS dead-letters a message THEN it is refused
    const sender = new RecordingSender();
    const send = permittedSnsDeadLetters(sender, iamWith(policy(`${TOPIC_ARN}-other`)), ACCOUNT).send(QUEUE_ARN, {
      body,
    });
    await expect(send).rejects.toThrow(expect.objectContaining({ name: 'AccessDeniedException' }));
  });
});
