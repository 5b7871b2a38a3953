import fc from 'fast-check';
import type { AssemblyModel } from '../../local/assembly/model';

/**
 * Malformed-request generators for every protocol the local endpoint speaks, shared by the seeded
 * slice in `npm test` (test/fuzz/endpoint-fuzz.test.ts) and the long run (`npm run fuzz`).
 */

/** The wire protocols of the endpoint, plus the API Gateway stage routes. */
export type Protocol = 'json-1.0' | 'json-1.1' | 'query' | 'rest-xml' | 'rest-json' | 'apigateway';

/** One request as bytes on the wire: sent over a raw socket, so nothing is normalized on the way. */
export interface FuzzRequest {
  /** The service or route family, for the report (`sqs`, `s3`, `apigateway`, …). */
  readonly target: string;
  readonly protocol: Protocol;
  readonly method: string;
  /** Path and query exactly as sent, malformed escapes included. */
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** What the generator did to it, for a failure message. */
  readonly note: string;
}

/**
 * `slice` keeps to inputs the engine is known to answer correctly, so `npm test` stays green while
 * known findings are fixed elsewhere (DynamoDB `null` bodies, S3 path escapes, copy sources, long
 * keys and large XML); `full` sends everything.
 */
export type FuzzMode = 'slice' | 'full';

/** Names of deployed resources, so generated requests reach real code paths. */
export interface FuzzTargets {
  readonly queueUrls: readonly string[];
  readonly topicArns: readonly string[];
  readonly buckets: readonly string[];
  readonly tables: readonly string[];
  readonly streamArns: readonly string[];
  readonly kinesisStreams: readonly string[];
  readonly functions: readonly string[];
  /** API Gateway stage paths (`/restapis/<id>/<stage>/_user_request_`) with their resource paths. */
  readonly stages: ReadonlyArray<{ readonly prefix: string; readonly resources: readonly string[] }>;
}

/** The deployed names of an assembly, for {@link requestArbitrary}. */
export function targetsOf(model: AssemblyModel | undefined): FuzzTargets {
  const stacks = model?.stacks ?? [];
  return {
    queueUrls: stacks.flatMap((s) => s.queues.map((q) => q.url)),
    topicArns: stacks.flatMap((s) => s.topics.map((t) => t.arn)),
    buckets: stacks.flatMap((s) => s.buckets.map((b) => b.name)),
    tables: stacks.flatMap((s) => s.tables.map((t) => t.name)),
    streamArns: stacks.flatMap((s) => s.tables.flatMap((t) => (t.streamArn ? [t.streamArn] : []))),
    kinesisStreams: stacks.flatMap((s) => s.kinesisStreams.map((k) => k.name)),
    functions: stacks.flatMap((s) => s.functions.map((f) => f.name)),
    stages: stacks.flatMap((s) =>
      s.restApis.flatMap((api) =>
        api.stages.map((stage) => ({
          prefix: new URL(stage.url).pathname.replace(/\/$/, ''),
          resources: [...new Set(api.routes.map((r) => r.resourcePath))],
        })),
      ),
    ),
  };
}

const REGION = 'us-east-1';
const MiB = 1024 * 1024;

/** Body ceilings of local/endpoint/request-limits.ts, to send bodies at and just above them. */
export const BODY_LIMITS: Readonly<Record<string, number>> = {
  lambda: 6_291_456,
  sqs: 8 * MiB,
  sns: 1 * MiB,
  kinesis: 16 * MiB,
  dynamodb: 32 * MiB,
  dynamodbstreams: 1 * MiB,
  ssm: 1 * MiB,
  cloudformation: 1 * MiB,
  apigateway: 10 * MiB,
};

function authorization(signingName: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20260101/${REGION}/${signingName}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

const pick = <T>(items: readonly T[], fallback: T): fc.Arbitrary<T> =>
  items.length > 0 ? fc.constantFrom(...items) : fc.constant(fallback);

/** Values of the wrong type for any member. */
const confusedValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 40 }),
  fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.string({ maxLength: 5 })), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.constant(null)), { maxKeys: 3 }),
  fc.string({ minLength: 1, maxLength: 3 }).map((s) => s.repeat(3000)),
);

