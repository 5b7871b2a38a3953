import { createHash, randomBytes } from 'node:crypto';
import { realClock, type Clock } from '../../../core/clock';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse } from '../../types';
import {
  checksumMismatch,
  computeChecksum,
  decodeAwsChunked,
  isAwsChunked,
  sentChecksums,
  type ChecksumAlgorithm,
} from './body';
import { corsConfigurationXml, corsHeaders, parseCorsConfiguration, preflight, type CorsRule } from './cors';
import { checkCopySourceConditions, parseCopySource, parseCopySourceRange } from './copy-source';
import { invalidArgument, malformedXml, noSuchBucket, noSuchKey, noSuchUpload, S3Error } from './errors';
import {
  buildXml,
  childText,
  childrenNamed,
  parseXml,
  xmlEscape,
  type XmlElement,
  type XmlNode,
} from '../../protocols/xml';

/** Options of {@link s3Service}. */
export interface S3ServiceOptions {
  /** Clock for LastModified and event times. @default realClock */
  readonly clock?: Clock;
  /**
   * Most bytes the in-memory store holds (objects plus pending multipart parts); a write past it
   * fails with 400 `EntityTooLarge`.
   * @default 512 MiB
   */
  readonly maxStoreBytes?: number;
}

/** One S3 key filter rule of a notification configuration (`prefix` or `suffix`). */
export interface S3FilterRule {
  readonly name: string;
  readonly value: string;
}

/** One destination of a bucket notification configuration. */
export interface S3NotificationTarget {
  readonly id: string;
  /** The function, queue or topic ARN. */
  readonly arn: string;
  /** Event types, e.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  readonly filterRules: readonly S3FilterRule[];
}

/**
 * A bucket's notification configuration as stored by PutBucketNotificationConfiguration.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_NotificationConfiguration.html
 */
export interface S3NotificationConfiguration {
  readonly lambdaFunctions: readonly S3NotificationTarget[];
  readonly queues: readonly S3NotificationTarget[];
  readonly topics: readonly S3NotificationTarget[];
  readonly eventBridge: boolean;
}

/** The local S3 service, with what the engine reads in-process. */
export interface S3Service extends LocalService {
  readonly name: 's3';
  /** The bucket's notification configuration; undefined when the bucket does not exist. */
  notificationConfiguration(bucket: string): S3NotificationConfiguration | undefined;
}

interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  /** MD5 hex (or `<md5 of md5s>-<parts>`), without quotes. */
  readonly etag: string;
  readonly lastModified: number;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Content-Encoding, Cache-Control, Content-Disposition, Content-Language, Expires. */
  readonly headers: Readonly<Record<string, string>>;
  readonly checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

interface Upload {
  readonly id: string;
  readonly key: string;
  readonly initiated: number;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly parts: Map<number, UploadedPart>;
}

interface UploadedPart {
  /** MD5 hex, without quotes. */
  readonly etag: string;
  readonly body: Buffer;
  readonly lastModified: number;
}

interface Bucket {
  readonly name: string;
  readonly createdAt: number;
  /** The region the bucket lives in (HeadBucket's `x-amz-bucket-region`). */
  readonly region: string;
  /** The LocationConstraint as GetBucketLocation returns it: empty for us-east-1, `EU` kept as given. */
  readonly locationConstraint: string;
  readonly objects: Map<string, StoredObject>;
  /** Keys in order, rebuilt lazily after a key is added or removed. */
  sorted: string[] | undefined;
  notification: S3NotificationConfiguration;
  /** The CORS rules (PutBucketCors); undefined when CORS is off. */
  cors: readonly CorsRule[] | undefined;
  readonly uploads: Map<string, Upload>;
}

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const EMPTY_NOTIFICATIONS: S3NotificationConfiguration = {
  lambdaFunctions: [],
  queues: [],
  topics: [],
  eventBridge: false,
};
/** Headers S3 stores with an object and returns on GET/HEAD. */
const STORED_HEADERS = ['content-encoding', 'cache-control', 'content-disposition', 'content-language', 'expires'];
/** Sub-resources this service does not implement; they get a 501 naming them. */
const KNOWN_SUBRESOURCES = [
  'acl',
  'analytics',
  'accelerate',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'logging',
  'metrics',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'legal-hold',
  'select',
  'tagging',
  'torrent',
  'versioning',
  'versions',
  'website',
  'attributes',
  'uploads',
];
/** An object key is at most 1,024 bytes of UTF-8. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html */
const MAX_KEY_BYTES = 1024;
/**
 * Event types a notification configuration may name.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html#supported-notification-event-types
 */
const NOTIFICATION_EVENTS: ReadonlySet<string> = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
]);
/**
 * The largest XML body each operation reads. S3 documents 64 KB for a CORS configuration; the
 * others are bounds on what a valid document can need (1,000 keys of 1,024 bytes, 10,000 parts).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 */
