import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageAttribute } from './invocation-record';

/** What is delivered to a destination or dead-letter target. */
export interface DestinationMessage {
  /** JSON text: an invocation record, or the original event for a dead-letter queue. */
  readonly body: string;
  /** SQS message attributes / SNS message attributes (dead-letter queues only). */
  readonly attributes?: Readonly<Record<string, MessageAttribute>>;
  /**
   * The object key for an S3 destination.
   * @default the asynchronous invocation record's key, `aws/lambda/async/<function>/…` ({@link s3DestinationKey})
   */
  readonly s3Key?: string;
}

/**
 * Delivers JSON to a destination ARN: SQS `SendMessage`, SNS `Publish`, an asynchronous Lambda
 * invoke, or an S3 object. The asynchronous queue and the SNS dispatcher use it; tests pass a fake.
 */
export interface DestinationSender {
  /** Rejects when the target cannot be reached or its type is not supported. */
  send(targetArn: string, message: DestinationMessage): Promise<void>;
}

/** Settings of {@link SdkDestinationSender}. */
export interface SdkDestinationSenderOptions {
  /** The local endpoint, e.g. `http://127.0.0.1:4566`. */
  readonly endpointUrl: string;
  readonly region: string;
  /** @default dummy `test`/`test` keys (the local endpoint checks signatures' shape, not secrets) */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /**
   * Enqueues a Lambda destination's payload directly (the engine passes its asynchronous queue);
   * without it, Lambda targets get `Invoke` with `InvocationType=Event` through the endpoint.
   */
  readonly invokeAsync?: (functionName: string, payload: string) => Promise<void> | void;
}

/** The parts of an ARN `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

/** Splits an ARN; throws with the ARN in the message when it is not one. */
export function parseArn(arn: string): ParsedArn {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new Error(`not an ARN: '${arn}'`);
  return { service: parts[2]!, region: parts[3]!, accountId: parts[4]!, resource: parts.slice(5).join(':') };
}

/** `arn:aws:lambda:r:a:function:name[:qualifier]` → `{ name, qualifier }`. */
export function parseFunctionArn(arn: string): { readonly name: string; readonly qualifier?: string } {
  const { service, resource } = parseArn(arn);
  const [kind, name, qualifier] = resource.split(':');
  if (service !== 'lambda' || kind !== 'function' || !name) throw new Error(`not a Lambda function ARN: '${arn}'`);
  return qualifier ? { name, qualifier } : { name };
}

/**
 * The S3 key of an on-failure record: `aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export function s3DestinationKey(functionName: string, at: Date, id: string): string {
  const iso = at.toISOString();
  const [date] = iso.split('T') as [string];
  const [y, m, d] = date.split('-');
  const time = iso.slice(11, 19).replace(/:/g, '.');
  return `aws/lambda/async/${functionName}/${y}/${m}/${d}/${date}T${time}-${id}`;
}

/**
 * A {@link DestinationSender} with the real AWS SDK v3 clients against the local endpoint.
 * Supported targets: standard SQS queues, standard SNS topics, Lambda functions and (on-failure)
 * S3 buckets; EventBridge buses are not emulated and reject.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export class SdkDestinationSender implements DestinationSender {
  private readonly sqs: SQSClient;
  private readonly sns: SNSClient;
  private readonly lambda: LambdaClient;
  private readonly s3: S3Client;
  private readonly queueUrls = new Map<string, Promise<string>>();
  private readonly invokeAsync?: (functionName: string, payload: string) => Promise<void> | void;

  constructor(options: SdkDestinationSenderOptions) {
    const config = {
      endpoint: options.endpointUrl,
      region: options.region,
      credentials: options.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    this.sqs = new SQSClient(config);
    this.sns = new SNSClient(config);
    this.lambda = new LambdaClient(config);
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
    this.invokeAsync = options.invokeAsync;
  }

  async send(targetArn: string, message: DestinationMessage): Promise<void> {
    const arn = parseArn(targetArn);
    switch (arn.service) {
      case 'sqs':
        await this.sqs.send(
          new SendMessageCommand({
            QueueUrl: await this.queueUrl(targetArn, arn),
            MessageBody: message.body,
            MessageAttributes: message.attributes && sqsAttributes(message.attributes),
          }),
        );
        return;
      case 'sns':
        await this.sns.send(
          new PublishCommand({
            TopicArn: targetArn,
            Message: message.body,
            MessageAttributes: message.attributes && snsAttributes(message.attributes),
          }),
        );
        return;
      case 'lambda': {
        const { name, qualifier } = parseFunctionArn(targetArn);
        if (this.invokeAsync) {
          await this.invokeAsync(name, message.body);
          return;
        }
        await this.lambda.send(
          new InvokeCommand({
            FunctionName: name,
            Qualifier: qualifier,
            InvocationType: 'Event',
            Payload: Buffer.from(message.body),
          }),
        );
        return;
      }
      case 's3': {
        const functionArn = functionArnOfRecord(message.body);
        const functionName = functionArn ? parseFunctionArn(functionArn).name : 'unknown';
        await this.s3.send(
          new PutObjectCommand({
            Bucket: arn.resource,
            Key: message.s3Key ?? s3DestinationKey(functionName, new Date(), randomUUID()),
            Body: message.body,
            ContentType: 'application/json',
          }),
        );
        return;
      }
      default:
        throw new Error(`destinations of type '${arn.service}' are not emulated locally (${targetArn})`);
    }
  }

  /** Frees the SDK clients' sockets. */
  close(): void {
    this.sqs.destroy();
    this.sns.destroy();
    this.lambda.destroy();
    this.s3.destroy();
  }

  private queueUrl(targetArn: string, arn: ParsedArn): Promise<string> {
    let url = this.queueUrls.get(targetArn);
    if (!url) {
      url = this.sqs
        .send(new GetQueueUrlCommand({ QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId }))
        .then((r) => {
          if (!r.QueueUrl) throw new Error(`no queue URL for ${targetArn}`);
          return r.QueueUrl;
        });
      url.catch(() => this.queueUrls.delete(targetArn));
      this.queueUrls.set(targetArn, url);
    }
    return url;
  }
}

function sqsAttributes(
  attributes: Readonly<Record<string, MessageAttribute>>,
): Record<string, { DataType: string; StringValue: string }> {
  const out: Record<string, { DataType: string; StringValue: string }> = {};
  for (const [name, a] of Object.entries(attributes)) out[name] = { DataType: a.type, StringValue: a.value };
  return out;
}

function snsAttributes(
  attributes: Readonly<Record<string, MessageAttribute>>,
): Record<string, { DataType: string; StringValue: string }> {
  return sqsAttributes(attributes);
}

function functionArnOfRecord(body: string): string | undefined {
  try {
    const record = JSON.parse(body) as { requestContext?: { functionArn?: unknown } };
    const arn = record.requestContext?.functionArn;
    return typeof arn === 'string' ? arn : undefined;
  } catch {
    return undefined;
  }
}