/** A JSON body made from a plausible input: intact, truncated, type-confused, or not JSON at all. */
function jsonBody(input: Record<string, unknown>, mode: FuzzMode, allowNull: boolean): fc.Arbitrary<[Buffer, string]> {
  const text = JSON.stringify(input);
  const topLevel = allowNull || mode === 'full' ? [null, [], 0, 'text', true] : [[], 0, 'text', true];
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<[Buffer, string]>([Buffer.from(text), 'plausible JSON']) },
    {
      weight: 2,
      arbitrary: fc
        .integer({ min: 0, max: Math.max(0, text.length - 1) })
        .map((n): [Buffer, string] => [Buffer.from(text.slice(0, n)), `JSON truncated at ${n}`]),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...topLevel)
        .map((v): [Buffer, string] => [Buffer.from(JSON.stringify(v)), `top-level ${JSON.stringify(v)}`]),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...Object.keys(input), 'Unknown'), confusedValue)
        .map(([key, value]): [Buffer, string] => [
          Buffer.from(JSON.stringify({ ...input, [key]: value })),
          `member ${key} confused`,
        ]),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 2048 })
        .map((bytes): [Buffer, string] => [Buffer.from(bytes), `${bytes.length} random bytes`]),
    },
    { weight: 1, arbitrary: fc.constant<[Buffer, string]>([Buffer.alloc(0), 'empty body']) },
  );
}

/** A body at or just above a ceiling, sent rarely: they are large. */
function atLimit(limit: number): fc.Arbitrary<[Buffer, string]> {
  return fc
    .constantFrom(limit, limit + 1)
    .map((n): [Buffer, string] => [Buffer.alloc(n, 0x61), `${n}-byte body (limit ${limit})`]);
}

interface JsonService {
  readonly target: string;
  readonly version: '1.0' | '1.1';
  readonly signing: string;
  readonly prefix: string;
  readonly operations: readonly string[];
  readonly input: (t: FuzzTargets) => fc.Arbitrary<Record<string, unknown>>;
  /** Whether a top-level `null` body is answered (dynalite hangs on it; fixed on another branch). */
  readonly nullSafe: boolean;
}

const JSON_SERVICES: readonly JsonService[] = [
  {
    target: 'sqs',
    version: '1.0',
    signing: 'sqs',
    prefix: 'AmazonSQS',
    operations: [
      'SendMessage',
      'ReceiveMessage',
      'GetQueueAttributes',
      'SendMessageBatch',
      'ListQueues',
      'GetQueueUrl',
      'ChangeMessageVisibility',
      'CreateQueue',
    ],
    input: (t) =>
      pick(t.queueUrls, 'http://127.0.0.1/000000000000/none').map((QueueUrl) => ({
        QueueUrl,
        MessageBody: 'fuzz',
        MaxNumberOfMessages: 1,
        Entries: [{ Id: '1', MessageBody: 'fuzz' }],
        QueueName: 'fuzz-queue',
      })),
    nullSafe: true,
  },
  {
    target: 'dynamodb',
    version: '1.0',
    signing: 'dynamodb',
    prefix: 'DynamoDB_20120810',
    operations: ['GetItem', 'PutItem', 'Query', 'Scan', 'DescribeTable', 'ListTables', 'UpdateItem', 'BatchGetItem'],
    input: (t) =>
      pick(t.tables, 'none').map((TableName) => ({
        TableName,
        Key: { pk: { S: 'fuzz' } },
        Item: { pk: { S: 'fuzz' } },
        Limit: 1,
        RequestItems: { [TableName]: { Keys: [{ pk: { S: 'fuzz' } }] } },
      })),
    nullSafe: false,
  },
  {
    target: 'dynamodbstreams',
    version: '1.0',
    signing: 'dynamodb',
    prefix: 'DynamoDBStreams_20120810',
    operations: ['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords'],
    input: (t) =>
      pick(t.streamArns, 'arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/x').map((StreamArn) => ({
        StreamArn,
        ShardId: 'shardId-00000000000000000000-00000000',
        ShardIteratorType: 'TRIM_HORIZON',
        ShardIterator: 'AAAA',
        Limit: 10,
      })),
    nullSafe: true,
  },
  {
    target: 'kinesis',
    version: '1.1',
    signing: 'kinesis',
    prefix: 'Kinesis_20131202',
    operations: [
      'PutRecord',
      'PutRecords',
      'DescribeStream',
      'ListShards',
      'GetShardIterator',
      'ListStreams',
      'DescribeStreamSummary',
    ],
    input: (t) =>
      pick(t.kinesisStreams, 'none').map((StreamName) => ({
        StreamName,
        Data: 'ZnV6eg==',
        PartitionKey: 'fuzz',
        Records: [{ Data: 'ZnV6eg==', PartitionKey: 'fuzz' }],
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'LATEST',
      })),
    nullSafe: true,
  },
  {
    target: 'ssm',
    version: '1.1',
    signing: 'ssm',
    prefix: 'AmazonSSM',
    operations: ['GetParameter', 'GetParameters', 'PutParameter', 'GetParametersByPath', 'DescribeParameters'],
    input: () =>
      fc.constant({
        Name: '/fuzz/param',
        Names: ['/fuzz/param'],
        Value: 'v',
        Type: 'String',
        Path: '/fuzz',
        Overwrite: true,
      }),
    nullSafe: true,
  },
];

