import type { Clock } from '../../../local/clock';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { dynamodbServices } from '../../../local/endpoint/services/dynamodb';
import { kinesisService } from '../../../local/endpoint/services/kinesis';
import { s3Service } from '../../../local/endpoint/services/s3';

/** Region and account that differ from the engines' defaults, so ARNs prove they are configured. */
export const REGION = 'eu-west-2';
export const ACCOUNT = '123456789012';

/**
 * What every test client gets, and nothing else: the endpoint, a region, dummy credentials and
 * no retries (errors surface at once). S3 adds `forcePathStyle`.
 */
export function clientConfig(endpoint: Endpoint): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
} {
  return {
    endpoint: endpoint.url,
    region: REGION,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
}

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

let counter = 0;
/** A name no other test in the run uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
