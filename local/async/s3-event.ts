import { createHash } from 'node:crypto';
import type { S3EventRecord } from 'aws-lambda';
import type { BucketNotificationModel } from '../assembly/model';
import type { S3ObjectEvent } from '../endpoint/types';

/** Fixed facts of a notification, so the builder is pure. */
export interface S3RecordContext {
  readonly region: string;
  readonly accountId: string;
  /** The bucket's ARN, `arn:aws:s3:::<name>`. */
  readonly bucketArn: string;
  /** The notification configuration's id. */
  readonly configurationId: string;
  /**
   * `eventVersion`: S3 has moved from 2.1 to a unified, increasing version; most samples still
   * show 2.1. @default '2.1'
   */
  readonly eventVersion?: string;
}

/**
 * Builds one S3 event notification record for an object event.
 * `eventName` carries no `s3:` prefix; the key is URL-encoded form style (space → `+`);
 * `size` is a number; `versionId` only for versioned buckets.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function buildS3EventRecord(event: S3ObjectEvent, ctx: S3RecordContext): S3EventRecord {
  const principal = principalIdOf(ctx.accountId);
  const removed = event.eventName.startsWith('ObjectRemoved');
  // Delete events carry no size or ETag, although @types/aws-lambda declares them.
  const object = {
    key: encodeS3EventKey(event.key),
    ...(removed ? {} : { size: event.size ?? 0, eTag: event.eTag ?? '' }),
    ...(event.versionId ? { versionId: event.versionId } : {}),
    sequencer: event.sequencer,
  } as S3EventRecord['s3']['object'];
  return {
    eventVersion: ctx.eventVersion ?? '2.1',
    eventSource: 'aws:s3',
    awsRegion: ctx.region,
    eventTime: event.eventTime,
    eventName: event.eventName,
    userIdentity: { principalId: `AWS:${principal}` },
    requestParameters: { sourceIPAddress: event.sourceIp },
    responseElements: {
      'x-amz-request-id': event.requestId,
      'x-amz-id-2': createHash('sha256').update(`id2 ${event.requestId}`).digest('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: ctx.configurationId,
      bucket: {
        name: event.bucket,
        ownerIdentity: { principalId: principal },
        arn: ctx.bucketArn,
      },
      object,
    },
  };
}

/**
 * Encodes an object key as S3 event records do: form URL encoding (space → `+`, `(` → `%28`, …)
 * with `/` kept, so `photos/red flower.jpg` → `photos/red+flower.jpg`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((part) =>
      encodeURIComponent(part)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/**
 * True when a notification configuration wants this event: an event type such as
 * `s3:ObjectCreated:*` or `s3:ObjectCreated:Put`, and the key's prefix and suffix filters
 * (compared with the raw key).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 */
export function matchesNotification(
  notification: Pick<BucketNotificationModel, 'events' | 'prefix' | 'suffix'>,
  eventName: string,
  key: string,
): boolean {
  const name = `s3:${eventName}`;
  const typeMatches = notification.events.some((pattern) =>
    pattern.endsWith(':*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name,
  );
  if (!typeMatches) return false;
  if (notification.prefix && !key.startsWith(notification.prefix)) return false;
  if (notification.suffix && !key.endsWith(notification.suffix)) return false;
  return true;
}

/** A stable id for a notification configuration without one (S3 generates one the same way). */
export function notificationId(bucket: string, notification: BucketNotificationModel): string {
  if (notification.id) return notification.id;
  const basis = `${bucket} ${notification.targetArn} ${notification.events.join(',')} ${notification.prefix ?? ''} ${notification.suffix ?? ''}`;
  return createHash('sha256').update(basis).digest('base64').slice(0, 43);
}

/** A canonical-user-like principal id derived from the account. */
function principalIdOf(accountId: string): string {
  return `A${createHash('sha256').update(accountId).digest('hex').slice(0, 13).toUpperCase()}`;
}
