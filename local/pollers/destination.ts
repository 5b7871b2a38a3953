import { randomUUID } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Clients a {@link DestinationSender} sends through; each is optional until a destination needs it. */
export interface DestinationClients {
  readonly sqs?: SQSClient;
  readonly sns?: SNSClient;
  readonly s3?: S3Client;
}

/**
 * Sends an on-failure record to the destination ARN of a stream event source mapping, through the
 * endpoint's own APIs: SQS `SendMessage` (to the queue URL derived from the ARN), SNS `Publish`, or
 * S3 `PutObject` under `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<UUID>`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
export class DestinationSender {
  /**
   * @param clients the SDK clients, configured for the endpoint
   * @param queueUrlOf maps a queue ARN to its URL (the engine knows every queue's URL)
   */
  constructor(
    private readonly clients: DestinationClients,
    private readonly queueUrlOf: (queueArn: string) => string | undefined,
  ) {}

  /** Sends `body` (JSON text) to `arn`; rejects when the destination is unknown or refuses it. */
  async send(
    arn: string,
    body: string,
    s3Key?: { readonly mappingUuid: string; readonly shardId: string; readonly atMs: number },
  ): Promise<void> {
    const service = arn.split(':')[2];
    if (service === 'sqs') {
      const client = this.require(this.clients.sqs, 'sqs');
      const url = this.queueUrlOf(arn);
      if (!url) throw new Error(`no queue URL known for destination ${arn}`);
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
      return;
    }
    if (service === 'sns') {
      const client = this.require(this.clients.sns, 'sns');
      await client.send(new PublishCommand({ TopicArn: arn, Message: body }));
      return;
    }
    if (service === 's3') {
      const client = this.require(this.clients.s3, 's3');
      const bucket = arn.split(':').slice(5).join(':');
      const at = new Date(s3Key?.atMs ?? Date.now()).toISOString();
      const [day, time] = [at.slice(0, 10), at.slice(11, 19).replaceAll(':', '.')];
      const key = `aws/lambda/${s3Key?.mappingUuid ?? 'unknown'}/${s3Key?.shardId ?? 'unknown'}/${day.replaceAll('-', '/')}/${day}T${time}-${randomUUID()}`;
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
      return;
    }
    throw new Error(`unsupported destination ${arn}`);
  }

  private require<T>(client: T | undefined, name: string): T {
    if (!client) throw new Error(`no ${name} client for destination`);
    return client;
  }
}

/**
 * The URL of a local queue from its ARN, for queues the assembly does not list:
 * `arn:aws:sqs:<region>:<account>:<name>` → `<endpoint>/<account>/<name>`.
 */
export function queueUrlFromArn(endpointUrl: string, arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[2] !== 'sqs') return undefined;
  return `${endpointUrl.replace(/\/$/, '')}/${parts[4]}/${parts[5]}`;
}
