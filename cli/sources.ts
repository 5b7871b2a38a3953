/**
 * What the command line can send, and where each source lives in the app's stacks.
 *
 * Pure data: no SDK, no I/O. The stack outputs named here are those of `lib/constructs/stack-outputs.ts`.
 */
import { DRILLS as ORDER_DRILLS } from '../lambda/shared/order';

/** Every source `npm run trigger` can send to. */
export const SOURCES = ['api', 'get', 'invoke', 's3', 'sns', 'kinesis', 'dynamodb', 'sqs', 'sqs-fifo'] as const;

/** A source of events: an API route, a direct invoke, a bucket, a topic, a stream, a table or a queue. */
export type Source = (typeof SOURCES)[number];

/**
 * Drills the command line offers: the ones every function understands (carried in the order's `drill` key),
 * plus `invalid` (an order without a quantity) and `duplicate` (the same order sent twice).
 * @see README "Failure drills"
 */
export const DRILLS = [...ORDER_DRILLS, 'invalid', 'duplicate'] as const;

/** A failure drill, or `success` for a plain order (verify's name for "no drill"). */
export type Drill = (typeof DRILLS)[number];

/** The four stacks, by the pattern part of their name (`<owner>-<Pattern>`). */
export const PATTERNS = ['RequestResponse', 'AsyncEvents', 'StreamPolling', 'QueuePolling'] as const;

/** A pattern stack. */
export type Pattern = (typeof PATTERNS)[number];

/** Stack outputs of the four stacks: pattern → output key → value. */
export type StackOutputs = Readonly<Record<Pattern, Readonly<Record<string, string>>>>;

/** Where a source's events go and what it reports to. */
export interface SourceInfo {
  readonly pattern: Pattern;
  /** Prefix of the function's outputs (`<prefix>FunctionName`, `<prefix>LogGroupName`). */
  readonly functionPrefix: string;
  /** The `source` the function stores with the order and uses in its attempt key (lambda/shared/record-order.ts). */
  readonly orderSource: string;
  /** Prefix of the queue outputs (`<prefix>Url`) where a failed event ends up, if any. */
  readonly failureQueue?: string;
  /** Prefix of the queue outputs where a success record goes, if any. */
  readonly successQueue?: string;
}

/** Each source's stack, function and failure path. */
export const SOURCE_INFO: Readonly<Record<Source, SourceInfo>> = {
  api: { pattern: 'RequestResponse', functionPrefix: 'CreateOrder', orderSource: 'api' },
  get: { pattern: 'RequestResponse', functionPrefix: 'GetOrder', orderSource: 'get' },
  invoke: { pattern: 'RequestResponse', functionPrefix: 'CreateOrder', orderSource: 'api' },
  s3: {
    pattern: 'AsyncEvents',
    functionPrefix: 'File',
    orderSource: 'file',
    failureQueue: 'FailureDestinationQueue',
    successQueue: 'SuccessDestinationQueue',
  },
  sns: {
    pattern: 'AsyncEvents',
    functionPrefix: 'Notification',
    orderSource: 'notification',
    failureQueue: 'DeadLetterQueue',
  },
  kinesis: {
    pattern: 'StreamPolling',
    functionPrefix: 'Stream',
    orderSource: 'stream',
    failureQueue: 'StreamFailureQueue',
  },
  dynamodb: {
    pattern: 'StreamPolling',
    functionPrefix: 'Changes',
    orderSource: 'table-stream',
    failureQueue: 'ChangesFailureQueue',
  },
  sqs: { pattern: 'QueuePolling', functionPrefix: 'Queue', orderSource: 'queue', failureQueue: 'DeadLetterQueue' },
  'sqs-fifo': {
    pattern: 'QueuePolling',
    functionPrefix: 'Fifo',
    orderSource: 'fifo-queue',
    failureQueue: 'FifoDeadLetterQueue',
  },
};

/** Reads one output, failing with the stack and key when the deployed stack lacks it. */
export function outputOf(outputs: StackOutputs, pattern: Pattern, key: string): string {
  const value = outputs[pattern]?.[key];
  if (value === undefined || value === '') {
    throw new Error(`The ${pattern} stack has no output ${key}: redeploy it with this version of the app`);
  }
  return value;
}