/** An operation name: a real one, an unknown one, or garbage. */
function operation(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
}

/** Headers to add: none, a huge one, many, or one with bytes outside ASCII. */
const extraHeaders: fc.Arbitrary<[Array<[string, string]>, string]> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<[Array<[string, string]>, string]>([[], '']) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 8 * 1024, max: 40 * 1024 })
      .map((n): [Array<[string, string]>, string] => [[['x-fuzz-big', 'b'.repeat(n)]], `${n}-byte header`]),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 50, max: 300 })
      .map((n): [Array<[string, string]>, string] => [
        Array.from({ length: n }, (_, i): [string, string] => [`x-fuzz-${i}`, String(i)]),
        `${n} headers`,
      ]),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes): [Array<[string, string]>, string] => [
      [
        [
          'x-fuzz-garbled',
          Buffer.from(bytes)
            .toString('latin1')
            .replace(/[\r\n]/g, ' '),
        ],
      ],
      'garbled header value',
    ]),
  },
);

function jsonRequest(service: JsonService, targets: FuzzTargets, mode: FuzzMode): fc.Arbitrary<FuzzRequest> {
  const body = service
    .input(targets)
    .chain((input) =>
      fc.oneof(
        { weight: 30, arbitrary: jsonBody(input, mode, service.nullSafe) },
        { weight: 1, arbitrary: atLimit(BODY_LIMITS[service.target]!) },
      ),
    );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant(`application/x-amz-json-${service.version}`) },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json', '') },
  );
  const target = fc.oneof(
    { weight: 8, arbitrary: operation(service.operations).map((op) => `${service.prefix}.${op}`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'Nope.Nothing', `${service.prefix}.`, service.prefix) },
  );
  return fc
    .record({ body, contentType, target, extra: extraHeaders })
    .map(({ body: [bytes, note], contentType: type, target: amzTarget, extra }) => ({
      target: service.target,
      protocol: `json-${service.version}` as Protocol,
      method: 'POST',
      path: '/',
      headers: [
        ['authorization', authorization(service.signing)],
        ['x-amz-date', '20260101T000000Z'],
        ['x-amz-target', amzTarget],
        ...(type ? ([['content-type', type]] as Array<[string, string]>) : []),
        ...extra[0],
      ],
      body: bytes,
      note: [amzTarget, note, extra[1]].filter(Boolean).join('; '),
    }));
}

