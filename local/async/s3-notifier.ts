import type { BucketModel } from '../assembly/model';
import type { LabBus, S3ObjectEvent } from '../endpoint/types';
import { parseFunctionArn } from './destination-sender';
import { buildS3EventRecord, matchesNotification, notificationId } from './s3-event';
import { type EngineLogger, silentLogger, type TimelineWriter } from './types';
import type { AsyncInvocationQueue } from './async-invocation-queue';

/** Settings of an {@link S3Notifier}. */
export interface S3NotifierOptions {
  /** The endpoint's bus; the notifier listens for `'s3:object'`. */
  readonly bus: LabBus;
  /** Every bucket of the assembly with its notification configurations. */
  readonly buckets: readonly BucketModel[];
  readonly queue: Pick<AsyncInvocationQueue, 'enqueue'>;
  /** Records events that reach no function. */
  readonly timeline: TimelineWriter;
  readonly region: string;
  readonly accountId: string;
  /** `eventVersion` of the records. @default '2.1' */
  readonly eventVersion?: string;
  /** @default silent */
  readonly logger?: EngineLogger;
}

/**
 * S3 → Lambda: turns object events of the local S3 service into S3 event notifications, one
 * record per event, for every Lambda notification configuration of the bucket that matches
 * (event type, prefix, suffix), and hands them to Lambda's asynchronous queue.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html
 */
export class S3Notifier {
  private readonly buckets: ReadonlyMap<string, BucketModel>;
  private readonly listener = (event: S3ObjectEvent): void => {
    this.handle(event);
  };

  constructor(private readonly options: S3NotifierOptions) {
    this.buckets = new Map(options.buckets.map((b) => [b.name, b]));
    options.bus.on('s3:object', this.listener);
  }

  /** Delivers one object event; returns how many notifications it produced. Never throws. */
  handle(event: S3ObjectEvent): number {
    const bucket = this.buckets.get(event.bucket);
    if (!bucket) return 0;
    let delivered = 0;
    for (const notification of bucket.notifications) {
      if (notification.target !== 'lambda') continue;
      if (!matchesNotification(notification, event.eventName, event.key)) continue;
      const record = buildS3EventRecord(event, {
        region: this.options.region,
        accountId: this.options.accountId,
        bucketArn: bucket.arn,
        configurationId: notificationId(bucket.name, notification),
        eventVersion: this.options.eventVersion,
      });
      const summary = `${event.eventName} s3://${event.bucket}/${event.key}`;
      let functionName = notification.targetArn;
      try {
        functionName = parseFunctionArn(notification.targetArn).name;
        this.options.queue.enqueue(functionName, JSON.stringify({ Records: [record] }), {
          source: 's3',
          resource: bucket.arn,
          summary,
        });
        delivered += 1;
      } catch (err) {
        const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        (this.options.logger ?? silentLogger).warn(`S3 notification to ${notification.targetArn} dropped: ${reason}`);
        const eventId = this.options.timeline.start({ source: 's3', functionName, resource: bucket.arn, summary });
        this.options.timeline.finish(eventId, 'discarded', {
          kind: 'discarded',
          functionName,
          detail: { reason: `the notification's function cannot be invoked (${reason})` },
        });
      }
    }
    return delivered;
  }

  /** Stops listening to the bus. */
  stop(): void {
    this.options.bus.off('s3:object', this.listener);
  }
}
