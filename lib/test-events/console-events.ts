/**
 * The Lambda console's shareable test events of each function: one per drill, in the exact event shape of the
 * function's source, built with the same builders the handler tests use.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/testing-functions.html#creating-shareable-events
 */
import {
  apiGatewayEvent,
  dynamoDbStreamEvent,
  kinesisEvent,
  s3ObjectCreatedEvent,
  snsEvent,
  sqsEvent,
} from './builders';

/** The drills every function gets a test event for (the README's "Failure drills"). */
export const TEST_EVENT_DRILLS = ['success', 'error', 'error-once', 'timeout', 'invalid-payload', 'duplicate'] as const;

/** One test event per drill; the name is what the console lists. */
export type TestEventDrill = (typeof TEST_EVENT_DRILLS)[number];

/** How a function is invoked, hence the shape of its event. */
export type SourceKind = 'api-post' | 'api-get' | 's3' | 'sns' | 'kinesis' | 'dynamodb' | 'sqs' | 'sqs-fifo';

/** The deployed resources an event names (CloudFormation tokens in the stacks). */
export interface SourceResources {
  /** Order ids of the events start with `console-<label>-`, so two functions of a stack never share one. */
  readonly label: string;
  readonly stage?: string;
  readonly apiId?: string;
  readonly bucketName?: string;
  readonly topicArn?: string;
  readonly streamArn?: string;
  readonly queueArn?: string;
}

/** The order object a drill sends (`invalid-payload` lacks the required quantity; `duplicate` repeats success). */
export function drillOrder(drill: TestEventDrill, label: string): Record<string, unknown> {
  const orderId = `console-${label}-${drill === 'duplicate' ? 'success' : drill}`;
  switch (drill) {
    case 'success':
    case 'duplicate':
      return { orderId, item: 'coffee beans', quantity: 2 };
    case 'invalid-payload':
      return { orderId, item: 'coffee beans' };
    default:
      return { orderId, item: 'coffee beans', quantity: 1, drill };
  }
}

/**
 * The S3 objects the file processor's test events name, by key: outside `orders/`, so uploading them does not
 * trigger the function; the test events point the function at them directly.
 */
export function s3TestObjects(label: string): Record<string, string> {
  return Object.fromEntries(
    TEST_EVENT_DRILLS.map((drill) => [s3TestObjectKey(label, drill), JSON.stringify(drillOrder(drill, label))]),
  );
}

/** The key of a drill's S3 test object. */
export const s3TestObjectKey = (label: string, drill: TestEventDrill): string => `test-events/${label}/${drill}.json`;

const must = (value: string | undefined, what: string, kind: SourceKind): string => {
  if (value === undefined) throw new Error(`test events of a ${kind} function need ${what}`);
  return value;
};

/** The event of one drill for a function invoked by `kind`. */
export function consoleTestEvent(kind: SourceKind, drill: TestEventDrill, r: SourceResources): unknown {
  const order = drillOrder(drill, r.label);
  const text = JSON.stringify(order);
  const seq = (n: number): string => String(49_650_000_000_000_000_000_000_000_000_000_000_000_000_000n + BigInt(n));
  // A duplicate reaches a batch function twice in one batch: one record is recorded, the other is a duplicate
  const copies = drill === 'duplicate' ? 2 : 1;
  switch (kind) {
    case 'api-post':
      return apiGatewayEvent({
        httpMethod: 'POST',
        resource: '/orders',
        path: '/orders',
        body: text,
        stage: r.stage,
        apiId: r.apiId,
      });
    case 'api-get': {
      const orderId = drill === 'invalid-payload' ? 'not a valid id' : String(drillOrder('success', 'api').orderId);
      const query = ['error', 'error-once', 'timeout'].includes(drill) ? { drill } : null;
      return apiGatewayEvent({
        httpMethod: 'GET',
        resource: '/orders/{orderId}',
        path: `/orders/${encodeURIComponent(orderId)}`,
        pathParameters: { orderId },
        queryStringParameters: query,
        stage: r.stage,
        apiId: r.apiId,
      });
    }
    case 's3':
      return s3ObjectCreatedEvent({
        bucket: must(r.bucketName, 'bucketName', kind),
        key: s3TestObjectKey(r.label, drill),
      });
    case 'sns':
      return snsEvent({ message: text, topicArn: must(r.topicArn, 'topicArn', kind) });
    case 'kinesis':
      return kinesisEvent(
        Array.from({ length: copies }, (_, i) => ({ data: text, sequenceNumber: seq(i), partitionKey: 'orders' })),
        { streamArn: must(r.streamArn, 'streamArn', kind) },
      );
    case 'dynamodb':
      return dynamoDbStreamEvent(
        Array.from({ length: copies }, (_, i) => ({
          eventName: i === 0 ? ('INSERT' as const) : ('MODIFY' as const),
          keys: { orderId: order['orderId'] },
          newImage: order,
          sequenceNumber: seq(i),
        })),
        { streamArn: must(r.streamArn, 'streamArn', kind) },
      );
    case 'sqs':
    case 'sqs-fifo':
      return sqsEvent(
        Array.from({ length: copies }, (_, i) => ({
          messageId: `0c8e5a43-4f0b-4d6e-9a1d-00000000000${i}`,
          body: text,
          ...(kind === 'sqs-fifo' && { messageGroupId: 'console' }),
        })),
        { queueArn: must(r.queueArn, 'queueArn', kind), fifo: kind === 'sqs-fifo' },
      );
  }
}

/** Every drill's event for a function invoked by `kind`, by test event name. */
export function consoleTestEvents(kind: SourceKind, resources: SourceResources): Record<TestEventDrill, unknown> {
  return Object.fromEntries(TEST_EVENT_DRILLS.map((d) => [d, consoleTestEvent(kind, d, resources)])) as Record<
    TestEventDrill,
    unknown
  >;
}
