/**
 * One send: a source, an order, a drill and the stack outputs become exactly one SDK call (or one HTTP
 * request for the API). Platform-neutral on purpose (no `node:` imports) so a browser console could share it.
 *
 * How each source carries the order follows the README's "Try it" and "Failure drills":
 * the API takes it as the JSON body, S3 as an object under `orders/`, SNS as the message, Kinesis as the
 * record's data, DynamoDB Streams as an item of the intake table, SQS as the message body.
 */
import { InvokeCommand, type InvocationType, type LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { outputOf, SOURCE_INFO, type Drill, type Source, type StackOutputs } from './sources';

/** The SDK clients a send may use, built for one target (AWS or the local engine). */
export interface SendClients {
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
}

/** The order as the command line sends it. */
export interface OrderInput {
  readonly orderId: string;
  readonly item: string;
  readonly quantity: number;
}

/** The JSON payload every function reads (lambda/shared/order.ts), with the drill carried in it. */
export type Payload = Readonly<Record<string, string | number>>;

/**
 * The payload for an order and a drill: `invalid` drops the quantity (every function rejects it with a
 * reason); `duplicate` is the plain order, which the caller sends twice; the others go in `drill`.
 */
export function payloadFor(order: OrderInput, drill: Drill | undefined): Payload {
  const { orderId, item, quantity } = order;
  if (drill === 'invalid') return { orderId, item };
  if (drill === undefined || drill === 'duplicate') return { orderId, item, quantity };
  return { orderId, item, quantity, drill };
}

/** Options of one send. */
export interface SendOptions {
  /** For `invoke`. @default 'RequestResponse' */
  readonly invocationType?: InvocationType;
  /** Message group of `sqs-fifo`. @default 'cli' */
  readonly group?: string;
  /** The drill: for `get`, carried as `?drill=`. */
  readonly drill?: Drill;
  /** Which send of a repeated order this is (0 first): keeps S3 keys and FIFO deduplication ids apart. */
  readonly copy?: number;
}

/** What one send produced: the ids that find it again on the target. */
export interface Delivery {
  readonly source: Source;
  readonly orderId: string;
  /** The id the target gave the event: message id, object key, sequence number or request id. */
  readonly eventId: string;
  /** Wall-clock ms when the call returned. */
  readonly sentAt: number;
  /** HTTP status of `api`/`get`, or the Invoke status code. */
  readonly status?: number;
  /** Response body of `api`/`get`, or the Invoke payload (text). */
  readonly body?: string;
  /** `Unhandled` when a RequestResponse invoke's function failed. */
  readonly functionError?: string;
}

/** Sends one order to one source with exactly one call. */
export async function sendOnce(
  source: Source,
  payload: Payload,
  outputs: StackOutputs,
  clients: SendClients,
  opts: SendOptions = {},
): Promise<Delivery> {
  const orderId = String(payload['orderId']);
  const body = JSON.stringify(payload);
  const done = (eventId: string, extra: Partial<Delivery> = {}): Delivery => ({
    source,
    orderId,
    eventId,
    sentAt: Date.now(),
    ...extra,
  });
  const info = SOURCE_INFO[source];
  const out = (key: string): string => outputOf(outputs, info.pattern, key);
  switch (source) {
    case 'api':
    case 'get': {
      const endpoint = out('OrdersEndpoint').replace(/\/+$/, '');
      const query = opts.drill && opts.drill !== 'invalid' && opts.drill !== 'duplicate' ? `?drill=${opts.drill}` : '';
      const res =
        source === 'api'
          ? await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          : await fetch(`${endpoint}/${encodeURIComponent(orderId)}${query}`);
      const text = await res.text();
      return done(res.headers.get('x-amzn-requestid') ?? '', { status: res.status, body: text });
    }
    case 'invoke': {
      const invocationType = opts.invocationType ?? 'RequestResponse';
      const requestId = `cli-${orderId}`;
      const event = { body, httpMethod: 'POST', path: '/orders', requestContext: { requestId } };
      const res = await clients.lambda.send(
        new InvokeCommand({
          FunctionName: out(`${info.functionPrefix}FunctionName`),
          InvocationType: invocationType,
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      return done(res.$metadata.requestId ?? requestId, {
        status: res.StatusCode,
        body: res.Payload ? new TextDecoder().decode(res.Payload) : undefined,
        functionError: res.FunctionError,
      });
    }
    case 's3': {
      const prefix = outputs.AsyncEvents['OrdersPrefix'] ?? 'orders/';
      const key = `${prefix}${orderId}${opts.copy ? `-${opts.copy}` : ''}.json`;
      await clients.s3.send(
        new PutObjectCommand({ Bucket: out('BucketName'), Key: key, Body: body, ContentType: 'application/json' }),
      );
      return done(key);
    }
    case 'sns': {
      const res = await clients.sns.send(new PublishCommand({ TopicArn: out('TopicArn'), Message: body }));
      return done(res.MessageId ?? '');
    }
    case 'kinesis': {
      const res = await clients.kinesis.send(
        new PutRecordCommand({
          StreamName: out('StreamName'),
          PartitionKey: orderId,
          Data: new TextEncoder().encode(body),
        }),
      );
      return done(res.SequenceNumber ?? '');
    }
    case 'dynamodb': {
      // An identical put writes no stream record, so a repeat changes the quantity: a MODIFY of the same order.
      // @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
      const item =
        opts.copy && typeof payload['quantity'] === 'number'
          ? { ...payload, quantity: payload['quantity'] + opts.copy }
          : payload;
      await clients.dynamodb.send(new PutItemCommand({ TableName: out('IntakeTableName'), Item: toItem(item) }));
      return done(orderId);
    }
    case 'sqs':
    case 'sqs-fifo': {
      const fifo = source === 'sqs-fifo';
      const res = await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: out(fifo ? 'FifoQueueUrl' : 'QueueUrl'),
          MessageBody: body,
          ...(fifo
            ? { MessageGroupId: opts.group ?? 'cli', MessageDeduplicationId: `${orderId}-${opts.copy ?? 0}` }
            : {}),
        }),
      );
      return done(res.MessageId ?? '');
    }
  }
}

/** An order as a DynamoDB item of the intake table (numbers as `N`, text as `S`). */
function toItem(payload: Payload): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, typeof v === 'number' ? { N: String(v) } : { S: v }]),
  );
}
