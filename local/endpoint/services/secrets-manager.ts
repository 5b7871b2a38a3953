import { randomInt, randomUUID } from 'node:crypto';
import { realClock, type Clock } from '../../core/clock';
import { AwsError, reader, serveJson, type InputReader } from '../protocols/json';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse } from '../types';
import { PasswordOptionsError, randomPassword } from './random-password';

/** Options of {@link secretsManagerService}. */
export interface SecretsManagerServiceOptions {
  /** Source of dates and of the end of recovery windows. @default realClock */
  readonly clock?: Clock;
}

/** The local Secrets Manager. */
export interface SecretsManagerService extends LocalService {
  readonly name: 'secretsmanager';
}

interface SecretVersion {
  readonly id: string;
  readonly string?: string;
  readonly binary?: Buffer;
  readonly created: number;
  readonly stages: Set<string>;
}

interface Secret {
  readonly name: string;
  readonly arn: string;
  description?: string;
  kmsKeyId?: string;
  readonly tags: { Key: string; Value: string }[];
  readonly created: number;
  lastChanged: number;
  lastAccessed?: number;
  /** When the recovery window ends and the secret is gone; set while it is scheduled for deletion. */
  deletionDate?: number;
  readonly versions: Map<string, SecretVersion>;
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const DAY_MS = 24 * 60 * 60 * 1000;
/** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#SecretsManager-CreateSecret-request-Name */
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const MAX_VALUE_BYTES = 65536;

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);
const invalidRequest = (message: string): AwsError => new AwsError('InvalidRequestException', message);
const notFound = (message = "Secrets Manager can't find the specified secret."): AwsError =>
  new AwsError('ResourceNotFoundException', message);
const markedForDeletion = (): AwsError =>
  invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");

/**
 * Creates the local AWS Secrets Manager (AWS JSON 1.1, `secretsmanager.<Operation>`): one operation per
 * request, secrets with versions and the staging labels `AWSCURRENT`/`AWSPREVIOUS`, deletion with a recovery
 * window on the endpoint's clock, and `GetRandomPassword`. Values are kept in memory, unencrypted.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Operations.html
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html
 */
export function secretsManagerService(
  opts: SecretsManagerServiceOptions = {},
): (ctx: EndpointContext) => SecretsManagerService {
  return (ctx) => new LocalSecretsManager(ctx, opts.clock ?? realClock);
}

class LocalSecretsManager implements SecretsManagerService {
  readonly name = 'secretsmanager' as const;
  private readonly secrets = new Map<string, Secret>();
  private readonly operations: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>;

  constructor(
    private readonly ctx: EndpointContext,
    private readonly clock: Clock,
  ) {
    const r = (i: Record<string, unknown>): InputReader => reader(i, invalidParameter);
    this.operations = {
      CreateSecret: (i) => this.createSecret(r(i)),
      GetSecretValue: (i) => this.getSecretValue(r(i)),
      PutSecretValue: (i) => this.putSecretValue(r(i)),
      DescribeSecret: (i) => this.describeSecret(r(i)),
      ListSecrets: (i) => this.listSecrets(r(i)),
      UpdateSecret: (i) => this.updateSecret(r(i)),
      DeleteSecret: (i) => this.deleteSecret(r(i)),
      RestoreSecret: (i) => this.restoreSecret(r(i)),
      GetRandomPassword: (i) => this.getRandomPassword(r(i)),
    };
  }

  handle(req: ServiceRequest): Promise<ServiceResponse> {
    return serveJson(
      req,
      { version: '1.1', targetPrefix: 'secretsmanager', serviceLabel: 'Secrets Manager' },
      this.operations,
    );
  }

  health(): string {
    this.purgeExpired();
    return `running (${this.secrets.size} secrets)`;
  }