/** Form-encoded Query bodies (SNS, CloudFormation). */
function queryRequest(
  target: 'sns' | 'cloudformation',
  actions: readonly string[],
  params: (t: FuzzTargets) => fc.Arbitrary<Record<string, string>>,
  targets: FuzzTargets,
): fc.Arbitrary<FuzzRequest> {
  const form = fc.record({ action: operation(actions), params: params(targets) }).chain(({ action, params: p }) => {
    const text = new URLSearchParams({ Action: action, Version: '2010-03-31', ...p }).toString();
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant<[Buffer, string]>([Buffer.from(text), `Action=${action}`]) },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 0, max: text.length })
          .map((n): [Buffer, string] => [Buffer.from(`${text.slice(0, n)}%zz%E0%A4%A&%`), 'broken escapes']),
      },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ maxLength: 1024 }).map((b): [Buffer, string] => [Buffer.from(b), 'random bytes']),
      },
      {
        weight: 1,
        arbitrary: fc.constant<[Buffer, string]>([Buffer.from(JSON.stringify(p)), 'JSON instead of a form']),
      },
      { weight: 1, arbitrary: fc.constant<[Buffer, string]>([Buffer.alloc(0), 'no Action']) },
    );
  });
  const body = fc.oneof({ weight: 30, arbitrary: form }, { weight: 1, arbitrary: atLimit(BODY_LIMITS[target]!) });
  return fc.record({ body, extra: extraHeaders }).map(({ body: [bytes, note], extra }) => ({
    target,
    protocol: 'query' as Protocol,
    method: 'POST',
    path: '/',
    headers: [
      ['authorization', authorization(target)],
      ['x-amz-date', '20260101T000000Z'],
      ['content-type', 'application/x-www-form-urlencoded; charset=utf-8'],
      ...extra[0],
    ],
    body: bytes,
    note: [note, extra[1]].filter(Boolean).join('; '),
  }));
}

/** A path segment: plain, unicode, long, or with a malformed percent-escape. */
function segment(mode: FuzzMode, escapes = true): fc.Arbitrary<string> {
  const plain = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/);
  const arbitraries: Array<fc.WeightedArbitrary<string>> = [
    { weight: 4, arbitrary: plain },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }).map((s) => encodeURIComponent(s)) },
    { weight: 1, arbitrary: fc.integer({ min: 65, max: mode === 'full' ? 1100 : 200 }).map((n) => 'k'.repeat(n)) },
  ];
  if (escapes) {
    arbitraries.push({
      weight: 2,
      arbitrary: fc
        .tuple(plain, fc.constantFrom('%zz', '%', '%E0%A4%A', '%C0%AF', '%00', '%ff%fe'))
        .map(([p, e]) => p + e),
    });
  }
  return fc.oneof(...arbitraries);
}

