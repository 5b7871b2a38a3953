/**
 * Typed builders of the events each source sends to Lambda: the one place event shapes are written down. The
 * handler tests build their events here, and the stacks build the Lambda console's shareable test events here,
 * so what the console offers is what the tests prove the handlers accept.
 *
 * Pure functions: every id and time is a parameter with a fixed default, so two calls build the same event.
 * Names and ARNs may be CloudFormation tokens (the stacks pass their resources'): they are only copied into
 * strings, never parsed.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
import { createHash } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import type {
  APIGatewayProxyEvent,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
  S3Event,
  SNSEvent,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import type { AttributeValue as StreamAttributeValue } from 'aws-lambda/trigger/dynamodb-stream';

/** Region and account of every built event. */
export const REGION = 'us-east-1';
/** Account of every built event. */
export const ACCOUNT = '123456789012';
/** A fixed instant: 2026-01-15T10:00:00.000Z. */
export const FIXED_TIME_MS = Date.UTC(2026, 0, 15, 10, 0, 0);

/** Options of {@link apiGatewayEvent}. */
export interface ApiEventOptions {
  readonly httpMethod: 'GET' | 'POST';
  /** Resource template, e.g. `/orders/{orderId}`. */
  readonly resource: string;
  /** Concrete path, e.g. `/orders/o-1`. */
  readonly path: string;
  readonly body?: string | null;
  readonly pathParameters?: Record<string, string> | null;
  readonly queryStringParameters?: Record<string, string> | null;
  readonly requestId?: string;
  readonly stage?: string;
  /** The REST API id. @default 'abc123defg' */
  readonly apiId?: string;
  readonly timeMs?: number;
}

/** An API Gateway REST (v1) Lambda proxy event . */
export function apiGatewayEvent(options: ApiEventOptions): APIGatewayProxyEvent {
  const requestId = options.requestId ?? 'b7f4c1d2-api0-4000-8000-000000000001';
  const stage = options.stage ?? 'dev';
  const apiId = options.apiId ?? 'abc123defg';
  const timeMs = options.timeMs ?? FIXED_TIME_MS;
  const headers = options.body ? { 'content-type': 'application/json' } : {};
  const query = options.queryStringParameters ?? null;
  return {
    resource: options.resource,
    path: options.path,
    httpMethod: options.httpMethod,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: ACCOUNT,
      apiId,
      authorizer: null,
      domainName: `${apiId}.execute-api.${REGION}.amazonaws.com`,
      domainPrefix: apiId,
      extendedRequestId: 'Ext3nded=',
      httpMethod: options.httpMethod,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.10',
        user: null,
        userAgent: 'curl/8.5.0',
        userArn: null,
      },
      path: `/${stage}${options.path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: '15/Jan/2026:10:00:00 +0000',
      requestTimeEpoch: timeMs,
      resourceId: 'res123',
      resourcePath: options.resource,
      stage,
    },
  };
}

/** Options of {@link s3ObjectCreatedEvent}. */
export interface S3EventOptions {
  readonly bucket?: string;
  /** The object key as S3 sends it: form-encoded (space → `+`). */
  readonly key: string;
  readonly size?: number;
  readonly sequencer?: string;
  readonly eTag?: string;
  readonly timeMs?: number;
}

/** An `s3:ObjectCreated:Put` notification with one record . */
export function s3ObjectCreatedEvent(options: S3EventOptions): S3Event {
  const bucket = options.bucket ?? 'test-bucket';
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: REGION,
        eventTime: new Date(options.timeMs ?? FIXED_TIME_MS).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
        requestParameters: { sourceIPAddress: '203.0.113.10' },
        responseElements: {
          'x-amz-request-id': 'C3D13FE58DE4C810',
          'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'orders-created',
          bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKEXAMPLE' }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: options.key,
            size: options.size ?? 64,
            eTag: options.eTag ?? 'd41d8cd98f00b204e9800998ecf8427e',
            sequencer: options.sequencer ?? '0055AED6DCD90281E5',
          },
        },
      },
    ],
  };
}

/** Options of {@link snsEvent}. */
export interface SnsEventOptions {
  readonly message: string;
  readonly messageId?: string;
  readonly topicArn?: string;
  readonly subject?: string;
  readonly timeMs?: number;
}

/** An SNS notification with one record . */
export function snsEvent(options: SnsEventOptions): SNSEvent {
  const topicArn = options.topicArn ?? `arn:aws:sns:${REGION}:${ACCOUNT}:orders`;
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:21be56ed-a058-49f5-8c98-aedd2564c486`,
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: '1',
          Timestamp: new Date(options.timeMs ?? FIXED_TIME_MS).toISOString(),
          Signature: 'EXAMPLE',
          SigningCertUrl: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-example.pem`,
          MessageId: options.messageId ?? '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          Message: options.message,
          MessageAttributes: {},
          Type: 'Notification',
          UnsubscribeUrl: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe`,
          TopicArn: topicArn,
          Subject: options.subject ?? 'order',
        },
      },
    ],
  };
}

