/**
 * The four patterns as the console draws them: each stack's pipelines (source → the part of Lambda
 * that delivers → function → table) with their failure paths, named by the stack outputs that hold
 * the real names. The retry text is the README's pattern table, for comparison next to the counters.
 */
import type { SourceKind } from './send';

/** A queue on a failure (or success) path, read through the SQS API. */
export interface BranchDef {
  readonly label: string;
  /** The stack output holding the queue URL. */
  readonly queueOutput: string;
  /** Which counter of the function counts deliveries to it. */
  readonly counter: 'deadLettered' | 'onFailure' | 'onSuccess' | 'none';
  readonly when: string;
}

/** One source → function → table path. */
export interface PipelineDef {
  readonly source: string;
  readonly via: string;
  /** The stack output holding the function's name. */
  readonly functionOutput: string;
  /** The source queue (for SQS: visible / in flight). */
  readonly sourceQueueOutput?: string;
  readonly senders: readonly SourceKind[];
  readonly branches: readonly BranchDef[];
}

/** One stack. */
export interface PatternDef {
  /** The stack name after `<owner>-`. */
  readonly stack: 'RequestResponse' | 'AsyncEvents' | 'StreamPolling' | 'QueuePolling';
  readonly title: string;
  readonly invocation: string;
  /** The README's retry behaviour and failure path for this pattern. */
  readonly retries: readonly string[];
  /** The pattern's page in the repository. */
  readonly doc: string;
  readonly pipelines: readonly PipelineDef[];
}

/** Labels of the senders (the buttons say "Send to …"). */
export const SENDER_LABELS: Readonly<Record<SourceKind, string>> = {
  'api-post': 'API POST /orders',
  'api-get': 'API GET /orders/{orderId}',
  s3: 'S3 (upload under orders/)',
  sns: 'SNS',
  kinesis: 'Kinesis',
  dynamodb: 'DynamoDB intake table',
  sqs: 'SQS',
  'sqs-fifo': 'SQS FIFO',
  invoke: 'Lambda Invoke',
};

const ASYNC_RETRIES = [
  'Asynchronous: Lambda queues the event and answers at once (202).',
  '2 retries: about 1 min after the first failure, then 2 min after the second; events older than 1 h are dropped.',
];

/** The four patterns, in the README's order. */
export const PATTERNS: readonly PatternDef[] = [
  {
    stack: 'RequestResponse',
    title: 'Request/response',
    invocation: 'synchronous (API Gateway REST API, Lambda proxy integration)',
    retries: [
      'No retry: the caller waits and gets the outcome.',
      'A function error becomes 502, a timeout 502 (API Gateway gives 504 only after 29 s), an invalid body 400 from the model, throttling 429.',
    ],
    doc: 'docs/patterns/request-response.md',
    pipelines: [
      {
        source: 'POST /orders (or Lambda Invoke)',
        via: 'API Gateway',
        functionOutput: 'CreateOrderFunctionName',
        senders: ['api-post', 'invoke'],
        branches: [],
      },
      {
        source: 'GET /orders/{orderId}',
        via: 'API Gateway',
        functionOutput: 'GetOrderFunctionName',
        senders: ['api-get'],
        branches: [],
      },
    ],
  },
  {
    stack: 'AsyncEvents',
    title: 'Asynchronous events',
    invocation: "asynchronous (Lambda's internal queue)",
    retries: [
      ...ASYNC_RETRIES,
      'S3: on-failure and on-success SQS destinations (invocation records). SNS: the function’s dead-letter queue, and the subscription’s DLQ for deliveries SNS cannot make.',
    ],
    doc: 'docs/patterns/async-events.md',
    pipelines: [
      {
        source: 'S3 upload under orders/',
        via: "Lambda's async queue",
        functionOutput: 'FileFunctionName',
        senders: ['s3'],
        branches: [
          {
            label: 'On-failure destination',
            queueOutput: 'FailureDestinationQueueUrl',
            counter: 'onFailure',
            when: 'after the last attempt',
          },
          {
            label: 'On-success destination',
            queueOutput: 'SuccessDestinationQueueUrl',
            counter: 'onSuccess',
            when: 'on success',
          },
        ],
      },
      {
        source: 'SNS publish',
        via: "Lambda's async queue",
        functionOutput: 'NotificationFunctionName',
        senders: ['sns'],
        branches: [
          {
            label: 'Dead-letter queue',
            queueOutput: 'DeadLetterQueueUrl',
            counter: 'deadLettered',
            when: 'after the last attempt',
          },
          {
            label: 'Subscription DLQ',
            queueOutput: 'SubscriptionDeadLetterQueueUrl',
            counter: 'none',
            when: 'when SNS cannot deliver to Lambda',
          },
        ],
      },
    ],
  },
  {
    stack: 'StreamPolling',
    title: 'Stream polling',
    invocation: 'event source mapping, synchronous per batch',
    retries: [
      'The shard waits while the batch is retried: bisect on error, 3 retries, records older than 1 h skipped.',
      'Partial batch response: only the failed record and the ones after it are retried.',
      "Then an SQS on-failure destination gets the failed batch's shard and sequence numbers, and the shard moves on.",
    ],
    doc: 'docs/patterns/stream-polling.md',
    pipelines: [
      {
        source: 'Kinesis put',
        via: 'Event source mapping',
        functionOutput: 'StreamFunctionName',
        senders: ['kinesis'],
        branches: [
          {
            label: 'On-failure destination',
            queueOutput: 'StreamFailureQueueUrl',
            counter: 'onFailure',
            when: 'after the retries',
          },
        ],
      },
      {
        source: 'DynamoDB intake item',
        via: 'Event source mapping',
        functionOutput: 'ChangesFunctionName',
        senders: ['dynamodb'],
        branches: [
          {
            label: 'On-failure destination',
            queueOutput: 'ChangesFailureQueueUrl',
            counter: 'onFailure',
            when: 'after the retries',
          },
        ],
      },
    ],
  },
  {
    stack: 'QueuePolling',
    title: 'Queue polling',
    invocation: 'event source mapping, synchronous per batch',
    retries: [
      'A failed message reappears after the visibility timeout (32 s; 30 s on FIFO); the other messages keep flowing.',
      'Partial batch response: only the failed messages return. After the 3rd receive (maxReceiveCount) the queue moves the message to its DLQ.',
      'FIFO: a failing message holds back the later messages of its group; other groups go on.',
    ],
    doc: 'docs/patterns/queue-polling.md',
    pipelines: [
      {
        source: 'SQS standard queue',
        via: 'Event source mapping',
        functionOutput: 'QueueFunctionName',
        sourceQueueOutput: 'QueueUrl',
        senders: ['sqs'],
        branches: [
          {
            label: 'Dead-letter queue',
            queueOutput: 'DeadLetterQueueUrl',
            counter: 'deadLettered',
            when: 'after 3 receives',
          },
        ],
      },
      {
        source: 'SQS FIFO queue',
        via: 'Event source mapping',
        functionOutput: 'FifoFunctionName',
        sourceQueueOutput: 'FifoQueueUrl',
        senders: ['sqs-fifo'],
        branches: [
          {
            label: 'Dead-letter queue',
            queueOutput: 'FifoDeadLetterQueueUrl',
            counter: 'deadLettered',
            when: 'after 3 receives',
          },
        ],
      },
    ],
  },
];