function s3Request(targets: FuzzTargets, mode: FuzzMode): fc.Arbitrary<FuzzRequest> {
  const full = mode === 'full';
  const subresource = fc.constantFrom(
    '',
    '?uploads',
    '?delete',
    '?tagging',
    '?acl',
    '?list-type=2&max-keys=abc',
    '?notification',
    '?versioning',
    '?uploadId=zz&partNumber=-1',
    '?list-type=2&prefix=%zz',
  );
  const xml = fc.oneof(
    fc.constant('<Delete><Object><Key>a</Key></Object>'),
    fc.constant('<Tagging><TagSet><Tag><Key>k</Key><Value>v'),
    fc.constant('<<<>>>'),
    fc.integer({ min: 1, max: full ? 20_000 : 50 }).map((n) => `<Delete>${'<Object><Key>k</Key></Object>'.repeat(n)}`),
  );
  const body = fc.oneof(
    fc.constant(''),
    xml,
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b).toString('latin1')),
  );
  const headers = fc.oneof(
    { weight: 6, arbitrary: fc.constant<Array<[string, string]>>([]) },
    {
      weight: full ? 2 : 0,
      arbitrary: fc.constantFrom<Array<[string, string]>>(
        [['x-amz-copy-source', '%zz/%zz']],
        [['x-amz-copy-source', 'nobucket']],
      ),
    },
    { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['content-md5', 'not-md5']]) },
    {
      weight: 1,
      arbitrary: fc.constant<Array<[string, string]>>([['x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD']]),
    },
    { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['range', 'bytes=zz-']]) },
  );
  return fc
    .record({
      method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD'),
      bucket: fc.oneof(pick(targets.buckets, 'none'), segment(mode, full)),
      key: fc.option(fc.array(segment(mode, full), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'))),
      subresource,
      body,
      headers,
      extra: extraHeaders,
    })
    .map(({ method, bucket, key, subresource: sub, body: b, headers: h, extra }) => ({
      target: 's3',
      protocol: 'rest-xml' as Protocol,
      method,
      path: `/${bucket}${key === null ? '' : `/${key}`}${sub}`,
      headers: [
        ['authorization', authorization('s3')],
        ['x-amz-date', '20260101T000000Z'],
        ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'],
        ...h,
        ...extra[0],
      ],
      body: Buffer.from(b, 'latin1'),
      note: [`${method} ${sub || 'object'}`, h.map(([n]) => n).join(','), extra[1]].filter(Boolean).join('; '),
    }));
}

function lambdaRequest(targets: FuzzTargets, mode: FuzzMode): fc.Arbitrary<FuzzRequest> {
  const name = fc.oneof(
    { weight: 2, arbitrary: pick(targets.functions, 'none') },
    { weight: 3, arbitrary: segment(mode) },
  );
  const route = name.chain((fn) =>
    fc.constantFrom(
      ['POST', `/2015-03-31/functions/${fn}/invocations`],
      ['GET', `/2015-03-31/functions/${fn}`],
      ['GET', `/2015-03-31/functions/${fn}/configuration`],
      ['GET', `/2015-03-31/functions/?MaxItems=${fn.length % 3 === 0 ? '-1' : 'abc'}`],
      ['GET', `/2015-03-31/event-source-mappings/${fn}`],
      ['GET', `/2015-03-31/event-source-mappings/?FunctionName=${fn}`],
      ['GET', `/2019-09-25/functions/${fn}/event-invoke-config`],
      ['DELETE', `/2015-03-31/functions/${fn}`],
      ['GET', `/2015-03-31/nothing/${fn}`],
    ),
  );
  const invokeHeaders = fc.record({
    // Invocations run real functions: most requests only validate (DryRun) or are refused.
    type: fc.constantFrom('DryRun', 'DryRun', 'DryRun', 'Event', 'RequestResponse', 'Bogus'),
    log: fc.constantFrom('None', 'Tail', 'Everything'),
    context: fc.oneof(
      fc.constant(''),
      fc.constant('not base64!'),
      fc.constant(Buffer.from('{"custom":{}}').toString('base64')),
      fc.constant('A'.repeat(4000)),
    ),
  });
  const body = fc.oneof(
    { weight: 30, arbitrary: jsonBody({ orderId: 'fuzz', items: [{ sku: 'a', quantity: 1 }] }, mode, true) },
    { weight: 1, arbitrary: atLimit(BODY_LIMITS.lambda!) },
  );
  return fc
    .record({ route, invokeHeaders, body, extra: extraHeaders })
    .map(({ route: [method, path], invokeHeaders: h, body: [bytes, note], extra }) => ({
      target: 'lambda',
      protocol: 'rest-json' as Protocol,
      method,
      path,
      headers: [
        ['authorization', authorization('lambda')],
        ['x-amz-date', '20260101T000000Z'],
        ['content-type', 'application/json'],
        ['x-amz-invocation-type', h.type],
        ['x-amz-log-type', h.log],
        ...(h.context ? ([['x-amz-client-context', h.context]] as Array<[string, string]>) : []),
        ...extra[0],
      ],
      body: method === 'POST' ? bytes : Buffer.alloc(0),
      note: [`${method} ${path}`, `type ${h.type}`, method === 'POST' ? note : '', extra[1]].filter(Boolean).join('; '),
    }));
}

function apiGatewayRequest(targets: FuzzTargets, mode: FuzzMode): fc.Arbitrary<FuzzRequest> {
  const stage = pick(targets.stages, { prefix: '/restapis/none/prod/_user_request_', resources: ['/'] });
  const path = stage.chain((s) =>
    fc
      .record({
        prefix: fc.oneof(
          { weight: 5, arbitrary: fc.constant(s.prefix) },
          { weight: 1, arbitrary: fc.constant('/restapis/nope/dev/_user_request_') },
        ),
        resource: fc.constantFrom(...s.resources),
        fill: segment(mode),
        query: fc.constantFrom('', '?a=1&a=2', '?%zz=%zz', '?x=' + 'q'.repeat(2000)),
      })
      .map(({ prefix, resource, fill, query }) => `${prefix}${resource.replace(/\{[^}]+\}/g, fill)}${query}`),
  );
  const body = fc.oneof(
    { weight: 30, arbitrary: jsonBody({ customerId: 'c-1', items: [{ sku: 'sku-1', quantity: 1 }] }, mode, true) },
    { weight: mode === 'full' ? 1 : 0, arbitrary: atLimit(BODY_LIMITS.apigateway!) },
  );
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
      path,
      body,
      extra: extraHeaders,
    })
    .map(({ method, path: p, body: [bytes, note], extra }) => ({
      target: 'apigateway',
      protocol: 'apigateway' as Protocol,
      method,
      path: p,
      headers: [['content-type', 'application/json'], ...extra[0]],
      body: method === 'GET' || method === 'OPTIONS' ? Buffer.alloc(0) : bytes,
      note: [`${method} ${p.slice(0, 120)}`, note, extra[1]].filter(Boolean).join('; '),
    }));
}

