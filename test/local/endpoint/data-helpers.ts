import type { Clock } from '../../../local/core/clock';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { dynamodbServices } from '../../../local/endpoint/services/dynamodb';
import { kinesisService } from '../../../local/endpoint/services/kinesis';
import { s3Service } from '../../../local/endpoint/services/s3';
import { ACCOUNT, REGION } from '../test-clients';

export { ACCOUNT, clientConfig, REGION, uniqueName } from '../test-clients';

/** Starts an endpoint on a free loopback port with the S3, Kinesis and DynamoDB (+Streams) services. */
export function startDataEndpoint(options: { clock?: Clock; ttlSweepMs?: number } = {}): Promise<Endpoint> {
  return startEndpoint({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    services: [
      s3Service({ clock: options.clock }),
      kinesisService(),
      ...dynamodbServices({ clock: options.clock, ttlSweepMs: options.ttlSweepMs }),
    ],
  });
}

/** A clock the test moves by hand: `advance(ms)` jumps virtual time and fires due timers. */
export class ManualClock implements Clock {
  private current = Date.now();
  private timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];

  now(): number {
    return this.current;
  }

  /** The wall clock moves with the manual one, so tests can jump over ages and timestamps alike. */
  wallNow(): number {
    return this.current;
  }

  toVirtualMs(realMs: number): number {
    return realMs;
  }

  toRealMs(virtualMs: number): number {
    return virtualMs;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.current + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = this.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        timer.cancel();
        reject(signal.reason as Error);
      });
    });
  }

  advance(ms: number): void {
    this.current += ms;
    const due = this.timers.filter((t) => !t.cancelled && t.at <= this.current);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const timer of due) timer.fn();
  }
}
