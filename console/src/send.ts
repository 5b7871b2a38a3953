/**
 * Sends one order to one source through the AWS API a student would use (or the HTTP API for API
 * Gateway): source + order + drill + the stack's outputs → one call. Kept in one module so the
 * console and the trigger CLI can share it later.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { InvokeCommand, type InvocationType } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from './aws';

/** Every way the console can start an event. */
export type SourceKind = 'api-post' | 'api-get' | 's3' | 'sns' | 'kinesis' | 'dynamodb' | 'sqs' | 'sqs-fifo' | 'invoke';

/** The failure drills of the README's "Failure drills" table, plus the two payload drills. */
export type Drill = 'none' | 'error' | 'error-once' | 'timeout' | 'invalid' | 'duplicate';

/** Drills a student can pick, with their labels. */
export const DRILLS: ReadonlyArray<readonly [Drill, string]> = [
  ['none', 'none'],
  ['error', 'error'],
  ['error-once', 'error-once'],
  ['timeout', 'timeout'],
  ['invalid', 'invalid payload'],
  ['duplicate', 'duplicate orderId'],
];

/** The order fields of the form. */
export interface OrderFields {
  /** Empty: a fresh id for each order. */
  readonly orderId: string;
  readonly item: string;
  readonly quantity: number;
}

/** What one send needs. */
export interface SendRequest {
  readonly source: SourceKind;
  readonly order: OrderFields;
  readonly drill: Drill;
  /** Outputs of the source's stack (CloudFormation DescribeStacks), by output key. */
  readonly outputs: Readonly<Record<string, string>>;
  /** The index of this order in a burst, from 0. */
  readonly index?: number;
  /** SQS FIFO message group. @default 'group-1' */
  readonly groupId?: string;
  /** Lambda Invoke type. @default 'RequestResponse' */
  readonly invocationType?: InvocationType;
}

/** The order's JSON: its fields plus the drill, or a payload the schema rejects for `invalid`. */
export function orderPayload(req: Pick<SendRequest, 'order' | 'drill' | 'index'>): Record<string, unknown> {
  const orderId = orderIdOf(req);
  if (req.drill === 'invalid') return { orderId, item: req.order.item };
  const drill = req.drill === 'none' || req.drill === 'duplicate' ? {} : { drill: req.drill };
  return { orderId, item: req.order.item, quantity: req.order.quantity, ...drill };
}

/**
 * The order id: the form's, or a fresh one. A burst numbers its orders (`o-1-2`), except for the
 * `duplicate` drill, whose whole point is to repeat one id.
 */
export function orderIdOf(req: Pick<SendRequest, 'order' | 'drill' | 'index'>): string {
  const index = req.index ?? 0;
  const base = req.order.orderId || fallbackId;
  if (req.drill === 'duplicate' || index === 0) return base;
  return `${base}-${index + 1}`;
}

/** One id per page load for orders sent without one, so a `duplicate` burst shares it. */
let fallbackId = `c-${Date.now().toString(36)}`;

/** Starts a new fallback id (after each send from the form). */
export function nextFallbackId(): void {
  fallbackId = `c-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** Sends one order; resolves with a one-line result to show, rejects with the API's error. */
export async function sendOrder(clients: AwsClients, req: SendRequest): Promise<string> {
  const payload = orderPayload(req);
  const body = JSON.stringify(payload);
  const orderId = String(payload.orderId);
  const out = (key: string): string => {
    const value = req.outputs[key];
    if (!value) throw new Error(`The stack has no output ${key}`);
    return value;
  };
  switch (req.source) {
    case 'api-post': {
      const res = await fetch(out('OrdersEndpoint'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return `POST /orders → ${res.status} ${await res.text()}`;
    }
    case 'api-get': {
      const drill = req.drill === 'none' || req.drill === 'duplicate' ? '' : `?drill=${encodeURIComponent(req.drill)}`;
      const res = await fetch(`${out('OrdersEndpoint')}/${encodeURIComponent(orderId)}${drill}`);
      return `GET /orders/${orderId} → ${res.status} ${await res.text()}`;
    }
    case 's3': {
      const key = `${out('OrdersPrefix') || 'orders/'}${orderId}-${Date.now().toString(36)}.json`;
      await clients.s3.send(
        new PutObjectCommand({ Bucket: out('BucketName'), Key: key, Body: body, ContentType: 'application/json' }),
      );
      return `PutObject s3://${out('BucketName')}/${key}`;
    }
    case 'sns': {
      const res = await clients.sns.send(new PublishCommand({ TopicArn: out('TopicArn'), Message: body }));
      return `Publish → MessageId ${res.MessageId}`;
    }
    case 'kinesis': {
      const res = await clients.kinesis.send(
        new PutRecordCommand({
          StreamName: out('StreamName'),
          PartitionKey: orderId,
          Data: new TextEncoder().encode(body),
        }),
      );
      return `PutRecord → ${res.ShardId} ${res.SequenceNumber}`;
    }
    case 'dynamodb': {
      const item: Record<string, { S: string } | { N: string }> = {};
      for (const [name, value] of Object.entries(payload)) {
        item[name] = typeof value === 'number' ? { N: String(value) } : { S: String(value) };
      }
      await clients.dynamodb.send(new PutItemCommand({ TableName: out('IntakeTableName'), Item: item }));
      return `PutItem ${out('IntakeTableName')} orderId=${orderId}`;
    }
    case 'sqs': {
      const res = await clients.sqs.send(new SendMessageCommand({ QueueUrl: out('QueueUrl'), MessageBody: body }));
      return `SendMessage → MessageId ${res.MessageId}`;
    }
    case 'sqs-fifo': {
      const res = await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: out('FifoQueueUrl'),
          MessageBody: body,
          MessageGroupId: req.groupId || 'group-1',
          // A fresh deduplication id per send: the duplicate drill must reach the function, not be absorbed by SQS.
          MessageDeduplicationId: `${orderId}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        }),
      );
      return `SendMessage (FIFO, group ${req.groupId || 'group-1'}) → MessageId ${res.MessageId}`;
    }
    case 'invoke':
      return invokeCreateOrder(clients, out('CreateOrderFunctionName'), body, req.invocationType ?? 'RequestResponse');
  }
}

/** Invokes the create-order function directly with the API Gateway proxy event it expects. */
async function invokeCreateOrder(
  clients: AwsClients,
  functionName: string,
  body: string,
  invocationType: InvocationType,
): Promise<string> {
  const event = {
    resource: '/orders',
    path: '/orders',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    requestContext: { requestId: `console-${Date.now().toString(36)}` },
  };
  const res = await clients.lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: invocationType,
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
  const payload = res.Payload && res.Payload.length > 0 ? new TextDecoder().decode(res.Payload) : '';
  const error = res.FunctionError ? ` (FunctionError: ${res.FunctionError})` : '';
  return `Invoke ${invocationType} → ${res.StatusCode}${error} ${payload}`.trim();
}
