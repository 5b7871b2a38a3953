import '../../lambda/lambda-env';
import Ajv from 'ajv';
import type { Template } from 'aws-cdk-lib/assertions';
import { createHandler as createOrder } from '../../../lambda/create-order/handler';
import { createHandler as getOrder } from '../../../lambda/get-order/handler';
import { createHandler as processChanges } from '../../../lambda/process-order-changes/handler';
import { createHandler as processFile } from '../../../lambda/process-order-file/handler';
import { createHandler as processNotification } from '../../../lambda/process-order-notification/handler';
import { createHandler as processQueue } from '../../../lambda/process-order-queue/handler';
import { createHandler as processStream } from '../../../lambda/process-order-stream/handler';
import { TEST_EVENT_REGISTRY } from '../../../lib/constructs/console-test-events';
import { s3TestObjects, TEST_EVENT_DRILLS, type TestEventDrill } from '../../../lib/test-events/console-events';
import { getAttOf, refOf, renderTokens } from '../../helpers/intrinsics';
import { idOf, synthStacks } from '../../helpers/synth';
import { lambdaContext } from '../../lambda/events';
import { createFakeRuntime, type FakeRuntime } from '../../lambda/fakes';

const { templates } = synthStacks();
type Resource = { readonly Type: string; readonly Properties: Record<string, unknown>; DependsOn?: string[] };
const resourcesOf = (t: Template): Record<string, Resource> => t.toJSON().Resources as Record<string, Resource>;

interface TestEventDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: object;
  readonly components: {
    readonly schemas: { readonly Event: object };
    readonly examples: Record<string, { readonly value: unknown }>;
  };
}

/** How each order function's events are run, and the label its order ids carry. */
const FUNCTIONS = [
  { stack: 'requestResponse', prefix: 'CreateOrderFunction', label: 'api', run: 'api-post' },
  { stack: 'requestResponse', prefix: 'GetOrderFunction', label: 'api', run: 'api-get' },
  { stack: 'asyncEvents', prefix: 'FilesHandler', label: 'file', run: 's3' },
  { stack: 'asyncEvents', prefix: 'NotificationsHandler', label: 'notification', run: 'sns' },
  { stack: 'streamPolling', prefix: 'StreamConsumerHandler', label: 'stream', run: 'kinesis' },
  { stack: 'streamPolling', prefix: 'ChangeConsumerHandler', label: 'changes', run: 'dynamodb' },
  { stack: 'queuePolling', prefix: 'StandardHandler', label: 'queue', run: 'sqs' },
  { stack: 'queuePolling', prefix: 'FifoHandler', label: 'fifo', run: 'sqs' },
] as const;
type FunctionCase = (typeof FUNCTIONS)[number];

const templateOf = (c: FunctionCase): Template => templates[c.stack];
const functionIdOf = (c: FunctionCase): string => idOf(templateOf(c), 'AWS::Lambda::Function', c.prefix);

function schemaOf(c: FunctionCase): Resource {
  const t = templateOf(c);
  const fnRef = { Ref: functionIdOf(c) };
  const found = Object.values(resourcesOf(t)).filter(
    (r) =>
      r.Type === 'AWS::EventSchemas::Schema' &&
      JSON.stringify(r.Properties['SchemaName']) === JSON.stringify({ 'Fn::Join': ['', ['_', fnRef, '-schema']] }),
  );
  if (found.length !== 1) throw new Error(`expected one test-event schema for ${c.prefix}, found ${found.length}`);
  return found[0] as Resource;
}

/** The schema content with `{{Ref:…}}`/`{{GetAtt:…}}` placeholders where the template has tokens. */
const documentOf = (c: FunctionCase): TestEventDocument =>
  JSON.parse(renderTokens(schemaOf(c).Properties['Content'])) as TestEventDocument;

/** Replaces placeholders with values shaped like the deployed ones (a FIFO queue's ARN ends in `.fifo`). */
function deployedValues(c: FunctionCase, value: unknown): unknown {
  const resources = resourcesOf(templateOf(c));
  const text = JSON.stringify(value).replace(
    /\{\{(Ref|GetAtt):([A-Za-z0-9]+)(?:\.(\w+))?\}\}/g,
    (_m, _k, id: string) => {
      const r = resources[id];
      if (id === 'AWS::Region') return 'us-east-1';
      if (r?.Type === 'AWS::SQS::Queue')
        return `arn:aws:sqs:us-east-1:123456789012:${id}${r.Properties?.['FifoQueue'] ? '.fifo' : ''}`;
      return id.toLowerCase();
    },
  );
  return JSON.parse(text);
}

