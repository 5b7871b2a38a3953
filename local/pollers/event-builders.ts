/**
 * Pure builders of the records Lambda's pollers put in `event.Records`, from what the source APIs
 * return. They take every varying value as an argument, so the same input gives the same record.
 */
import { createHash } from 'node:crypto';

/** An SQS message attribute as `ReceiveMessage` returns it (SDK v3 shape). */
export interface SqsMessageAttributeInput {
  readonly DataType?: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
  readonly StringListValues?: readonly string[];
  readonly BinaryListValues?: readonly Uint8Array[];
}

/** An SQS message as `ReceiveMessage` returns it (SDK v3 shape). */
export interface SqsMessageInput {
  readonly MessageId?: string;
  readonly ReceiptHandle?: string;
  readonly Body?: string;
  readonly MD5OfBody?: string;
  readonly Attributes?: Readonly<Record<string, string | undefined>>;
  readonly MessageAttributes?: Readonly<Record<string, SqsMessageAttributeInput>>;
}

/**
 * One record of an SQS event.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export interface SqsEventRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: Readonly<Record<string, SqsEventMessageAttribute>>;
  readonly md5OfBody: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

/** A message attribute in the Lambda SQS event: camelCase, lists always present. */
export interface SqsEventMessageAttribute {
  readonly stringValue?: string;
  readonly binaryValue?: string;
  readonly stringListValues: readonly string[];
  readonly binaryListValues: readonly string[];
  readonly dataType: string;
}

/** The system attributes Lambda's SQS records start with, in the documented order. */
const SQS_ATTRIBUTE_ORDER = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'SenderId',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'MessageDeduplicationId',
];

/**
 * Builds an SQS event record: every system attribute as a string (ApproximateReceiveCount,
 * SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, and for FIFO queues SequenceNumber,
 * MessageGroupId, MessageDeduplicationId), message attributes in the camelCase form with binary
 * values in base64, and `md5OfBody` as hex MD5 of the body.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export function buildSqsRecord(message: SqsMessageInput, queueArn: string, region: string): SqsEventRecord {
  const body = message.Body ?? '';
  const attributes: Record<string, string> = {};
  const given = message.Attributes ?? {};
  for (const name of SQS_ATTRIBUTE_ORDER) {
    const value = given[name];
    if (value !== undefined) attributes[name] = String(value);
  }
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && !(name in attributes)) attributes[name] = String(value);
  }
  const messageAttributes: Record<string, SqsEventMessageAttribute> = {};
  for (const [name, attr] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(attr.StringValue !== undefined ? { stringValue: attr.StringValue } : {}),
      ...(attr.BinaryValue !== undefined ? { binaryValue: Buffer.from(attr.BinaryValue).toString('base64') } : {}),
      stringListValues: [...(attr.StringListValues ?? [])],
      binaryListValues: (attr.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: attr.DataType ?? 'String',
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body,
    attributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? createHash('md5').update(body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** A Kinesis record as `GetRecords` returns it (SDK v3 shape). */
export interface KinesisRecordInput {
  readonly SequenceNumber?: string;
  readonly PartitionKey?: string;
  readonly Data?: Uint8Array;
  readonly ApproximateArrivalTimestamp?: Date;
}

/**
 * One record of a Kinesis event.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
export interface KinesisEventRecord {
  readonly kinesis: {
    readonly kinesisSchemaVersion: '1.0';
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    readonly data: string;
    readonly approximateArrivalTimestamp: number;
  };
  readonly eventSource: 'aws:kinesis';
  readonly eventVersion: '1.0';
  readonly eventID: string;
  readonly eventName: 'aws:kinesis:record';
  readonly invokeIdentityArn: string;
  readonly awsRegion: string;
  readonly eventSourceARN: string;
}

/** Fixed facts of a Kinesis mapping that every record carries. */
export interface KinesisRecordContext {
  readonly shardId: string;
  readonly streamArn: string;
  readonly region: string;
  /** The function's execution role ARN (Lambda puts it in `invokeIdentityArn`). */
  readonly invokeIdentityArn: string;
}

/**
 * Builds a Kinesis event record: `data` in base64, `approximateArrivalTimestamp` in epoch seconds
 * with a millisecond fraction, `eventID` = `<shardId>:<sequenceNumber>`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
export function buildKinesisRecord(record: KinesisRecordInput, ctx: KinesisRecordContext): KinesisEventRecord {
  const sequenceNumber = record.SequenceNumber ?? '';
  const arrivalMs = record.ApproximateArrivalTimestamp?.getTime() ?? 0;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: arrivalMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${ctx.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: ctx.invokeIdentityArn,
    awsRegion: ctx.region,
    eventSourceARN: ctx.streamArn,
  };
}

/** A DynamoDB Streams record as `GetRecords` returns it (SDK v3 shape, images in DynamoDB JSON). */
export interface DynamoDbStreamRecordInput {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly eventVersion?: string;
  readonly eventSource?: string;
  readonly awsRegion?: string;
  readonly dynamodb?: {
    readonly ApproximateCreationDateTime?: Date;
    readonly Keys?: Readonly<Record<string, unknown>>;
    readonly NewImage?: Readonly<Record<string, unknown>>;
    readonly OldImage?: Readonly<Record<string, unknown>>;
    readonly SequenceNumber?: string;
    readonly SizeBytes?: number;
    readonly StreamViewType?: string;
  };
  readonly userIdentity?: { readonly PrincipalId?: string; readonly Type?: string };
}

/**
 * One record of a DynamoDB Streams event.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
export interface DynamoDbEventRecord {
  readonly eventID: string;
  readonly eventName: string;
  readonly eventVersion: string;
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    readonly ApproximateCreationDateTime?: number;
    readonly Keys: Readonly<Record<string, unknown>>;
    readonly NewImage?: Readonly<Record<string, unknown>>;
    readonly OldImage?: Readonly<Record<string, unknown>>;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: string;
  };
  readonly eventSourceARN: string;
  readonly userIdentity?: { readonly principalId?: string; readonly type?: string };
}

/**
 * Builds a DynamoDB Streams event record: images stay in DynamoDB JSON, `ApproximateCreationDateTime`
 * becomes epoch seconds, and the stream ARN is added as `eventSourceARN`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
export function buildDynamoDbRecord(
  record: DynamoDbStreamRecordInput,
  streamArn: string,
  region: string,
): DynamoDbEventRecord {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName ?? '',
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? region,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      Keys: attributeMapJson(d.Keys ?? {}),
      ...(d.NewImage ? { NewImage: attributeMapJson(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: attributeMapJson(d.OldImage) } : {}),
      SequenceNumber: d.SequenceNumber ?? '',
      SizeBytes: d.SizeBytes ?? 0,
      StreamViewType: d.StreamViewType ?? 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: streamArn,
    ...(record.userIdentity
      ? { userIdentity: { principalId: record.userIdentity.PrincipalId, type: record.userIdentity.Type } }
      : {}),
  };
}

/**
 * DynamoDB JSON as Lambda delivers it: the SDK gives binary values (`B`, `BS`) as bytes, the event
 * carries them in base64.
 */
export function attributeMapJson(map: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(map)) out[name] = attributeJson(value);
  return out;
}

function attributeJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(attributeJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '$unknown' && v !== undefined) out[k] = attributeJson(v);
    return out;
  }
  return value;
}