  // ---- operations ----

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html */
  private createSecret(r: InputReader): unknown {
    this.purgeExpired();
    const name = r.reqStr('Name');
    if (!NAME_PATTERN.test(name)) {
      throw invalidParameter(
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    const existing = this.secrets.get(name);
    if (existing?.deletionDate !== undefined) {
      throw invalidRequest(
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing)
      throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    const value = readValue(r);
    const now = this.clock.now();
    const secret: Secret = {
      name,
      arn: `arn:aws:secretsmanager:${this.ctx.region}:${this.ctx.accountId}:secret:${name}-${randomSuffix()}`,
      description: r.str('Description'),
      kmsKeyId: r.str('KmsKeyId'),
      tags: readTags(r),
      created: now,
      lastChanged: now,
      versions: new Map(),
    };
    this.secrets.set(name, secret);
    const version = value ? this.addVersion(secret, value, r.str('ClientRequestToken'), [CURRENT]) : undefined;
    return { ARN: secret.arn, Name: name, ...(version && { VersionId: version.id }) };
  }

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html */
  private getSecretValue(r: InputReader): unknown {
    const secret = this.live(r.reqStr('SecretId'));
    const versionId = r.str('VersionId');
    const stage = r.str('VersionStage') ?? (versionId === undefined ? CURRENT : undefined);
    const version = [...secret.versions.values()].find(
      (v) => (versionId === undefined || v.id === versionId) && (stage === undefined || v.stages.has(stage)),
    );
    if (!version) {
      throw notFound(
        versionId !== undefined
          ? `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`
          : `Secrets Manager can't find the specified secret value for staging label: ${stage ?? CURRENT}`,
      );
    }
    secret.lastAccessed = startOfDay(this.clock.now());
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(version.string !== undefined && { SecretString: version.string }),
      ...(version.binary !== undefined && { SecretBinary: version.binary.toString('base64') }),
      VersionStages: [...version.stages],
      CreatedDate: seconds(version.created),
    };
  }

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html */
  private putSecretValue(r: InputReader): unknown {
    const secret = this.live(r.reqStr('SecretId'));
    const value = readValue(r);
    if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
    const stages = r.strList('VersionStages') ?? [CURRENT];
    const version = this.addVersion(secret, value, r.str('ClientRequestToken'), stages);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
  }

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecret.html */
  private updateSecret(r: InputReader): unknown {
    const secret = this.live(r.reqStr('SecretId'));
    const description = r.str('Description');
    const kmsKeyId = r.str('KmsKeyId');
    const value = readValue(r);
    if (description !== undefined) secret.description = description;
    if (kmsKeyId !== undefined) secret.kmsKeyId = kmsKeyId;
    secret.lastChanged = this.clock.now();
    const version = value ? this.addVersion(secret, value, r.str('ClientRequestToken'), [CURRENT]) : undefined;
    return { ARN: secret.arn, Name: secret.name, ...(version && { VersionId: version.id }) };
  }

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html */
  private describeSecret(r: InputReader): unknown {
    return this.metadata(this.find(r.reqStr('SecretId')));
  }

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html */
  private listSecrets(r: InputReader): unknown {
    this.purgeExpired();
    const max = r.num('MaxResults') ?? 100;
    if (!Number.isInteger(max) || max < 1 || max > 100) {
      throw invalidParameter(
        `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
      );
    }
    const includeDeleted = r.bool('IncludePlannedDeletion') ?? false;
    const names = nameFilters(r);
    const all = [...this.secrets.values()]
      .filter((s) => includeDeleted || s.deletionDate === undefined)
      .filter((s) => names.length === 0 || names.some((prefix) => s.name.startsWith(prefix)))
      .sort((a, b) => (r.str('SortOrder') === 'asc' ? a.created - b.created : b.created - a.created));
    const token = r.str('NextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > all.length) {
      throw new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.');
    }
    const page = all.slice(start, start + max);
    const next = start + max < all.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
    return { SecretList: page.map((s) => this.metadata(s)), ...(next !== undefined && { NextToken: next }) };
  }

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html */
  private deleteSecret(r: InputReader): unknown {
    const secret = this.find(r.reqStr('SecretId'));
    const window = r.num('RecoveryWindowInDays');
    const force = r.bool('ForceDeleteWithoutRecovery') ?? false;
    if (force && window !== undefined) {
      throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    if (window !== undefined && (!Number.isInteger(window) || window < 7 || window > 30)) {
      throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    }
    const now = this.clock.now();
    if (force) {
      this.secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(now) };
    }
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    secret.deletionDate = now + (window ?? 30) * DAY_MS;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(secret.deletionDate) };
  }

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RestoreSecret.html */
  private restoreSecret(r: InputReader): unknown {
    const secret = this.find(r.reqStr('SecretId'));
    delete secret.deletionDate;
    return { ARN: secret.arn, Name: secret.name };
  }

  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html */
  private getRandomPassword(r: InputReader): unknown {
    try {
      const password = randomPassword({
        passwordLength: r.num('PasswordLength'),
        excludeCharacters: r.str('ExcludeCharacters'),
        excludeNumbers: r.bool('ExcludeNumbers'),
        excludePunctuation: r.bool('ExcludePunctuation'),
        excludeUppercase: r.bool('ExcludeUppercase'),
        excludeLowercase: r.bool('ExcludeLowercase'),
        includeSpace: r.bool('IncludeSpace'),
        requireEachIncludedType: r.bool('RequireEachIncludedType'),
      });
      return { RandomPassword: password };
    } catch (err) {
      if (err instanceof PasswordOptionsError) throw invalidParameter(err.message);
      throw err;
    }
  }

  // ---- state ----

  /** A secret by name, full ARN or partial ARN (without the 6-character suffix), deleted or not. */
  private find(secretId: string): Secret {
    this.purgeExpired();
    const byName = this.secrets.get(secretId);
    if (byName) return byName;
    for (const s of this.secrets.values()) {
      if (s.arn === secretId || s.arn.slice(0, -7) === secretId) return s;
    }
    throw notFound();
  }

  /** {@link find}, refusing a secret scheduled for deletion. */
  private live(secretId: string): Secret {
    const secret = this.find(secretId);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    return secret;
  }

  /** Secrets whose recovery window has ended are gone. */
  private purgeExpired(): void {
    const now = this.clock.now();
    for (const [name, s] of this.secrets)
      if (s.deletionDate !== undefined && s.deletionDate <= now) this.secrets.delete(name);
  }

  /**
   * Adds a version with the given labels, moving each label off the version that had it; the version losing
   * `AWSCURRENT` gets `AWSPREVIOUS`. The same token with the same value is a no-op (idempotent retry).
   */
  private addVersion(secret: Secret, value: Value, token: string | undefined, stages: string[]): SecretVersion {
    const id = token ?? randomUUID();
    const existing = secret.versions.get(id);
    if (existing) {
      if (sameValue(existing, value)) return existing;
      throw new AwsError(
        'ResourceExistsException',
        "You can't modify an existing version, you can only create a new version.",
      );
    }
    const previousCurrent = [...secret.versions.values()].find((v) => v.stages.has(CURRENT));
    for (const v of secret.versions.values()) for (const stage of stages) v.stages.delete(stage);
    if (stages.includes(CURRENT) && previousCurrent) {
      for (const v of secret.versions.values()) v.stages.delete(PREVIOUS);
      previousCurrent.stages.add(PREVIOUS);
    }
    const version: SecretVersion = { id, ...value, created: this.clock.now(), stages: new Set(stages) };
    secret.versions.set(id, version);
    secret.lastChanged = version.created;
    for (const [vid, v] of secret.versions)
      if (v.stages.size === 0 && secret.versions.size > 100) secret.versions.delete(vid);
    return version;
  }

  private metadata(s: Secret): Record<string, unknown> {
    return {
      ARN: s.arn,
      Name: s.name,
      ...(s.description !== undefined && { Description: s.description }),
      ...(s.kmsKeyId !== undefined && { KmsKeyId: s.kmsKeyId }),
      CreatedDate: seconds(s.created),
      LastChangedDate: seconds(s.lastChanged),
      ...(s.lastAccessed !== undefined && { LastAccessedDate: seconds(s.lastAccessed) }),
      ...(s.deletionDate !== undefined && { DeletedDate: seconds(s.deletionDate) }),
      Tags: s.tags,
      VersionIdsToStages: Object.fromEntries([...s.versions].map(([id, v]) => [id, [...v.stages]])),
    };
  }
}

type Value =
  { readonly string: string; readonly binary?: undefined } | { readonly binary: Buffer; readonly string?: undefined };

/** `SecretString` or `SecretBinary` (base64 on the wire), never both, at most 64 KB. */
function readValue(r: InputReader): Value | undefined {
  const text = r.str('SecretString');
  const binary = r.str('SecretBinary');
  if (text !== undefined && binary !== undefined) {
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  const value: Value | undefined =
    text !== undefined
      ? { string: text }
      : binary !== undefined
        ? { binary: Buffer.from(binary, 'base64') }
        : undefined;
  const size = value?.string !== undefined ? Buffer.byteLength(value.string) : (value?.binary?.length ?? 0);
  if (size > MAX_VALUE_BYTES) throw invalidParameter('The secret value exceeds the maximum size of 65536 bytes.');
  return value;
}

function sameValue(v: SecretVersion, value: Value): boolean {
  return value.string !== undefined
    ? v.string === value.string
    : v.binary !== undefined && value.binary.equals(v.binary);
}

function readTags(r: InputReader): { Key: string; Value: string }[] {
  return (r.list('Tags') ?? []).map((t) => {
    const tag = t as { Key?: unknown; Value?: unknown };
    if (typeof tag.Key !== 'string') throw invalidParameter('Every tag must have a Key.');
    return { Key: tag.Key, Value: typeof tag.Value === 'string' ? tag.Value : '' };
  });
}

/** `name` filters of ListSecrets (prefix match); other filter keys are accepted and ignored. */
function nameFilters(r: InputReader): string[] {
  return (r.list('Filters') ?? []).flatMap((f) => {
    const filter = f as { Key?: unknown; Values?: unknown };
    return filter.Key === 'name' && Array.isArray(filter.Values)
      ? filter.Values.filter((v): v is string => typeof v === 'string')
      : [];
  });
}

/** The 6 characters Secrets Manager appends to a secret's name in its ARN. */
function randomSuffix(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 6 }, () => chars[randomInt(chars.length)]).join('');
}

/** JSON 1.1 timestamps are epoch seconds. */
const seconds = (ms: number): number => ms / 1000;

/** `LastAccessedDate` is rounded down to the day. */
const startOfDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
