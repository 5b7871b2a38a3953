/**
 * Where the command line sends: the local engine or AWS. One code path for both; only the endpoint and the
 * credentials differ.
 */
import { DEFAULT_OWNER } from '../lib/config/app-config';

/** Port of `npm start`'s endpoint. */
export const DEFAULT_LOCAL_PORT = 4566;
/** Owner `npm start` deploys. */
export const LOCAL_OWNER = 'local';
/** Region of the local engine and the fallback when nothing else names one. */
export const DEFAULT_REGION = 'us-east-1';

/** Options that pick the target. */
export interface TargetOptions {
  readonly local?: boolean;
  readonly endpoint?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly owner?: string;
}

/** A resolved target. */
export type Target =
  | {
      readonly kind: 'local';
      /** The engine's endpoint, e.g. `http://127.0.0.1:4566`. */
      readonly endpoint: string;
      readonly region: string;
      readonly owner: string;
    }
  | {
      readonly kind: 'aws';
      /** An explicit endpoint (`--endpoint`) for AWS-compatible services; normally absent. */
      readonly endpoint?: string;
      readonly region?: string;
      readonly profile?: string;
      readonly owner: string;
    };

/**
 * The local engine when `--local` is given or `AWS_ENDPOINT_URL` is set, otherwise AWS with the SDK's
 * standard credential chain (`--profile`, environment, SSO, …).
 * The owner defaults to what each target deploys: `local` for `npm start`, the CDK app's default on AWS.
 */
export function resolveTarget(opts: TargetOptions, env: Readonly<Record<string, string | undefined>>): Target {
  const envEndpoint = env['AWS_ENDPOINT_URL'];
  if (opts.local || (envEndpoint && !opts.profile)) {
    const endpoint = (opts.endpoint ?? envEndpoint ?? `http://127.0.0.1:${DEFAULT_LOCAL_PORT}`).replace(/\/+$/, '');
    return { kind: 'local', endpoint, region: opts.region ?? DEFAULT_REGION, owner: opts.owner ?? LOCAL_OWNER };
  }
  return {
    kind: 'aws',
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    owner: opts.owner ?? DEFAULT_OWNER,
  };
}

/** Configuration shared by every SDK client of a target. */
export interface ClientConfig {
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly maxAttempts?: number;
}

/**
 * SDK client configuration: locally the endpoint, the region and placeholder credentials (the engine checks the
 * shape of signatures, not secrets); on AWS only what the user named, the SDK resolves the rest.
 */
export function clientConfig(target: Target): ClientConfig {
  if (target.kind === 'local') {
    return {
      endpoint: target.endpoint,
      region: target.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    };
  }
  return {
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
  };
}

/** What a user sees as "the target" in progress lines. */
export function describeTarget(target: Target): string {
  return target.kind === 'local'
    ? `the local engine at ${target.endpoint} (owner ${target.owner})`
    : `AWS${target.profile ? ` (profile ${target.profile})` : ''}${target.region ? ` in ${target.region}` : ''} (owner ${target.owner})`;
}
