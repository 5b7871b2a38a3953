import { AwsError } from '../../protocols/errors';

/**
 * Queue attributes a caller may set, with their defaults and valid values.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
interface AttributeRule {
  /** Default for new queues (standard, FIFO), or undefined when absent by default. */
  readonly standard?: string;
  readonly fifo?: string;
  /** Only on FIFO queues. */
  readonly fifoOnly?: boolean;
  /** Only at creation. */
  readonly createOnly?: boolean;
  readonly check: (value: string) => boolean;
}

const int = (min: number, max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const bool = (v: string) => v === 'true' || v === 'false';
const oneOf =
  (...values: string[]) =>
  (v: string) =>
    values.includes(v);
const anything = () => true;
const redrive = (v: string): boolean => {
  try {
    const p = JSON.parse(v) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    const n = Number(p.maxReceiveCount);
    return typeof p.deadLetterTargetArn === 'string' && Number.isInteger(n) && n >= 1 && n <= 1000;
  } catch {
    return false;
  }
};
const jsonObject = (v: string): boolean => {
  try {
    return typeof JSON.parse(v) === 'object';
  } catch {
    return false;
  }
};

export const ATTRIBUTE_RULES: Readonly<Record<string, AttributeRule>> = {
  DelaySeconds: { standard: '0', fifo: '0', check: int(0, 900) },
  MaximumMessageSize: { standard: '1048576', fifo: '1048576', check: int(1024, 1048576) },
  MessageRetentionPeriod: { standard: '345600', fifo: '345600', check: int(60, 1209600) },
  ReceiveMessageWaitTimeSeconds: { standard: '0', fifo: '0', check: int(0, 20) },
  VisibilityTimeout: { standard: '30', fifo: '30', check: int(0, 43200) },
  RedrivePolicy: { check: redrive },
  RedriveAllowPolicy: { check: jsonObject },
  Policy: { check: jsonObject },
  KmsMasterKeyId: { check: anything },
  KmsDataKeyReusePeriodSeconds: { check: int(60, 86400) },
  SqsManagedSseEnabled: { standard: 'true', fifo: 'true', check: bool },
  FifoQueue: { createOnly: true, check: bool },
  ContentBasedDeduplication: { fifo: 'false', fifoOnly: true, check: bool },
  DeduplicationScope: { fifo: 'queue', fifoOnly: true, check: oneOf('messageGroup', 'queue') },
  FifoThroughputLimit: { fifo: 'perQueue', fifoOnly: true, check: oneOf('perQueue', 'perMessageGroupId') },
};

/** Attributes computed by the queue; readable, never settable. */
export const COMPUTED_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

/** Checks attributes given to CreateQueue or SetQueueAttributes; throws AWS's error for the first bad one. */
export function validateAttributes(attrs: Readonly<Record<string, string>>, fifo: boolean, creating: boolean): void {
  for (const [name, value] of Object.entries(attrs)) {
    const rule = ATTRIBUTE_RULES[name];
    if (!rule || (rule.fifoOnly && !fifo) || (rule.createOnly && !creating)) {
      throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
    if (typeof value !== 'string' || !rule.check(value)) {
      throw new AwsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
    }
  }
}

/** The attributes of a new queue: defaults, then the given ones. */
export function withDefaults(attrs: Readonly<Record<string, string>>, fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, rule] of Object.entries(ATTRIBUTE_RULES)) {
    const d = fifo ? rule.fifo : rule.standard;
    if (d !== undefined) out[name] = d;
  }
  if (fifo) out.FifoQueue = 'true';
  // A customer-managed key replaces SQS-managed encryption.
  if (attrs.KmsMasterKeyId !== undefined) delete out.SqsManagedSseEnabled;
  return { ...out, ...attrs };
}
