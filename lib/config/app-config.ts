/**
 * The app's configuration: context is read and validated here, once, and nowhere else.
 *
 * Every stack receives the frozen {@link AppConfig} as a prop, so a bad `-c key=value` fails `cdk synth`
 * before any construct exists, with the key, the given value and what is allowed.
 */

/** Where context values come from; `app.node` satisfies it. */
export interface ContextSource {
  /** Returns the context value for `key`, or `undefined` when it is not set. */
  tryGetContext(key: string): unknown;
}

/** The deployment stages the app knows; each picks a preset of {@link Settings}. */
export const STAGES = ['dev', 'training'] as const;

/** A deployment stage: `dev` for one person's sandbox, `training` for a shared course account. */
export type Stage = (typeof STAGES)[number];

/** CloudWatch Logs accepts only these retention periods, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Tunable settings; each can be overridden with `-c <key>=<value>`. */
export interface Settings {
  /**
   * Retention of every function's and the API's log group, in days.
   * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
   */
  readonly logRetentionDays: number;
  /**
   * API Gateway stage steady-state rate limit, requests per second (1-10000).
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
   */
  readonly apiRateLimit: number;
  /** API Gateway stage burst limit, requests (1-5000). */
  readonly apiBurstLimit: number;
  /**
   * Largest order quantity the functions accept (1-1000000). Written to Parameter Store and read at run time,
   * so an instructor can change it in the console without a deployment.
   */
  readonly maxQuantity: number;
  /**
   * How long a function caches the Parameter Store value, in seconds (0-3600).
   * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/parameters/
   */
  readonly parameterCacheSeconds: number;
  /**
   * Retries after a failed asynchronous invocation (S3, SNS), 0-2.
   * @see docs/aws-semantics.md §B.2 (L-ASYNC-ERR)
   */
  readonly asyncRetryAttempts: number;
  /** Maximum age of an asynchronous event before Lambda gives up on it, in seconds (60-21600). */
  readonly asyncMaxEventAgeSeconds: number;
  /**
   * Retries of a failed stream batch before it goes to the on-failure destination, 0-10000 (never infinite here).
   * @see docs/aws-semantics.md §C.1
   */
  readonly streamRetryAttempts: number;
  /** Maximum age of a stream record before it is skipped, in seconds (60-604800). */
  readonly streamMaxRecordAgeSeconds: number;
  /**
   * Upper bound on concurrent invocations by each SQS event source mapping, 2-1000.
   * @see docs/aws-semantics.md §D.1 (ScalingConfig.MaximumConcurrency)
   */
  readonly queueMaxConcurrency: number;
}

/** The validated, frozen configuration every stack is built from. */
export interface AppConfig {
  /** Prefix of every stack name, so many students can share one account. */
  readonly owner: string;
  /** The stage whose preset the settings started from. */
  readonly stage: Stage;
  /** Whether `bin/app.ts` runs the cdk-nag AwsSolutions checks at synth. */
  readonly nag: boolean;
  /** Effective settings: stage preset plus context overrides. */
  readonly settings: Settings;
}

/** Owner used when `-c owner=…` is not given. */
export const DEFAULT_OWNER = 'dev';
/** Stage used when `-c stage=…` is not given. */
export const DEFAULT_STAGE: Stage = 'dev';

/** Stage presets; a context key of the same name overrides one value. */
export const STAGE_PRESETS: Readonly<Record<Stage, Settings>> = {
  dev: {
    logRetentionDays: 3,
    apiRateLimit: 10,
    apiBurstLimit: 20,
    maxQuantity: 100,
    parameterCacheSeconds: 30,
    asyncRetryAttempts: 2,
    asyncMaxEventAgeSeconds: 3600,
    streamRetryAttempts: 3,
    streamMaxRecordAgeSeconds: 3600,
    queueMaxConcurrency: 2,
  },
  training: {
    logRetentionDays: 7,
    apiRateLimit: 50,
    apiBurstLimit: 100,
    maxQuantity: 100,
    parameterCacheSeconds: 30,
    asyncRetryAttempts: 2,
    asyncMaxEventAgeSeconds: 3600,
    streamRetryAttempts: 3,
    streamMaxRecordAgeSeconds: 3600,
    queueMaxConcurrency: 5,
  },
};