const MAX_XML_BYTES = {
  createBucket: 64 * 1024,
  cors: 64 * 1024,
  notification: 1024 * 1024,
  deleteObjects: 2 * 1024 * 1024,
  completeMultipart: 2 * 1024 * 1024,
} as const;
/** The smallest part of a multipart upload, except the last. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */
const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * S3 on the shared endpoint, written here behind the REST-XML protocol: buckets, objects (with
 * Range, copy, batch delete, multipart), ListObjects v1/v2, and notification configurations. It
 * accepts what current SDKs send by default, including aws-chunked uploads with trailing
 * checksums, and returns the stored checksum when GetObject asks for it. Every object write and
 * removal is published on the bus as `s3:object`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */
export function s3Service(options: S3ServiceOptions = {}): (ctx: EndpointContext) => S3Service {
  return (ctx) => new S3Store(ctx, options).service();
}

class S3Store {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;
  private readonly maxBytes: number;
  private storedBytes = 0;
  private sequencer = 0;
  private readonly ownerId: string;

  constructor(
    private readonly ctx: EndpointContext,
    options: S3ServiceOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.maxBytes = options.maxStoreBytes ?? 512 * 1024 * 1024;
    this.ownerId = createHash('sha256').update(ctx.accountId).digest('hex');
  }

  service(): S3Service {
    return {
      name: 's3',
      handle: (req) => this.handle(req),
      ownsUnsigned: (req) => this.ownsUnsigned(req),
      health: () => 'running',
      notificationConfiguration: (bucket) => this.buckets.get(bucket)?.notification,
      close: async () => {
        this.buckets.clear();
        this.storedBytes = 0;
      },
    };
  }

  private async handle(req: ServiceRequest): Promise<ServiceResponse> {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    let bucket = '';
    let key: string | undefined;
    let answer: ServiceResponse;
    try {
      ({ bucket, key } = this.target(req));
      if (req.method === 'OPTIONS') {
        const granted = preflight(this.bucket(bucket).cors, req.headers, key === undefined ? 'BUCKET' : 'OBJECT');
        return withCommonHeaders({ status: 200, headers: granted }, requestId);
      }
      // The endpoint checks no signatures, but a request without one is anonymous, and nothing
      // here grants anonymous access (bucket policies are not kept).
      if (req.service !== 's3') throw new S3Error(403, 'AccessDenied', 'Access Denied');
      answer = this.route(req, bucket, key, requestId);
    } catch (err) {
      if (!(err instanceof S3Error)) throw err;
      const resource = key !== undefined ? `/${bucket}/${key}` : bucket ? `/${bucket}` : '/';
      const body =
        req.method === 'HEAD'
          ? undefined
          : `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${buildXml({ Code: err.code, Message: err.message, ...err.extra, Resource: resource, RequestId: requestId })}</Error>`;
      answer = { status: err.status, headers: { 'content-type': 'application/xml' }, body };
    }
    const cors = corsHeaders(this.buckets.get(bucket)?.cors, req.headers, req.method);
    return withCommonHeaders({ ...answer, headers: { ...answer.headers, ...cors } }, requestId);
  }

  /** Unsigned requests are S3's when they name an existing bucket (path-style or virtual-host). */
  private ownsUnsigned(req: ServiceRequest): boolean {
    try {
      const { bucket } = this.parseTarget(req);
      return this.buckets.has(bucket);
    } catch {
      return false;
    }
  }

  /** Bucket and key from a path-style (`/bucket/key`) or virtual-host (`bucket.localhost`) request. */
  private target(req: ServiceRequest): { bucket: string; key: string | undefined } {
    try {
      return this.parseTarget(req);
    } catch {
      throw new S3Error(400, 'InvalidURI', `Couldn't parse the specified URI: ${req.path}`);
    }
  }

