import type { Endpoint } from '../../local/endpoint/server';

/** Region and account that differ from the engine's defaults, so ARNs and URLs prove they are configured. */
export const REGION = 'eu-west-2';
export const ACCOUNT = '123456789012';

/**
 * What every test client gets, and nothing else a user would not set: the endpoint, a region,
 * dummy credentials, and no retries so errors surface at once. S3 clients add `forcePathStyle`.
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

let counter = 0;
/** A name no other test of the run uses (files run in parallel workers, hence the pid). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
