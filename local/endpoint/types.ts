import type { EventEmitter } from 'node:events';

/**
 * A request as every local service sees it: fully read, with lower-case header names.
 * The front server builds it once for HTTP/1.1 and HTTP/2 alike, so services never
 * touch sockets or protocol details.
 */
export interface ServiceRequest {
  readonly method: string;
  /** Path without the query string, still percent-encoded (S3 keys need the raw form). */
  readonly path: string;
  /** The raw query string without `?` (S3 sub-resources like `?uploads` have no value). */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** SigV4 signing name from the credential scope (`s3`, `sqs`, `kinesis`, …), or the route's name. */
  readonly service: string;
  /** Region from the credential scope, else the endpoint's region. */
  readonly region: string;
  /** The caller's address, for event records (`sourceIPAddress`, API Gateway `identity.sourceIp`). */
  readonly sourceIp: string;
  /** Base URL of the endpoint as the caller reached it, e.g. `http://127.0.0.1:4566`. */
  readonly baseUrl: string;
}

/** What a service answers; the front server writes it to HTTP/1.1 or HTTP/2. */
export interface ServiceResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Buffer;
}

/** One local AWS service behind the shared endpoint. */
export interface LocalService {
  /** SigV4 signing name(s) this service answers (DynamoDB Streams shares `dynamodb`; see server routing). */
  readonly name: string;
  handle(req: ServiceRequest): Promise<ServiceResponse>;
  /**
   * Whether an unsigned request (no credential scope) is this service's, e.g. S3's for a path
   * whose first segment is an existing bucket. The engine's own routes are asked first.
   */
  ownsUnsigned?(req: ServiceRequest): boolean;
  /** A short state for `GET /_lab/health`, e.g. `running`. */
  health?(): string;
  /** Frees timers and state; the endpoint calls it on stop. */
  close?(): Promise<void>;
}

/** Fixed facts every service needs to build ARNs and URLs. */
export interface EndpointContext {
  readonly region: string;
  readonly accountId: string;
  /** The internal bus the engine consumes (S3 events, SNS deliveries to Lambda, …). */
  readonly bus: LabBus;
  /** `http://127.0.0.1:<port>` once listening (queue URLs are built from it). */
  baseUrl(): string;
  /**
   * Another service on the same endpoint by signing name, for in-process calls (SNS delivering to
   * SQS). Optional so hand-made contexts in tests stay valid; the endpoint always provides it.
   */
  service?(name: string): LocalService | undefined;
}

/**
 * S3 object event as published on the bus, before the engine turns it into an S3 event record.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export interface S3ObjectEvent {
  /** Without the `s3:` prefix, e.g. `ObjectCreated:Put`, `ObjectCreated:CompleteMultipartUpload`, `ObjectRemoved:Delete`. */
  readonly eventName: string;
  readonly bucket: string;
  /** The key as stored (not URL-encoded; the event record builder encodes it). */
  readonly key: string;
  readonly size?: number;
  readonly eTag?: string;
  readonly versionId?: string;
  readonly sequencer: string;
  readonly eventTime: string;
  readonly sourceIp: string;
  readonly requestId: string;
}

/**
 * One SNS delivery to a Lambda subscription, handed to the engine.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 */
export interface SnsLambdaDelivery {
  readonly subscriptionArn: string;
  readonly topicArn: string;
  /** The subscribed function ARN (the subscription's Endpoint). */
  readonly functionArn: string;
  /** The subscription's RedrivePolicy deadLetterTargetArn, when set. */
  readonly deadLetterTargetArn?: string;
  readonly messageId: string;
  readonly message: string;
  readonly subject?: string;
  readonly timestamp: string;
  readonly messageAttributes: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
}

/** Events on the internal bus. */
export interface LabBusEvents {
  's3:object': [S3ObjectEvent];
  'sns:lambda': [SnsLambdaDelivery];
}

/** A typed EventEmitter shared by the endpoint's services and the engine. */
export type LabBus = EventEmitter<LabBusEvents>;
