import { createHash } from 'node:crypto';

/**
 * Deterministic stand-ins for the names and ids CloudFormation generates. CloudFormation picks a
 * random suffix once per resource; the local engine derives it from a hash of the stack name and
 * logical id, so the same `cdk.out` always deploys to the same names.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

function digest(...parts: readonly string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** `length` characters from `alphabet`, derived from the hash of `parts`. */
export function hashChars(alphabet: string, length: number, ...parts: readonly string[]): string {
  const bytes = digest(...parts);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i % bytes.length] ?? 0) % alphabet.length];
  return out;
}

/** Naming rules of one resource type. */
export interface NameRules {
  /** Longest name the service accepts. */
  readonly maxLength: number;
  /** S3 bucket names are lowercase. @default false */
  readonly lowercase?: boolean;
  /** Appended after the suffix, counted in `maxLength` (`.fifo` for FIFO queues and topics). */
  readonly ending?: string;
}

/**
 * `<stackName>-<logicalId>-<SUFFIX>` the way CloudFormation names a resource without an explicit
 * name: stack name and logical id are shortened to fit the type's limit, the 12-character suffix
 * stays whole.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */
export function generatedName(stackName: string, logicalId: string, rules: NameRules): string {
  const ending = rules.ending ?? '';
  const suffix = hashChars(rules.lowercase ? LOWER : UPPER, 12, stackName, logicalId);
  const budget = rules.maxLength - ending.length - suffix.length - 2;
  let stackPart = stackName;
  let logicalPart = logicalId;
  if (stackPart.length + logicalPart.length > budget) {
    // CloudFormation keeps a prefix of each part; give each half of the room, and what one part leaves to the other.
    const half = Math.floor(budget / 2);
    if (stackPart.length <= half) logicalPart = logicalPart.slice(0, budget - stackPart.length);
    else if (logicalPart.length <= budget - half) stackPart = stackPart.slice(0, budget - logicalPart.length);
    else {
      stackPart = stackPart.slice(0, half);
      logicalPart = logicalPart.slice(0, budget - half);
    }
  }
  let name = `${stackPart}-${logicalPart}-${suffix}`;
  if (rules.lowercase) name = name.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  return `${name}${ending}`;
}

/** A lowercase alphanumeric id such as an API Gateway RestApi id (10) or resource id (6). */
export function generatedId(length: number, ...parts: readonly string[]): string {
  return hashChars(LOWER, length, ...parts);
}

/** A UUID (version 4 layout) derived from `parts`, e.g. an event source mapping's UUID. */
export function stableUuid(...parts: readonly string[]): string {
  const hex = digest(...parts).toString('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A DynamoDB stream label (`2024-05-11T21:21:33.291`): AWS uses the stream's creation time; the
 * local engine derives a time in 2024 from the table's ARN so the label is stable.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
 */
export function streamLabel(tableArn: string): string {
  const start = Date.UTC(2024, 0, 1);
  const offset = digest(tableArn).readUInt32BE(0) % (365 * 24 * 3600 * 1000);
  return new Date(start + offset).toISOString().replace(/Z$/, '');
}