  private parseTarget(req: ServiceRequest): { bucket: string; key: string | undefined } {
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    const virtual = /^(.+?)(?:\.s3(?:[.-][a-z0-9-]+)?)?\.localhost$/.exec(hostname)?.[1];
    const path = req.path.replace(/^\//, '');
    if (virtual && virtual !== 's3')
      return { bucket: virtual, key: path === '' ? undefined : decodeURIComponent(path) };
    const slash = path.indexOf('/');
    if (slash < 0) return { bucket: decodeURIComponent(path), key: undefined };
    const rest = path.slice(slash + 1);
    return {
      bucket: decodeURIComponent(path.slice(0, slash)),
      key: rest === '' ? undefined : decodeURIComponent(rest),
    };
  }

  private route(req: ServiceRequest, bucketName: string, key: string | undefined, requestId: string): ServiceResponse {
    const q = req.query;
    const method = req.method;
    if (!bucketName) {
      if (method === 'GET') return this.listBuckets();
      throw new S3Error(
        405,
        'MethodNotAllowed',
        `The specified method is not allowed against this resource: ${method} /`,
      );
    }
    if (key === undefined) {
      if (q.has('notification')) {
        if (method === 'PUT') return this.putNotification(req, bucketName);
        if (method === 'GET') return this.getNotification(bucketName);
      }
      if (method === 'POST' && q.has('delete')) return this.deleteObjects(req, bucketName, requestId);
      if (method === 'GET' && q.has('location')) return this.getLocation(bucketName);
      if (q.has('cors')) {
        if (method === 'PUT') return this.putCors(req, bucketName);
        if (method === 'GET') return this.getCors(bucketName);
        if (method === 'DELETE') return this.deleteCors(bucketName);
      }
      this.rejectUnknownSubresource(req, 'bucket');
      switch (method) {
        case 'PUT':
          return this.createBucket(req, bucketName);
        case 'HEAD':
          return { status: 200, headers: { 'x-amz-bucket-region': this.bucket(bucketName).region } };
        case 'DELETE':
          return this.deleteBucket(bucketName);
        case 'GET':
          return q.get('list-type') === '2' ? this.listObjectsV2(req, bucketName) : this.listObjectsV1(req, bucketName);
      }
      throw new S3Error(
        405,
        'MethodNotAllowed',
        `The specified method is not allowed against this resource: ${method} /${bucketName}`,
      );
    }
    const keyBytes = Buffer.byteLength(key, 'utf8');
    if (keyBytes > MAX_KEY_BYTES)
      throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', {
        Size: String(keyBytes),
        MaxSizeAllowed: String(MAX_KEY_BYTES),
      });
    const uploadId = q.get('uploadId');
    if (method === 'POST' && q.has('uploads')) return this.createMultipart(req, bucketName, key);
    if (uploadId !== null) {
      if (method === 'PUT' && q.has('partNumber'))
        return req.headers['x-amz-copy-source'] !== undefined
          ? this.uploadPartCopy(req, bucketName, uploadId)
          : this.uploadPart(req, bucketName, uploadId);
      if (method === 'POST') return this.completeMultipart(req, bucketName, key, uploadId, requestId);
      if (method === 'DELETE') return this.abortMultipart(bucketName, uploadId);
      if (method === 'GET') return this.listParts(bucketName, key, uploadId);
    }
    this.rejectUnknownSubresource(req, 'object');
    switch (method) {
      case 'PUT':
        return req.headers['x-amz-copy-source'] !== undefined
          ? this.copyObject(req, bucketName, key, requestId)
          : this.putObject(req, bucketName, key, requestId);
      case 'GET':
      case 'HEAD':
        return this.getObject(req, bucketName, key);
      case 'DELETE':
        return this.deleteObject(req, bucketName, key, requestId);
    }
    throw new S3Error(
      405,
      'MethodNotAllowed',
      `The specified method is not allowed against this resource: ${method} /${bucketName}/${key}`,
    );
  }

  private rejectUnknownSubresource(req: ServiceRequest, on: string): void {
    const sub = KNOWN_SUBRESOURCES.find((name) => req.query.has(name));
    if (sub)
      throw new S3Error(
        501,
        'NotImplemented',
        `The local S3 service does not implement '${req.method} ?${sub}' on a ${on}.`,
        {
          Header: sub,
        },
      );
  }

  private bucket(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  // ---- buckets ------------------------------------------------------------------------------

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html */
  private createBucket(req: ServiceRequest, name: string): ServiceResponse {
    if (!validBucketName(name))
      throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
    const existing = this.buckets.get(name);
    if (existing) {
      // For legacy compatibility, us-east-1 answers 200 when you re-create a bucket you own.
      if (existing.region === 'us-east-1') return { status: 200, headers: { location: `/${name}` } };
      throw new S3Error(
        409,
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        {
          BucketName: name,
        },
      );
    }
    const configuration =
      req.body.length > 0 ? xmlBody(req.body, MAX_XML_BYTES.createBucket, 'CreateBucketConfiguration') : undefined;
    const constraint = configuration ? (childText(configuration, 'LocationConstraint') ?? '') : '';
    const region = bucketRegion(constraint, req.region);
    this.buckets.set(name, {
      name,
      createdAt: this.clock.wallNow(),
      region,
      locationConstraint: constraint,
      objects: new Map(),
      sorted: [],
      notification: EMPTY_NOTIFICATIONS,
      cors: undefined,
      uploads: new Map(),
    });
    return { status: 200, headers: { location: `/${name}` } };
  }

  private deleteBucket(name: string): ServiceResponse {
    const bucket = this.bucket(name);
    if (bucket.objects.size > 0)
      throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: name });
    for (const upload of bucket.uploads.values())
      for (const part of upload.parts.values()) this.storedBytes -= part.body.length;
    this.buckets.delete(name);
    return { status: 204 };
  }

  private listBuckets(): ServiceResponse {
    const buckets = [...this.buckets.values()].sort((a, b) => compare(a.name, b.name));
    return xml(200, 'ListAllMyBucketsResult', {
      Owner: { ID: this.ownerId, DisplayName: 'local' },
      Buckets: {
        Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: iso(b.createdAt), BucketRegion: b.region })),
      },
    });
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html */
  private getLocation(name: string): ServiceResponse {
    const constraint = this.bucket(name).locationConstraint;
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${XMLNS}">${xmlEscape(constraint)}</LocationConstraint>`,
    };
  }

  // ---- CORS --------------------------------------------------------------------------------

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html */
  private putCors(req: ServiceRequest, name: string): ServiceResponse {
    const bucket = this.bucket(name);
    bucket.cors = parseCorsConfiguration(xmlBody(this.payload(req).data, MAX_XML_BYTES.cors, 'CORSConfiguration'));
    return { status: 200 };
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketCors.html */
  private getCors(name: string): ServiceResponse {
    const rules = this.bucket(name).cors;
    if (!rules)
      throw new S3Error(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist', { BucketName: name });
    return xml(200, 'CORSConfiguration', corsConfigurationXml(rules));
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketCors.html */
  private deleteCors(name: string): ServiceResponse {
    this.bucket(name).cors = undefined;
    return { status: 204 };
  }

  // ---- notification configuration ----------------------------------------------------------

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html */
  private putNotification(req: ServiceRequest, name: string): ServiceResponse {
    const bucket = this.bucket(name);
    const root = xmlBody(req.body, MAX_XML_BYTES.notification, 'NotificationConfiguration');
    const targets = (element: string, arnElement: string): S3NotificationTarget[] =>
      childrenNamed(root, element).map((c) => {
        const arn = childText(c, arnElement);
        const events = childrenNamed(c, 'Event').map((e) => e.text.trim());
        if (!arn || events.length === 0) throw malformedXml();
        for (const event of events)
          if (!NOTIFICATION_EVENTS.has(event))
            throw invalidArgument(`The event is not supported for notifications: ${event}`, 'Event', event);
        const filterRules: S3FilterRule[] = [];
        for (const filter of childrenNamed(c, 'Filter'))
          for (const s3Key of childrenNamed(filter, 'S3Key'))
            for (const rule of childrenNamed(s3Key, 'FilterRule')) {
              const ruleName = (childText(rule, 'Name') ?? '').toLowerCase();
              if (ruleName !== 'prefix' && ruleName !== 'suffix')
                throw new S3Error(
                  400,
                  'InvalidArgument',
                  `filter rule name must be either prefix or suffix (given '${ruleName}')`,
                  {
                    ArgumentName: 'FilterRule.Name',
                    ArgumentValue: ruleName,
                  },
                );
              filterRules.push({ name: ruleName, value: childText(rule, 'Value') ?? '' });
            }
        return { id: childText(c, 'Id') || randomBytes(12).toString('base64'), arn, events, filterRules };
      });
    bucket.notification = {
      lambdaFunctions: targets('CloudFunctionConfiguration', 'CloudFunction'),
      queues: targets('QueueConfiguration', 'Queue'),
      topics: targets('TopicConfiguration', 'Topic'),
      eventBridge: childrenNamed(root, 'EventBridgeConfiguration').length > 0,
    };
    return { status: 200 };
  }

  private getNotification(name: string): ServiceResponse {
    const config = this.bucket(name).notification;
    const target = (t: S3NotificationTarget, arnElement: string): XmlNode => ({
      Id: t.id,
      [arnElement]: t.arn,
      Event: t.events,
      Filter: t.filterRules.length
        ? { S3Key: { FilterRule: t.filterRules.map((r) => ({ Name: r.name, Value: r.value })) } }
        : undefined,
    });
    return xml(200, 'NotificationConfiguration', {
      TopicConfiguration: config.topics.map((t) => target(t, 'Topic')),
      QueueConfiguration: config.queues.map((t) => target(t, 'Queue')),
      CloudFunctionConfiguration: config.lambdaFunctions.map((t) => target(t, 'CloudFunction')),
      EventBridgeConfiguration: config.eventBridge ? {} : undefined,
    });
  }

  // ---- objects ------------------------------------------------------------------------------

  /** The request body with aws-chunked framing removed and every sent checksum verified. */
  private payload(req: ServiceRequest): { data: Buffer; checksums: Partial<Record<ChecksumAlgorithm, string>> } {
    let data = req.body;
    let trailers: Readonly<Record<string, string>> = {};
    if (isAwsChunked(req.headers)) {
      try {
        ({ data, trailers } = decodeAwsChunked(req.body));
      } catch (err) {
        throw new S3Error(
          400,
          'IncompleteBody',
          `The aws-chunked request body is malformed: ${(err as Error).message}`,
        );
      }
      const declared = req.headers['x-amz-decoded-content-length'];
      if (declared !== undefined && Number(declared) !== data.length)
        throw new S3Error(
          400,
          'IncompleteBody',
          `You did not provide the number of bytes specified by x-amz-decoded-content-length (${declared}; received ${data.length})`,
        );
    }
    const md5 = req.headers['content-md5'];
    if (md5 && createHash('md5').update(data).digest('base64') !== md5)
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    const checksums = sentChecksums(req.headers, trailers);
    const bad = checksumMismatch(data, checksums);
    if (bad)
      throw new S3Error(
        400,
        'BadDigest',
        `The ${bad.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    return { data, checksums };
  }

  private reserve(bytes: number, freed = 0): void {
    if (this.storedBytes - freed + bytes > this.maxBytes)
      throw new S3Error(
        400,
        'EntityTooLarge',
        `The local S3 store is full (limit ${this.maxBytes} bytes; raise maxStoreBytes).`,
      );
  }

  private store(bucket: Bucket, object: StoredObject): void {
    const previous = bucket.objects.get(object.key);
    this.storedBytes += object.body.length - (previous?.body.length ?? 0);
    if (!previous) bucket.sorted = undefined;
    bucket.objects.set(object.key, object);
  }

  private publish(
    eventName: string,
    bucket: string,
    key: string,
    object: StoredObject | undefined,
    req: ServiceRequest,
    requestId: string,
  ): void {
    this.sequencer += 1;
    this.ctx.bus.emit('s3:object', {
      eventName,
      bucket,
      key,
      ...(object ? { size: object.body.length, eTag: object.etag } : {}),
      sequencer: this.sequencer.toString(16).toUpperCase().padStart(16, '0'),
      eventTime: iso(this.clock.wallNow()),
      sourceIp: req.sourceIp,
      requestId,
    });
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html */
  private putObject(req: ServiceRequest, bucketName: string, key: string, requestId: string): ServiceResponse {
    const bucket = this.bucket(bucketName);
    const { data, checksums } = this.payload(req);
    this.reserve(data.length, bucket.objects.get(key)?.body.length);
    const object: StoredObject = {
      key,
      body: data,
      etag: createHash('md5').update(data).digest('hex'),
      lastModified: this.clock.wallNow(),
      contentType: req.headers['content-type'] || 'binary/octet-stream',
      metadata: userMetadata(req.headers),
      headers: storedHeaders(req.headers),
      checksums,
    };
    this.store(bucket, object);
    this.publish('ObjectCreated:Put', bucketName, key, object, req, requestId);
    return { status: 200, headers: { etag: `"${object.etag}"`, ...checksumHeaders(checksums) } };
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html */
  private getObject(req: ServiceRequest, bucketName: string, key: string): ServiceResponse {
    const object = this.bucket(bucketName).objects.get(key);
    if (!object) throw noSuchKey(key);
    const etag = `"${object.etag}"`;
    const ifMatch = req.headers['if-match'];
    if (ifMatch && ifMatch !== '*' && !ifMatch.split(',').some((t) => t.trim() === etag))
      throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
        Condition: 'If-Match',
      });
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && (ifNoneMatch === '*' || ifNoneMatch.split(',').some((t) => t.trim() === etag)))
      return { status: 304, headers: { etag, 'last-modified': httpDate(object.lastModified) } };
    const headers: Record<string, string> = {
      'content-type': object.contentType,
      etag,
      'last-modified': httpDate(object.lastModified),
      'accept-ranges': 'bytes',
      ...object.headers,
    };
    for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
    const range = parseRange(req.headers.range, object.body.length);
    if (range === 'unsatisfiable')
      throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
        RangeRequested: req.headers.range ?? '',
        ActualObjectSize: String(object.body.length),
      });
    if (range) {
      const [start, end] = range;
      headers['content-range'] = `bytes ${start}-${end}/${object.body.length}`;
      headers['content-length'] = String(end - start + 1);
      return { status: 206, headers, body: req.method === 'HEAD' ? undefined : object.body.subarray(start, end + 1) };
    }
    // The SDK asks for checksums (x-amz-checksum-mode: ENABLED) and validates full-object ones.
    if (req.headers['x-amz-checksum-mode']?.toUpperCase() === 'ENABLED' && !object.etag.includes('-')) {
      const checksums = { crc32: computeChecksum('crc32', object.body), ...object.checksums };
      Object.assign(headers, checksumHeaders(checksums), { 'x-amz-checksum-type': 'FULL_OBJECT' });
    }
    headers['content-length'] = String(object.body.length);
    return { status: 200, headers, body: req.method === 'HEAD' ? undefined : object.body };
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html */
  private deleteObject(req: ServiceRequest, bucketName: string, key: string, requestId: string): ServiceResponse {
    this.removeObject(this.bucket(bucketName), key, req, requestId);
    return { status: 204 };
  }

  private removeObject(bucket: Bucket, key: string, req: ServiceRequest, requestId: string): void {
    const object = bucket.objects.get(key);
    if (!object) return;
    bucket.objects.delete(key);
    bucket.sorted = undefined;
    this.storedBytes -= object.body.length;
    this.publish('ObjectRemoved:Delete', bucket.name, key, undefined, req, requestId);
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html */
  private deleteObjects(req: ServiceRequest, bucketName: string, requestId: string): ServiceResponse {
    const bucket = this.bucket(bucketName);
    const root = xmlBody(this.payload(req).data, MAX_XML_BYTES.deleteObjects, 'Delete');
    const keys = childrenNamed(root, 'Object').map((o) => childText(o, 'Key'));
    if (keys.length === 0 || keys.length > 1000 || keys.some((k) => k === undefined)) throw malformedXml();
    const quiet = childText(root, 'Quiet') === 'true';
    for (const key of keys) this.removeObject(bucket, key!, req, requestId);
    return xml(200, 'DeleteResult', { Deleted: quiet ? [] : keys.map((k) => ({ Key: k })) });
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html */
  private copyObject(req: ServiceRequest, bucketName: string, key: string, requestId: string): ServiceResponse {
    const bucket = this.bucket(bucketName);
    const source = this.copySource(req);
    const original = source.object;
    const sourceBucket = source.bucket;
    const sourceKey = source.key;
    const replace = (req.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE';
    if (!replace && sourceBucket === bucketName && sourceKey === key)
      throw new S3Error(
        400,
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    this.reserve(original.body.length, bucket.objects.get(key)?.body.length);
    const object: StoredObject = {
      ...original,
      key,
      lastModified: this.clock.wallNow(),
      ...(replace
        ? {
            contentType: req.headers['content-type'] || 'binary/octet-stream',
            metadata: userMetadata(req.headers),
            headers: storedHeaders(req.headers),
          }
        : {}),
    };
    this.store(bucket, object);
    this.publish('ObjectCreated:Copy', bucketName, key, object, req, requestId);
    return xml(200, 'CopyObjectResult', { ETag: `"${object.etag}"`, LastModified: iso(object.lastModified) });
  }

  // ---- listing ------------------------------------------------------------------------------

  private sortedKeys(bucket: Bucket): string[] {
    bucket.sorted ??= [...bucket.objects.keys()].sort(compare);
    return bucket.sorted;
  }

  /**
   * One page of keys and common prefixes after `marker`, the way S3 groups by delimiter: each
   * common prefix counts once toward `maxKeys`.
   */
  private page(
    bucket: Bucket,
    prefix: string,
    delimiter: string,
    marker: string,
    maxKeys: number,
  ): { contents: StoredObject[]; prefixes: string[]; truncated: boolean; last: string | undefined } {
    const keys = this.sortedKeys(bucket);
    let i = lowerBound(keys, prefix);
    if (marker && marker >= prefix) {
      i = upperBound(keys, marker);
      const markerIsPrefix =
        delimiter &&
        marker.startsWith(prefix) &&
        marker.indexOf(delimiter, prefix.length) === marker.length - delimiter.length;
      if (markerIsPrefix) i = lowerBound(keys, successor(marker));
    }
    const contents: StoredObject[] = [];
    const prefixes: string[] = [];
    let last: string | undefined;
    let truncated = false;
    while (i < keys.length) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) break;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = key.slice(0, cut + delimiter.length);
        prefixes.push(common);
        last = common;
        i = lowerBound(keys, successor(common));
      } else {
        contents.push(bucket.objects.get(key)!);
        last = key;
        i += 1;
      }
    }
    return { contents, prefixes, truncated, last };
  }

  private listParams(req: ServiceRequest): {
    prefix: string;
    delimiter: string;
    maxKeys: number;
    encode: (s: string) => string;
    encodingType?: string;
  } {
    const q = req.query;
    const rawMax = q.get('max-keys');
    const maxKeys = rawMax === null ? 1000 : Number(rawMax);
    if (!Number.isInteger(maxKeys) || maxKeys < 0)
      throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', rawMax ?? '');
    const encodingType = q.get('encoding-type') ?? undefined;
    if (encodingType !== undefined && encodingType !== 'url')
      throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
    const encode =
      encodingType === 'url' ? (s: string) => encodeURIComponent(s).replace(/%2F/g, '/') : (s: string) => s;
    return {
      prefix: q.get('prefix') ?? '',
      delimiter: q.get('delimiter') ?? '',
      maxKeys: Math.min(maxKeys, 1000),
      encode,
      encodingType,
    };
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html */
  private listObjectsV2(req: ServiceRequest, bucketName: string): ServiceResponse {
    const bucket = this.bucket(bucketName);
    const { prefix, delimiter, maxKeys, encode, encodingType } = this.listParams(req);
    const token = req.query.get('continuation-token') ?? undefined;
    const startAfter = req.query.get('start-after') ?? undefined;
    let marker = startAfter ?? '';
    if (token !== undefined) {
      marker = Buffer.from(token, 'base64url').toString('utf8');
      if (!token || Buffer.from(marker, 'utf8').toString('base64url') !== token)
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', {
          ArgumentName: 'continuation-token',
        });
    }
    const page = this.page(bucket, prefix, delimiter, marker, maxKeys);
    return xml(200, 'ListBucketResult', {
      Name: bucketName,
      Prefix: encode(prefix),
      Delimiter: delimiter ? encode(delimiter) : undefined,
      MaxKeys: maxKeys,
      EncodingType: encodingType,
      KeyCount: page.contents.length + page.prefixes.length,
      IsTruncated: page.truncated,
      ContinuationToken: token,
      NextContinuationToken:
        page.truncated && page.last !== undefined ? Buffer.from(page.last, 'utf8').toString('base64url') : undefined,
      StartAfter: startAfter !== undefined ? encode(startAfter) : undefined,
      Contents: page.contents.map((o) => ({
        Key: encode(o.key),
        LastModified: iso(o.lastModified),
        ETag: `"${o.etag}"`,
        Size: o.body.length,
        StorageClass: 'STANDARD',
      })),
      CommonPrefixes: page.prefixes.map((p) => ({ Prefix: encode(p) })),
    });
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html */
  private listObjectsV1(req: ServiceRequest, bucketName: string): ServiceResponse {
    const bucket = this.bucket(bucketName);
    const { prefix, delimiter, maxKeys, encode, encodingType } = this.listParams(req);
    const marker = req.query.get('marker') ?? '';
    const page = this.page(bucket, prefix, delimiter, marker, maxKeys);
    return xml(200, 'ListBucketResult', {
      Name: bucketName,
      Prefix: encode(prefix),
      Marker: encode(marker),
      NextMarker: page.truncated && page.last !== undefined ? encode(page.last) : undefined,
      Delimiter: delimiter ? encode(delimiter) : undefined,
      MaxKeys: maxKeys,
      EncodingType: encodingType,
      IsTruncated: page.truncated,
      Contents: page.contents.map((o) => ({
        Key: encode(o.key),
        LastModified: iso(o.lastModified),
        ETag: `"${o.etag}"`,
        Size: o.body.length,
        StorageClass: 'STANDARD',
        Owner: { ID: this.ownerId, DisplayName: 'local' },
      })),
      CommonPrefixes: page.prefixes.map((p) => ({ Prefix: encode(p) })),
    });
  }

  // ---- multipart upload ---------------------------------------------------------------------

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html */
  private createMultipart(req: ServiceRequest, bucketName: string, key: string): ServiceResponse {
    const bucket = this.bucket(bucketName);
    const id = randomBytes(24).toString('base64url');
    bucket.uploads.set(id, {
      id,
      key,
      initiated: this.clock.wallNow(),
      contentType: req.headers['content-type'] || 'binary/octet-stream',
      metadata: userMetadata(req.headers),
      headers: storedHeaders(req.headers),
      parts: new Map(),
    });
    const algorithm = req.headers['x-amz-checksum-algorithm'];
    return xml(
      200,
      'InitiateMultipartUploadResult',
      { Bucket: bucketName, Key: key, UploadId: id },
      algorithm ? { 'x-amz-checksum-algorithm': algorithm } : {},
    );
  }

  private upload(bucketName: string, uploadId: string): Upload {
    const upload = this.bucket(bucketName).uploads.get(uploadId);
    if (!upload) throw noSuchUpload(uploadId);
    return upload;
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html */
  private uploadPart(req: ServiceRequest, bucketName: string, uploadId: string): ServiceResponse {
    const upload = this.upload(bucketName, uploadId);
    const partNumber = this.partNumber(req);
    const { data, checksums } = this.payload(req);
    const part = this.storePart(upload, partNumber, data);
    return { status: 200, headers: { etag: `"${part.etag}"`, ...checksumHeaders(checksums) } };
  }

  /**
   * Stores the source object's bytes, or the `x-amz-copy-source-range` of them, as the part.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
   */
  private uploadPartCopy(req: ServiceRequest, bucketName: string, uploadId: string): ServiceResponse {
    const upload = this.upload(bucketName, uploadId);
    const partNumber = this.partNumber(req);
    const { object } = this.copySource(req);
    const range = parseCopySourceRange(req.headers['x-amz-copy-source-range'], object.body.length);
    const data = range ? object.body.subarray(range[0], range[1] + 1) : object.body;
    const part = this.storePart(upload, partNumber, data);
    return xml(200, 'CopyPartResult', { ETag: `"${part.etag}"`, LastModified: iso(part.lastModified) });
  }

  private partNumber(req: ServiceRequest): number {
    const rawNumber = req.query.get('partNumber') ?? '';
    const partNumber = Number(rawNumber);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
      throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', rawNumber);
    return partNumber;
  }

  private storePart(upload: Upload, partNumber: number, data: Buffer): UploadedPart {
    const previous = upload.parts.get(partNumber);
    this.reserve(data.length, previous?.body.length);
    const part = { etag: createHash('md5').update(data).digest('hex'), body: data, lastModified: this.clock.wallNow() };
    upload.parts.set(partNumber, part);
    this.storedBytes += data.length - (previous?.body.length ?? 0);
    return part;
  }

  /** The object `x-amz-copy-source` names, after its `x-amz-copy-source-if-*` conditions. */
  private copySource(req: ServiceRequest): { bucket: string; key: string; object: StoredObject } {
    const { bucket, key, versionId } = parseCopySource(req.headers['x-amz-copy-source'] ?? '');
    const object = this.bucket(bucket).objects.get(key);
    if (!object) throw noSuchKey(key);
    // Buckets here are unversioned: every object has the one version id `null`.
    if (versionId !== undefined && versionId !== 'null')
      throw new S3Error(404, 'NoSuchVersion', 'The specified version does not exist.', {
        Key: key,
        VersionId: versionId,
      });
    checkCopySourceConditions(req.headers, object);
    return { bucket, key, object };
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html */
  private completeMultipart(
    req: ServiceRequest,
    bucketName: string,
    key: string,
    uploadId: string,
    requestId: string,
  ): ServiceResponse {
    const bucket = this.bucket(bucketName);
    const upload = this.upload(bucketName, uploadId);
    const root = xmlBody(this.payload(req).data, MAX_XML_BYTES.completeMultipart, 'CompleteMultipartUpload');
    const listed = childrenNamed(root, 'Part').map((p) => ({
      number: Number(childText(p, 'PartNumber')),
      etag: (childText(p, 'ETag') ?? '').replace(/"/g, ''),
    }));
    if (listed.length === 0) throw malformedXml();
    const parts = listed.map(({ number, etag }, i) => {
      if (i > 0 && number <= listed[i - 1]!.number)
        throw new S3Error(
          400,
          'InvalidPartOrder',
          'The list of parts was not in ascending order. Parts must be ordered by part number.',
        );
      const part = upload.parts.get(number);
      if (!part || part.etag !== etag)
        throw new S3Error(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
          {
            PartNumber: String(number),
            ETag: etag,
          },
        );
      return part;
    });
    parts.forEach((part, i) => {
      if (i < parts.length - 1 && part.body.length < MIN_PART_SIZE)
        throw new S3Error(
          400,
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed object size.',
          {
            ProposedSize: String(part.body.length),
            MinSizeAllowed: String(MIN_PART_SIZE),
          },
        );
    });
    const body = Buffer.concat(parts.map((p) => p.body));
    const digest = createHash('md5');
    for (const part of parts) digest.update(Buffer.from(part.etag, 'hex'));
    let uploadedBytes = 0;
    for (const part of upload.parts.values()) uploadedBytes += part.body.length;
    this.storedBytes -= uploadedBytes;
    bucket.uploads.delete(uploadId);
    const object: StoredObject = {
      key,
      body,
      etag: `${digest.digest('hex')}-${parts.length}`,
      lastModified: this.clock.wallNow(),
      contentType: upload.contentType,
      metadata: upload.metadata,
      headers: upload.headers,
      checksums: {},
    };
    this.store(bucket, object);
    this.publish('ObjectCreated:CompleteMultipartUpload', bucketName, key, object, req, requestId);
    return xml(200, 'CompleteMultipartUploadResult', {
      Location: `${req.baseUrl}/${bucketName}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
      Bucket: bucketName,
      Key: key,
      ETag: `"${object.etag}"`,
    });
  }

  private abortMultipart(bucketName: string, uploadId: string): ServiceResponse {
    const bucket = this.bucket(bucketName);
    const upload = this.upload(bucketName, uploadId);
    for (const part of upload.parts.values()) this.storedBytes -= part.body.length;
    bucket.uploads.delete(uploadId);
    return { status: 204 };
  }

  /** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html */
  private listParts(bucketName: string, key: string, uploadId: string): ServiceResponse {
    const upload = this.upload(bucketName, uploadId);
    const parts = [...upload.parts.entries()].sort(([a], [b]) => a - b);
    return xml(200, 'ListPartsResult', {
      Bucket: bucketName,
      Key: key,
      UploadId: uploadId,
      IsTruncated: false,
      Part: parts.map(([number, p]) => ({
        PartNumber: number,
        LastModified: iso(p.lastModified),
        ETag: `"${p.etag}"`,
        Size: p.body.length,
      })),
    });
  }
}

function xml(status: number, root: string, content: XmlNode, headers: Record<string, string> = {}): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', ...headers },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${XMLNS}">${buildXml(content)}</${root}>`,
  };
}