const OWNER_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** What a setting accepts: an integer range or a fixed set of integers. */
type Rule = { readonly min: number; readonly max: number } | { readonly oneOf: readonly number[] };

const SETTING_RULES: Readonly<Record<keyof Settings, Rule>> = {
  logRetentionDays: { oneOf: LOG_RETENTION_DAYS },
  apiRateLimit: { min: 1, max: 10000 },
  apiBurstLimit: { min: 1, max: 5000 },
  maxQuantity: { min: 1, max: 1_000_000 },
  parameterCacheSeconds: { min: 0, max: 3600 },
  asyncRetryAttempts: { min: 0, max: 2 },
  asyncMaxEventAgeSeconds: { min: 60, max: 21600 },
  streamRetryAttempts: { min: 0, max: 10000 },
  streamMaxRecordAgeSeconds: { min: 60, max: 604800 },
  queueMaxConcurrency: { min: 2, max: 1000 },
};

/** Thrown when a context value is not allowed; the message names the key, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(key: string, value: unknown, allowed: string) {
    super(`Invalid context "${key}": ${JSON.stringify(value)} is not allowed. Allowed: ${allowed}.`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads `owner`, `stage`, `nag` and the {@link Settings} overrides from context and validates them.
 *
 * `-c key=value` arrives as a string and cdk.json values keep their JSON type, so both are accepted.
 *
 * @throws ConfigError naming the key, the value and what is allowed
 */
export function loadConfig(context: ContextSource): AppConfig {
  const owner = readOwner(context.tryGetContext('owner'));
  const stage = readStage(context.tryGetContext('stage'));
  const nag = readBoolean('nag', context.tryGetContext('nag'), true);
  const preset = STAGE_PRESETS[stage];
  const settings = Object.fromEntries(
    (Object.keys(SETTING_RULES) as (keyof Settings)[]).map((key) => [
      key,
      readSetting(key, context.tryGetContext(key), preset[key]),
    ]),
  ) as unknown as Settings;
  if (settings.apiBurstLimit < settings.apiRateLimit) {
    throw new ConfigError(
      'apiBurstLimit',
      settings.apiBurstLimit,
      `an integer no smaller than apiRateLimit (${settings.apiRateLimit})`,
    );
  }
  return Object.freeze({ owner, stage, nag, settings: Object.freeze(settings) });
}

function readOwner(value: unknown): string {
  if (value === undefined) return DEFAULT_OWNER;
  if (typeof value !== 'string' || !OWNER_PATTERN.test(value)) {
    throw new ConfigError(
      'owner',
      value,
      '1-20 characters of lowercase letters, digits and hyphens, starting with a letter (^[a-z][a-z0-9-]{0,19}$), e.g. -c owner=alice',
    );
  }
  return value;
}

function readStage(value: unknown): Stage {
  if (value === undefined) return DEFAULT_STAGE;
  const stage = STAGES.find((s) => s === value);
  if (stage === undefined) throw new ConfigError('stage', value, `one of ${STAGES.join(', ')}`);
  return stage;
}

function readBoolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(key, value, 'true or false');
}

function readSetting(key: keyof Settings, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const rule = SETTING_RULES[key];
  // `-c key=3` arrives as the string "3"; cdk.json keeps JSON numbers
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if ('oneOf' in rule) {
    if (!rule.oneOf.includes(parsed)) throw new ConfigError(key, value, `one of ${rule.oneOf.join(', ')}`);
  } else if (!Number.isInteger(parsed) || parsed < rule.min || parsed > rule.max) {
    throw new ConfigError(key, value, `an integer from ${rule.min} to ${rule.max}`);
  }
  return parsed;
}