/** Runs one test event through the function's real handler over the in-memory runtime; never throws. */
async function runHandler(c: FunctionCase, event: unknown, fake: FakeRuntime): Promise<unknown> {
  const context = lambdaContext({ remainingTimeMs: 20 });
  const objects = s3TestObjects(c.label);
  const handlers: Record<FunctionCase['run'], (e: never) => Promise<unknown>> = {
    'api-post': (e) => createOrder(fake.runtime)(e, context),
    'api-get': (e) => getOrder(fake.runtime)(e, context),
    s3: (e) => processFile(fake.runtime, async (_b, key) => objects[key] ?? '')(e, context),
    sns: (e) => processNotification(fake.runtime)(e, context),
    kinesis: (e) => processStream(fake.runtime)(e, context),
    dynamodb: (e) => processChanges(fake.runtime)(e, context),
    sqs: (e) => processQueue(fake.runtime)(e, context),
  };
  try {
    return await handlers[c.run](event as never);
  } catch (error) {
    return error;
  }
}

describe('console test events', () => {
  test.each(FUNCTIONS)(
    '$prefix has one schema $_<function>-schema in the console registry, after the registry exists',
    (c) => {
      const schema = schemaOf(c);
      expect(schema.Properties).toMatchObject({ RegistryName: TEST_EVENT_REGISTRY, Type: 'OpenApi3' });
      const ensure = idOf(templateOf(c), 'Custom::AWS', 'TestEventRegistryEnsure');
      expect(schema.DependsOn).toEqual(expect.arrayContaining([ensure]));
    },
  );

  test.each(FUNCTIONS)(
    '$prefix: the content is OpenAPI 3 with one example per drill, each valid for the Event schema',
    (c) => {
      const doc = documentOf(c);
      expect([doc.openapi, doc.info.title, doc.paths]).toEqual(['3.0.0', 'Event', {}]);
      expect(Object.keys(doc.components.examples)).toEqual([...TEST_EVENT_DRILLS]);
      const validate = new Ajv({ strict: false }).compile(doc.components.schemas.Event);
      for (const [name, example] of Object.entries(doc.components.examples)) {
        expect([name, validate(example.value), validate.errors ?? null]).toEqual([name, true, null]);
      }
    },
  );

  test.each(FUNCTIONS)('$prefix: each example is accepted by the handler with the outcome of its drill', async (c) => {
    const doc = documentOf(c);
    const recorded: Record<string, number> = {};
    for (const drill of TEST_EVENT_DRILLS) {
      const fake = createFakeRuntime();
      await runHandler(c, deployedValues(c, doc.components.examples[drill]?.value), fake);
      recorded[drill] = fake.orders.size;
    }
    // GET records nothing; every other function records the success and duplicate orders (the duplicate once)
    const expected = (drill: TestEventDrill): number =>
      c.run === 'api-get' ? 0 : drill === 'success' || drill === 'duplicate' ? 1 : 0;
    expect(recorded).toEqual(Object.fromEntries(TEST_EVENT_DRILLS.map((d) => [d, expected(d)])));
  });

  test('the duplicate event of a batch source carries the same order twice, recorded once', async () => {
    const c = FUNCTIONS[6];
    const fake = createFakeRuntime();
    const event = deployedValues(c, documentOf(c).components.examples['duplicate']?.value) as { Records: unknown[] };
    await runHandler(c, event, fake);
    expect([event.Records.length, fake.orders.size, fake.saveCalls()]).toEqual([2, 1, 1]);
  });

  test('the GET test events answer 404, 400 and the drills as the README says', async () => {
    const c = FUNCTIONS[1];
    const doc = documentOf(c);
    const statusOf = async (drill: TestEventDrill): Promise<unknown> => {
      const out = (await runHandler(
        c,
        deployedValues(c, doc.components.examples[drill]?.value),
        createFakeRuntime(),
      )) as {
        statusCode?: number;
        name?: string;
      };
      return out.statusCode ?? out.name;
    };
    expect([await statusOf('success'), await statusOf('invalid-payload'), await statusOf('error')]).toEqual([
      404,
      400,
      'DrillError',
    ]);
  });
});