/** Unsigned requests for no service, and paths with broken escapes under the lab API. */
function strayRequest(mode: FuzzMode): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'BREW'),
      path: fc.oneof(
        segment(mode).map((s) => `/${s}`),
        segment(mode).map((s) => `/_lab/events/${s}`),
        fc.constantFrom('/_lab/events?limit=abc', '/_lab/events?source=%zz', '/_lab/stacks', '/_lab/functions'),
      ),
      body: fc.uint8Array({ maxLength: 512 }),
    })
    .map(({ method, path, body }) => ({
      target: 'unsigned',
      protocol: 'rest-json' as Protocol,
      method,
      path,
      headers: [],
      body: Buffer.from(body),
      note: `${method} ${path}`,
    }));
}

/** Every kind of malformed request, across every protocol, in proportion. */
export function requestArbitrary(targets: FuzzTargets, mode: FuzzMode): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    ...JSON_SERVICES.map((s) => ({ weight: 2, arbitrary: jsonRequest(s, targets, mode) })),
    {
      weight: 2,
      arbitrary: queryRequest(
        'sns',
        ['Publish', 'ListTopics', 'GetTopicAttributes', 'Subscribe', 'PublishBatch', 'ListSubscriptionsByTopic'],
        (t) =>
          pick(t.topicArns, 'arn:aws:sns:us-east-1:000000000000:none').map((TopicArn) => ({
            TopicArn,
            Message: 'fuzz',
            Subject: 's',
          })),
        targets,
      ),
    },
    {
      weight: 1,
      arbitrary: queryRequest(
        'cloudformation',
        ['DescribeStacks', 'ListStacks', 'DescribeStackResources', 'ListExports'],
        () => fc.constant({ StackName: 'fuzz' }),
        targets,
      ),
    },
    { weight: 2, arbitrary: s3Request(targets, mode) },
    { weight: 2, arbitrary: lambdaRequest(targets, mode) },
    { weight: 2, arbitrary: apiGatewayRequest(targets, mode) },
    { weight: 1, arbitrary: strayRequest(mode) },
  );
}