/** One Kinesis record to build: the data as UTF-8 text (it is sent base64-encoded). */
export interface KinesisRecordInput {
  readonly data: string;
  readonly sequenceNumber: string;
  readonly partitionKey?: string;
}

/** A Kinesis batch from one shard . */
export function kinesisEvent(
  records: readonly KinesisRecordInput[],
  options: { readonly streamArn?: string; readonly shardId?: string; readonly arrivalMs?: number } = {},
): KinesisStreamEvent {
  const streamArn = options.streamArn ?? `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/orders`;
  const shardId = options.shardId ?? 'shardId-000000000000';
  return {
    Records: records.map((r, index): KinesisStreamRecord => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.partitionKey ?? 'orders',
        sequenceNumber: r.sequenceNumber,
        data: Buffer.from(r.data, 'utf8').toString('base64'),
        approximateArrivalTimestamp: ((options.arrivalMs ?? FIXED_TIME_MS) + index) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${r.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
      awsRegion: REGION,
      eventSourceARN: streamArn,
    })),
  };
}

/** One DynamoDB stream record to build: images as plain objects (marshalled here). */
export interface TableChangeInput {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly keys: Record<string, unknown>;
  readonly newImage?: Record<string, unknown>;
  readonly oldImage?: Record<string, unknown>;
  readonly sequenceNumber: string;
}

/** Marshals a plain object into the stream's attribute-value shape. */
function streamImage(value: Record<string, unknown>): Record<string, StreamAttributeValue> {
  // @aws-sdk/util-dynamodb and @types/aws-lambda describe the same wire shape with separate types
  return marshall(value, { removeUndefinedValues: true }) as Record<string, StreamAttributeValue>;
}

/** A DynamoDB Streams batch with NEW_AND_OLD_IMAGES . */
export function dynamoDbStreamEvent(
  changes: readonly TableChangeInput[],
  options: { readonly streamArn?: string; readonly createdSeconds?: number } = {},
): DynamoDBStreamEvent {
  const streamArn =
    options.streamArn ?? `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/intake/stream/2026-01-15T10:00:00.000`;
  return {
    Records: changes.map((c): DynamoDBRecord => ({
      eventID: `event-${c.sequenceNumber}`,
      eventName: c.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      eventSourceARN: streamArn,
      dynamodb: {
        ApproximateCreationDateTime: options.createdSeconds ?? FIXED_TIME_MS / 1000,
        Keys: streamImage(c.keys),
        ...(c.newImage ? { NewImage: streamImage(c.newImage) } : {}),
        ...(c.oldImage ? { OldImage: streamImage(c.oldImage) } : {}),
        SequenceNumber: c.sequenceNumber,
        SizeBytes: 64,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    })),
  };
}

/** One SQS message to build. */
export interface QueueMessageInput {
  readonly messageId: string;
  readonly body: string;
  /** `ApproximateReceiveCount`. @default 1 */
  readonly receiveCount?: number;
  /** FIFO only: the message group. */
  readonly messageGroupId?: string;
}

/** An SQS batch ; FIFO attributes are added when the ARN ends in `.fifo`. */
export function sqsEvent(
  messages: readonly QueueMessageInput[],
  options: {
    readonly queueArn?: string;
    readonly sentMs?: number;
    /** Add the FIFO attributes; say so when the ARN is a token. @default the ARN ends in `.fifo` */
    readonly fifo?: boolean;
  } = {},
): SQSEvent {
  const queueArn = options.queueArn ?? `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`;
  const fifo = options.fifo ?? queueArn.endsWith('.fifo');
  const sent = String(options.sentMs ?? FIXED_TIME_MS);
  return {
    Records: messages.map((m, index): SQSRecord => ({
      messageId: m.messageId,
      receiptHandle: `AQEB-receipt-${m.messageId}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount ?? 1),
        SentTimestamp: sent,
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: sent,
        ...(fifo
          ? {
              MessageGroupId: m.messageGroupId ?? 'group-1',
              MessageDeduplicationId: createHash('sha256').update(m.body).digest('hex'),
              SequenceNumber: String(18849496460467696128n + BigInt(index)),
            }
          : {}),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: REGION,
    })),
  };
}
