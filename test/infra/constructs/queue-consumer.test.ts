import { Duration, Lazy } from 'aws-cdk-lib';
import { validateQueueConsumerProps, type QueueConsumerProps } from '../../../lib/constructs/queue-consumer';
import { validateStreamOptions } from '../../../lib/constructs/stream-consumer';

const base: QueueConsumerProps = {
  function: { handlerFolder: 'process-order-queue', description: 'test', logRetentionDays: 1 },
  batchSize: 10,
  maxConcurrency: 2,
  maxReceiveCount: 3,
};

describe('validateQueueConsumerProps', () => {
  test.each<[string, Partial<QueueConsumerProps>, string]>([
    [
      'a batch of 11 on a FIFO queue',
      { fifo: true, batchSize: 11 },
      'batchSize must be 1-10 for a FIFO queue (given 11)',
    ],
    [
      'a batching window on a FIFO queue',
      { fifo: true, maxBatchingWindow: Duration.seconds(1) },
      'maxBatchingWindow is not supported for FIFO queues (given 1 seconds)',
    ],
    [
      'a batch above 10 without a window',
      { batchSize: 50 },
      'batchSize above 10 needs maxBatchingWindow of at least 1 second (given 0)',
    ],
    [
      'a window above 300 s',
      { maxBatchingWindow: Duration.seconds(301) },
      'maxBatchingWindow must be 0-300 seconds (given 301)',
    ],
    ['a concurrency of 1', { maxConcurrency: 1 }, 'maxConcurrency must be 2-1000 (given 1)'],
    ['zero receives', { maxReceiveCount: 0 }, 'maxReceiveCount must be 1-1000 (given 0)'],
  ])('rejects %s with the given value', (_name, override, message) => {
    expect(() => validateQueueConsumerProps({ ...base, ...override })).toThrow(message);
  });

  test('accepts a standard queue batch of 100 with a window', () => {
    expect(() =>
      validateQueueConsumerProps({ ...base, batchSize: 100, maxBatchingWindow: Duration.seconds(2) }),
    ).not.toThrow();
  });

  test('skips unresolved tokens', () => {
    const unresolved = Lazy.number({ produce: () => 50000 });
    expect(() => validateQueueConsumerProps({ ...base, batchSize: unresolved })).not.toThrow();
  });
});

describe('validateStreamOptions', () => {
  const stream = {
    batchSize: 10,
    maxBatchingWindow: Duration.seconds(1),
    retryAttempts: 3,
    maxRecordAge: Duration.hours(1),
  };

  test.each<[string, Partial<typeof stream>, string]>([
    ['a batch of 0', { batchSize: 0 }, 'batchSize must be 1-10000 (given 0)'],
    [
      'a record age under 60 s',
      { maxRecordAge: Duration.seconds(30) },
      'maxRecordAge must be 60-604800 seconds (given 30)',
    ],
    [
      'a record age over 7 days',
      { maxRecordAge: Duration.days(8) },
      'maxRecordAge must be 60-604800 seconds (given 691200)',
    ],
    ['infinite retries', { retryAttempts: -1 }, 'retryAttempts must be 0-10000 (given -1)'],
    [
      'a window above 300 s',
      { maxBatchingWindow: Duration.minutes(6) },
      'maxBatchingWindow must be 0-300 seconds (given 360)',
    ],
  ])('rejects %s with the given value', (_name, override, message) => {
    expect(() => validateStreamOptions({ ...stream, ...override })).toThrow(message);
  });
});