describe('test events name the deployed resources', () => {
  const value = (c: FunctionCase, drill: TestEventDrill = 'success') =>
    documentOf(c).components.examples[drill]?.value as Record<string, unknown> & { Records: Record<string, unknown>[] };
  const t = templates;

  test('API events carry the REST API id and stage', () => {
    const event = value(FUNCTIONS[0]) as unknown as { requestContext: { apiId: string; stage: string } };
    const apiId = idOf(t.requestResponse, 'AWS::ApiGateway::RestApi', 'Api');
    expect(event.requestContext).toMatchObject({ apiId: refOf(apiId), stage: 'dev' });
  });

  test('S3 events name the upload bucket and a test object outside orders/', () => {
    const record = value(FUNCTIONS[2]).Records[0] as {
      s3: { bucket: { name: string; arn: string }; object: { key: string } };
    };
    const bucket = idOf(t.asyncEvents, 'AWS::S3::Bucket', 'FilesBucket');
    expect(record.s3.bucket).toMatchObject({ name: refOf(bucket), arn: `arn:aws:s3:::${refOf(bucket)}` });
    expect(record.s3.object.key).toBe('test-events/file/success.json');
  });

  test('SNS events carry the topic ARN', () => {
    const record = value(FUNCTIONS[3]).Records[0] as { Sns: { TopicArn: string } };
    expect(record.Sns.TopicArn).toBe(refOf(idOf(t.asyncEvents, 'AWS::SNS::Topic', 'NotificationsTopic')));
  });

  test('Kinesis events carry the stream ARN and the order base64-encoded', () => {
    const record = value(FUNCTIONS[4]).Records[0] as { eventSourceARN: string; kinesis: { data: string } };
    expect(record.eventSourceARN).toBe(getAttOf(idOf(t.streamPolling, 'AWS::Kinesis::Stream', 'Stream'), 'Arn'));
    expect(JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'))).toEqual({
      orderId: 'console-stream-success',
      item: 'coffee beans',
      quantity: 2,
    });
  });

  test('DynamoDB stream events carry the intake table stream ARN and the order in DynamoDB JSON', () => {
    const record = value(FUNCTIONS[5]).Records[0] as { eventSourceARN: string; dynamodb: { NewImage: unknown } };
    expect(record.eventSourceARN).toBe(getAttOf(idOf(t.streamPolling, 'AWS::DynamoDB::Table', 'Intake'), 'StreamArn'));
    expect(record.dynamodb.NewImage).toEqual({
      orderId: { S: 'console-changes-success' },
      item: { S: 'coffee beans' },
      quantity: { N: '2' },
    });
  });

  test('SQS events carry the queue ARN, and FIFO ones a message group', () => {
    const standard = value(FUNCTIONS[6]).Records[0] as { eventSourceARN: string; attributes: object };
    const fifo = value(FUNCTIONS[7]).Records[0] as { eventSourceARN: string; attributes: object };
    expect(standard.eventSourceARN).toBe(getAttOf(idOf(t.queuePolling, 'AWS::SQS::Queue', 'StandardQueue'), 'Arn'));
    expect(fifo.eventSourceARN).toBe(getAttOf(idOf(t.queuePolling, 'AWS::SQS::Queue', 'FifoQueue'), 'Arn'));
    expect(fifo.attributes).toMatchObject({ MessageGroupId: 'console' });
    expect(standard.attributes).not.toHaveProperty('MessageGroupId');
  });
});

describe('TestEventRegistry', () => {
  test.each(['requestResponse', 'asyncEvents', 'streamPolling', 'queuePolling'] as const)(
    '%s creates the registry only if missing and never deletes it',
    (stack) => {
      const t = templates[stack];
      const id = idOf(t, 'Custom::AWS', 'TestEventRegistryEnsure');
      const props = resourcesOf(t)[id]?.Properties ?? {};
      const create = JSON.parse(renderTokens(props['Create'])) as Record<string, unknown>;
      expect(create).toMatchObject({
        service: 'Schemas',
        action: 'CreateRegistry',
        parameters: { RegistryName: TEST_EVENT_REGISTRY },
        ignoreErrorCodesMatching: 'ConflictException',
      });
      expect(props['Update']).toBeUndefined();
      expect(props['Delete']).toBeUndefined();
    },
  );
});
