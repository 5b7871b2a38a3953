/**
 * Issue "Local engine core": the project's own stacks deployed on the engine, driven with the real
 * `@aws-sdk/client-lambda` and `@aws-sdk/client-cloudformation` over HTTP.
 */
import { DescribeStackResourcesCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  apiGatewayEvent,
  dynamoDbStreamEvent,
  kinesisEvent,
  s3ObjectCreatedEvent,
  snsEvent,
  sqsEvent,
} from '../lambda/events';
import { eventually, startLab, type Lab } from './harness';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
}, 180_000);

afterAll(async () => {
  await lab?.stop();
});

const decoder = new TextDecoder();
interface ProxyResult {
  readonly statusCode: number;
  readonly body: string;
}
const payloadOf = (out: InvokeCommandOutput): unknown => JSON.parse(decoder.decode(out.Payload));
const createEventFor = (body: unknown) =>
  apiGatewayEvent({
    resource: '/orders',
    path: '/orders',
    httpMethod: 'POST',
    body: JSON.stringify(body),
    requestId: randomUUID(),
  });
const createOrderEvent = (body: unknown) => Buffer.from(JSON.stringify(createEventFor(body)));

function invokeCreateOrder(body: unknown, extra: Partial<ConstructorParameters<typeof InvokeCommand>[0]> = {}) {
  return lab.lambda.send(
    new InvokeCommand({
      FunctionName: lab.outputs.RequestResponse.CreateOrderFunctionName,
      Payload: createOrderEvent(body),
      ...extra,
    }),
  );
}