/**
 * The region a new bucket lives in. A LocationConstraint must name a region other than
 * us-east-1 (which is the absence of a constraint); outside us-east-1 it must also be the
 * region the request was signed for. Without one the bucket lives in the signing region.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_RequestSyntax
 */
function bucketRegion(constraint: string, signingRegion: string): string {
  if (constraint === '') return signingRegion;
  const region = constraint === 'EU' ? 'eu-west-1' : constraint;
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region) || region === 'us-east-1')
    throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', {
      LocationConstraint: constraint,
    });
  if (signingRegion !== 'us-east-1' && region !== signingRegion)
    throw new S3Error(
      400,
      'IllegalLocationConstraintException',
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  return region;
}

/**
 * The root element of an XML request body. A body larger than the operation can need is refused
 * before it is parsed (`MaxMessageLengthExceeded`); one that is not well-formed or has another
 * root is `MalformedXML`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
function xmlBody(body: Buffer, maxBytes: number, rootName: string): XmlElement {
  if (body.length > maxBytes)
    throw new S3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.', {
      MaxMessageLengthBytes: String(maxBytes),
    });
  let root: XmlElement;
  try {
    root = parseXml(body.toString('utf8'));
  } catch {
    throw malformedXml();
  }
  if (root.name !== rootName) throw malformedXml();
  return root;
}

function withCommonHeaders(answer: ServiceResponse, requestId: string): ServiceResponse {
  return {
    ...answer,
    headers: {
      ...answer.headers,
      'x-amz-request-id': requestId,
      'x-amz-id-2': Buffer.from(requestId).toString('base64'),
      server: 'AmazonS3',
    },
  };
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
function validBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias')
  );
}

function userMetadata(headers: Readonly<Record<string, string>>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (name.startsWith('x-amz-meta-')) metadata[name.slice(11)] = value;
  return metadata;
}

function storedHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    let value = headers[name];
    // aws-chunked is transport framing, not the object's encoding.
    if (name === 'content-encoding' && value)
      value = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && s !== 'aws-chunked')
        .join(', ');
    if (value) stored[name] = value;
  }
  return stored;
}

function checksumHeaders(checksums: Partial<Record<ChecksumAlgorithm, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [algorithm, value] of Object.entries(checksums)) if (value) headers[`x-amz-checksum-${algorithm}`] = value;
  return headers;
}

/**
 * A single `bytes=` range as [first, last] (inclusive), null when absent or not one range
 * (S3 then serves the whole object), or 'unsatisfiable'.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2
 */
function parseRange(header: string | undefined, size: number): [number, number] | null | 'unsatisfiable' {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return [start, end];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index whose key is >= `value`. */
function lowerBound(keys: readonly string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > `value`. */
function upperBound(keys: readonly string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest string greater than every string that starts with `prefix`. */
function successor(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