describe('the Lambda API', () => {
  it('lists every function of the four stacks with its template settings', async () => {
    // WHEN
    const { Functions = [] } = await lab.lambda.send(new ListFunctionsCommand({}));
    // THEN
    const names = Functions.map((f) => f.FunctionName);
    for (const key of ['CreateOrderFunctionName', 'GetOrderFunctionName']) {
      expect(names).toContain(lab.outputs.RequestResponse[key]);
    }
    expect(names).toContain(lab.outputs.AsyncEvents.FileFunctionName);
    expect(names).toContain(lab.outputs.StreamPolling.ChangesFunctionName);
    expect(names).toContain(lab.outputs.QueuePolling.FifoFunctionName);
    expect(Functions).toHaveLength(8);
    for (const fn of Functions) {
      expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', Architectures: ['arm64'] });
      expect(fn.Environment?.Variables?.ORDERS_TABLE_NAME).toMatch(/^e2e-/);
    }
  });

  it('invokes every function directly with an event of its own source, and each records its order', async () => {
    // GIVEN one order per function, and the file function's object in the bucket under orders/, the only prefix
    // its role may read (as on AWS); the upload's own notification has run before the direct invoke
    const id = randomUUID();
    const order = (fn: string) => ({ orderId: `${fn}-${id}`, item: 'direct', quantity: 1 });
    const fileKey = `orders/direct-${id}.json`;
    await lab.s3.send(
      new PutObjectCommand({
        Bucket: lab.outputs.AsyncEvents.BucketName,
        Key: fileKey,
        Body: JSON.stringify(order('file')),
      }),
    );
    await eventually(
      async () =>
        (await lab.events({ source: 's3' })).find((e) => e.summary?.includes(fileKey) && e.status === 'succeeded'),
      20_000,
      `the notification of ${fileKey}`,
    );
    const { RequestResponse: rr, AsyncEvents: ae, StreamPolling: sp, QueuePolling: qp } = lab.outputs;
    const cases: ReadonlyArray<readonly [string | undefined, string | undefined, unknown, string]> = [
      [rr.CreateOrderFunctionName, rr.OrdersTableName, createEventFor(order('create')), order('create').orderId],
      [
        ae.FileFunctionName,
        ae.OrdersTableName,
        s3ObjectCreatedEvent({ bucket: ae.BucketName, key: fileKey }),
        order('file').orderId,
      ],
      [
        ae.NotificationFunctionName,
        ae.OrdersTableName,
        snsEvent({ message: JSON.stringify(order('sns')), topicArn: ae.TopicArn }),
        order('sns').orderId,
      ],
      [
        sp.StreamFunctionName,
        sp.OrdersTableName,
        kinesisEvent([{ data: JSON.stringify(order('kinesis')), sequenceNumber: '1' }], { streamArn: sp.StreamArn }),
        order('kinesis').orderId,
      ],
      [
        sp.ChangesFunctionName,
        sp.OrdersTableName,
        dynamoDbStreamEvent(
          [
            {
              eventName: 'INSERT',
              keys: { orderId: order('changes').orderId },
              newImage: order('changes'),
              sequenceNumber: '1',
            },
          ],
          { streamArn: sp.IntakeTableStreamArn },
        ),
        order('changes').orderId,
      ],
      [
        qp.QueueFunctionName,
        qp.OrdersTableName,
        sqsEvent([{ messageId: `m-${id}`, body: JSON.stringify(order('queue')) }], { queueArn: qp.QueueArn }),
        order('queue').orderId,
      ],
      [
        qp.FifoFunctionName,
        qp.OrdersTableName,
        sqsEvent([{ messageId: `f-${id}`, body: JSON.stringify(order('fifo')), messageGroupId: 'g' }], {
          queueArn: qp.FifoQueueArn,
        }),
        order('fifo').orderId,
      ],
    ];
    for (const [functionName, table, event, orderId] of cases) {
      // WHEN the function is invoked synchronously with it
      const out = await lab.lambda.send(
        new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }),
      );
      // THEN it succeeds and its order is in its stack's table
      expect({ functionName, error: out.FunctionError }).toEqual({ functionName, error: undefined });
      const stored = await lab.dynamodb.send(new GetCommand({ TableName: table, Key: { orderId } }));
      expect({ functionName, orderId: stored.Item?.orderId }).toEqual({ functionName, orderId });
    }
    // Seven cold starts in a row: slow on a busy machine.
  }, 60_000);

  it('gets one function with its code location in cdk.out', async () => {
    const out = await lab.lambda.send(
      new GetFunctionCommand({ FunctionName: lab.outputs.QueuePolling.QueueFunctionArn }),
    );
    expect(out.Configuration?.FunctionName).toBe(lab.outputs.QueuePolling.QueueFunctionName);
    expect(out.Code?.Location).toContain(`${path.sep}cdk.out.e2e${path.sep}asset.`);
  });

  it('records an order with a synchronous invoke whose function reaches the local DynamoDB', async () => {
    // GIVEN
    const orderId = `core-${randomUUID()}`;
    // WHEN
    const out = await invokeCreateOrder({ orderId, item: 'book', quantity: 2 });
    // THEN
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(payloadOf(out)).toMatchObject({ statusCode: 201 });
    const stored = await lab.dynamodb.send(
      new GetCommand({ TableName: lab.outputs.RequestResponse.OrdersTableName, Key: { orderId } }),
    );
    expect(stored.Item).toMatchObject({ orderId, item: 'book', quantity: 2, source: 'api' });
  });

  it('records a duplicate order once and replays the first result, marked duplicate', async () => {
    // GIVEN an order that was recorded
    const orderId = `dup-${randomUUID()}`;
    const first = payloadOf(await invokeCreateOrder({ orderId, item: 'pen', quantity: 1 })) as ProxyResult;
    const stored = await lab.dynamodb.send(
      new GetCommand({ TableName: lab.outputs.RequestResponse.OrdersTableName, Key: { orderId } }),
    );
    // WHEN the same order id arrives again
    const second = payloadOf(await invokeCreateOrder({ orderId, item: 'pen', quantity: 1 })) as ProxyResult;
    // THEN the idempotency record answers and the table still holds the first write
    expect(first.statusCode).toBe(201);
    expect(JSON.parse(first.body)).toEqual({ orderId, source: 'api', status: 'recorded' });
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(second.body)).toEqual({ orderId, source: 'api', status: 'duplicate' });
    const after = await lab.dynamodb.send(
      new GetCommand({ TableName: lab.outputs.RequestResponse.OrdersTableName, Key: { orderId } }),
    );
    expect(after.Item).toEqual(stored.Item);
  });

  it('answers a function error with 200, X-Amz-Function-Error Unhandled and the Node.js error object', async () => {
    const out = await invokeCreateOrder({ item: 'book', quantity: 1, drill: 'error' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const error = payloadOf(out) as { errorType: string; errorMessage: string; trace: string[] };
    expect(error.errorType).toBe('DrillError');
    expect(error.errorMessage).toContain('error');
    expect(Array.isArray(error.trace)).toBe(true);
    expect(error.trace[0]).toContain('DrillError');
  });

  it('fails the first attempt of an error-once order and succeeds on the next invoke', async () => {
    const orderId = `once-${randomUUID()}`;
    const first = await invokeCreateOrder({ orderId, item: 'cup', quantity: 1, drill: 'error-once' });
    const second = await invokeCreateOrder({ orderId, item: 'cup', quantity: 1, drill: 'error-once' });
    expect(first.FunctionError).toBe('Unhandled');
    expect(second.FunctionError).toBeUndefined();
    expect(payloadOf(second)).toMatchObject({ statusCode: 201 });
  });

  it('stops a function at its timeout with the Sandbox.Timedout error and keeps serving', async () => {
    // GIVEN the create-order function's timeout from its configuration
    const { Configuration } = await lab.lambda.send(
      new GetFunctionCommand({ FunctionName: lab.outputs.RequestResponse.CreateOrderFunctionName }),
    );
    const timeout = Configuration?.Timeout ?? 0;
    // WHEN
    const started = Date.now();
    const out = await invokeCreateOrder({ item: 'clock', quantity: 1, drill: 'timeout' }, { LogType: 'Tail' });
    // THEN
    expect(Date.now() - started).toBeGreaterThanOrEqual(timeout * 1000 - 50);
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(
        new RegExp(`^RequestId: [0-9a-f-]{36} Error: Task timed out after ${timeout}\\.00 seconds$`),
      ),
    });
    const log = Buffer.from(out.LogResult!, 'base64').toString('utf8');
    expect(log).toMatch(/Task timed out after \d+\.\d{2} seconds/);
    // AND the engine still serves the same function
    const after = await invokeCreateOrder({ item: 'book', quantity: 1 });
    expect(after.FunctionError).toBeUndefined();
  }, 30_000);

  it('returns the last 4 KB of the log, base64, with LogType Tail', async () => {
    const out = await invokeCreateOrder({ item: 'book', quantity: 3 }, { LogType: 'Tail' });
    const log = Buffer.from(out.LogResult!, 'base64').toString('utf8');
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(4096);
    expect(log).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(log).toMatch(/END RequestId: [0-9a-f-]{36}/);
    expect(log).toMatch(
      /REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: \d+ MB/,
    );
  });

  it('answers DryRun with 204 without running the function', async () => {
    const before = (await lab.events({ source: 'invoke' })).length;
    const out = await invokeCreateOrder({ item: 'book', quantity: 1 }, { InvocationType: 'DryRun' });
    expect(out.StatusCode).toBe(204);
    expect((await lab.events({ source: 'invoke' })).length).toBe(before);
  });

  it('accepts an Event invoke with 202 and runs the function in the background', async () => {
    const orderId = `event-${randomUUID()}`;
    const out = await invokeCreateOrder({ orderId, item: 'lamp', quantity: 1 }, { InvocationType: 'Event' });
    expect(out.StatusCode).toBe(202);
    const stored = await eventually(async () => {
      const res = await lab.dynamodb.send(
        new GetCommand({ TableName: lab.outputs.RequestResponse.OrdersTableName, Key: { orderId } }),
      );
      return res.Item;
    });
    expect(stored).toMatchObject({ orderId, source: 'api' });
  });

  it('answers an unknown function with ResourceNotFoundException (404)', async () => {
    await expect(
      lab.lambda.send(new InvokeCommand({ FunctionName: 'nope', Payload: Buffer.from('{}') })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers a payload that is not JSON with InvalidRequestContentException (400)', async () => {
    await expect(
      lab.lambda.send(
        new InvokeCommand({
          FunctionName: lab.outputs.RequestResponse.GetOrderFunctionName,
          Payload: Buffer.from('{oops'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException', $metadata: { httpStatusCode: 400 } });
  });

  it('answers a payload over 6 MB with 413 RequestEntityTooLargeException', async () => {
    const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(6_291_456) }));
    await expect(
      lab.lambda.send(
        new InvokeCommand({ FunctionName: lab.outputs.RequestResponse.GetOrderFunctionName, Payload: big }),
      ),
    ).rejects.toMatchObject({ name: 'RequestEntityTooLargeException', $metadata: { httpStatusCode: 413 } });
  });

  it('lists and gets the event source mappings with their template settings', async () => {
    const { EventSourceMappings = [] } = await lab.lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: lab.outputs.QueuePolling.QueueFunctionName }),
    );
    expect(EventSourceMappings).toHaveLength(1);
    const mapping = await lab.lambda.send(new GetEventSourceMappingCommand({ UUID: EventSourceMappings[0]!.UUID! }));
    expect(mapping).toMatchObject({
      EventSourceArn: lab.outputs.QueuePolling.QueueArn,
      State: 'Enabled',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('the CloudFormation API', () => {
  it('resolves stack outputs to local values that work', async () => {
    // THEN the API URL output points at the local gateway
    expect(lab.outputs.RequestResponse.ApiUrl).toMatch(
      new RegExp(`^${lab.url}/restapis/[a-z0-9]+/[a-z]+/_user_request_/$`),
    );
    const res = await fetch(`${lab.outputs.RequestResponse.OrdersEndpoint}/does-not-exist`);
    expect(res.status).toBe(404);
    // AND the queue URL output is a queue on the endpoint
    const attrs = await lab.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: lab.outputs.QueuePolling.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    expect(attrs.Attributes?.QueueArn).toBe(lab.outputs.QueuePolling.QueueArn);
  });

  it('maps logical ids to physical ids and lists skipped resources', async () => {
    const stackName = 'e2e-QueuePolling';
    const { StackResourceSummaries = [] } = await lab.cloudformation.send(
      new ListStackResourcesCommand({ StackName: stackName }),
    );
    const queue = StackResourceSummaries.find((r) => r.PhysicalResourceId === lab.outputs.QueuePolling.QueueUrl);
    expect(queue?.ResourceType).toBe('AWS::SQS::Queue');
    expect(StackResourceSummaries.some((r) => r.ResourceType === 'AWS::IAM::Role')).toBe(true);
    const { StackResources = [] } = await lab.cloudformation.send(
      new DescribeStackResourcesCommand({ StackName: stackName, LogicalResourceId: queue?.LogicalResourceId ?? '' }),
    );
    expect(StackResources[0]?.PhysicalResourceId).toBe(lab.outputs.QueuePolling.QueueUrl);
  });
});

describe('the event timeline', () => {
  it('records each invocation with its outcome, duration and cold or warm start', async () => {
    const orderId = `timeline-${randomUUID()}`;
    await invokeCreateOrder({ orderId, item: 'book', quantity: 1 });
    const events = await lab.events({
      function: lab.outputs.RequestResponse.CreateOrderFunctionName,
      source: 'invoke',
    });
    const attempt = events[0]!.steps.find((s) => s.kind === 'attempt');
    expect(events[0]!.status).toBe('succeeded');
    expect(attempt).toMatchObject({ attempt: 1, outcome: 'success', coldStart: expect.any(Boolean) });
    expect(attempt!.durationMs).toBeGreaterThan(0);
    expect(attempt!.logTail).toContain('REPORT RequestId');
  });

  it('streams timeline changes as server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${lab.url}/_lab/events/stream`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await invokeCreateOrder({ item: 'book', quantity: 1 });
    let text = '';
    while (!text.includes('event: change')) text += decoder.decode((await reader.read()).value);
    controller.abort();
    expect(text).toContain('"kind":"received"');
  });
});

describe('the health check', () => {
  it('says ok only once the four stacks are deployed, and lists them', async () => {
    const res = await fetch(`${lab.url}/_lab/health`);
    const body = (await res.json()) as { status: string; deployment: { state: string; stacks: string[] } };

    expect(res.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.deployment.state).toBe('ready');
    expect([...body.deployment.stacks].sort()).toEqual(
      ['AsyncEvents', 'QueuePolling', 'RequestResponse', 'StreamPolling'].map((p) => `e2e-${p}`),
    );
  });
});
