import { CreateStreamCommand, KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { EventSourceMappingModel } from '../../../local/assembly/model';
import { SdkDestinationSender } from '../../../local/async/destination-sender';
import type { StreamFailureRecord } from '../../../local/pollers/failure-record';
import { KinesisSource } from '../../../local/pollers/kinesis-source';
import { StreamPoller } from '../../../local/pollers/stream-poller';
import {
  ACCOUNT,
  clientConfig,
  createQueue,
  FakeFunction,
  type Lab,
  mappingOf,
  REGION,
  startLab,
  uniqueName,
  waitFor,
} from './helpers';

let lab: Lab;
let kinesis: KinesisClient;
/** The engine's one destination sender (shared with asynchronous invocation), on the lab's endpoint. */
let destinations: SdkDestinationSender;
const pollers: StreamPoller[] = [];

beforeEach(async () => {
  lab = await startLab();
  kinesis = new KinesisClient(clientConfig(lab.endpoint));
  destinations = new SdkDestinationSender({ endpointUrl: lab.endpoint.url, region: REGION });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
  kinesis.destroy();
  destinations.close();
  await lab.stop();
});

async function createStream(shards = 1): Promise<string> {
  const name = uniqueName('orders');
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  return `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
}

async function put(streamArn: string, items: readonly object[], key = 'k'): Promise<void> {
  await kinesis.send(
    new PutRecordsCommand({
      StreamName: streamArn.split('/')[1],
      Records: items.map((item) => ({ PartitionKey: key, Data: Buffer.from(JSON.stringify(item)) })),
    }),
  );
}

function dataOf(record: KinesisStreamRecord): { n: number; poison?: boolean } {
  return JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as { n: number; poison?: boolean };
}

async function startPoller(
  fn: FakeFunction<KinesisStreamRecord>,
  mapping: EventSourceMappingModel,
): Promise<StreamPoller> {
  const source = new KinesisSource({
    kinesis,
    streamArn: mapping.eventSourceArn,
    region: REGION,
    invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/consumer-role`,
  });
  const poller = new StreamPoller({
    mapping,
    source,
    destinations,
    invoker: fn.invoker,
    clock: lab.clock,
    timeline: lab.timeline,
  });
  pollers.push(poller);
  await poller.start();
  return poller;
}

async function destinationQueue(): Promise<{ arn: string; url: string }> {
  return createQueue(lab, uniqueName('on-failure'));
}

async function receiveFailureRecord(url: string): Promise<StreamFailureRecord> {
  let body: string | undefined;
  await waitFor(
    async () => {
      const out = await lab.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
      body = out.Messages?.[0]?.Body;
      return body !== undefined;
    },
    10_000,
    'the on-failure record',
  );
  return JSON.parse(body!) as StreamFailureRecord;
}

describe('StreamPoller with Kinesis', () => {
  it('delivers the Kinesis event shape in order', async () => {
    // GIVEN a stream with three records
    const streamArn = await createStream();
    await put(streamArn, [{ n: 1 }, { n: 2 }, { n: 3 }], 'order-1');
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, () => ({}));
    // WHEN the mapping polls from TRIM_HORIZON
    await startPoller(fn, mappingOf('kinesis', streamArn));
    await waitFor(() => fn.succeeded.length === 3, 5000, 'three records');
    // THEN the records arrive in order with the documented fields
    expect(fn.succeeded.map(dataOf).map((d) => d.n)).toEqual([1, 2, 3]);
    const record = fn.succeeded[0]!;
    expect(record).toMatchObject({
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventName: 'aws:kinesis:record',
      eventSourceARN: streamArn,
      awsRegion: REGION,
      invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/consumer-role`,
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'order-1' },
    });
    expect(record.eventID).toBe(`shardId-000000000000:${record.kinesis.sequenceNumber}`);
    expect(record.kinesis.approximateArrivalTimestamp).toBeGreaterThan(1e9);
    expect(record.kinesis.approximateArrivalTimestamp).toBeLessThan(1e11);
  });

  it('bisects down to a failing record, gives up after the retry limit, and moves on in order', async () => {
    // GIVEN eight records, the fifth poison, and an on-failure queue
    const streamArn = await createStream();
    const onFailure = await destinationQueue();
    await put(
      streamArn,
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ n, poison: n === 5 })),
    );
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, (records) => {
      if (records.some((r) => dataOf(r).poison)) throw new Error('poison');
      return {};
    });
    // WHEN the mapping bisects with two retries
    await startPoller(
      fn,
      mappingOf('kinesis', streamArn, {
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 2,
        onFailureDestination: onFailure.arn,
      }),
    );
    const failure = await receiveFailureRecord(onFailure.url);
    await put(streamArn, [{ n: 9 }, { n: 10 }]);
    await waitFor(() => fn.succeeded.length === 9, 5000, 'the other records');
    // THEN the destination got the poison record's batch info
    const poison = fn.calls.find((c) => c.records.length === 1 && dataOf(c.records[0]!).poison)!.records[0]!;
    expect(failure).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
        functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:consumer`,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: poison.kinesis.sequenceNumber,
        endSequenceNumber: poison.kinesis.sequenceNumber,
        batchSize: 1,
        streamArn,
      },
    });
    // AND every other record succeeded exactly once, in order
    expect(fn.succeeded.map(dataOf).map((d) => d.n)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);
    // AND the splits were [1-8] → [1-4] ok, [5-8] → [5,6] → [5] ×3, [6], [7,8]
    expect(fn.calls.map((c) => c.records.map(dataOf).map((d) => d.n))).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [5, 6],
      [5],
      [5],
      [5],
      [6],
      [7, 8],
      [9, 10],
    ]);
  });

  it('blocks the shard and retries the whole batch until it succeeds, losing and repeating nothing', async () => {
    // GIVEN a function that fails its first two invocations
    const streamArn = await createStream();
    await put(
      streamArn,
      [1, 2, 3, 4].map((n) => ({ n })),
    );
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, (_records, call) => {
      if (call <= 2) throw new Error('transient');
      return {};
    });
    // WHEN the mapping retries without limits
    await startPoller(fn, mappingOf('kinesis', streamArn));
    await waitFor(() => fn.succeeded.length === 4, 5000, 'the batch');
    await put(streamArn, [{ n: 5 }]);
    await waitFor(() => fn.succeeded.length === 5, 5000, 'the next record');
    // THEN the same batch was retried until it succeeded, and each record succeeded once, in order
    expect(fn.calls.slice(0, 3).map((c) => c.records.length)).toEqual([4, 4, 4]);
    expect(fn.succeeded.map(dataOf).map((d) => d.n)).toEqual([1, 2, 3, 4, 5]);
    // AND each record's timeline shows the three attempts
    const first = lab.timeline.list({ source: 'kinesis', status: 'succeeded' }).find((e) => e.steps.length > 4)!;
    expect(first.steps.filter((s) => s.kind === 'attempt').map((s) => s.attempt)).toEqual([1, 2, 3]);
  });

  it('checkpoints at the lowest failed sequence number of a partial batch response', async () => {
    // GIVEN three records and a function that always reports the second as failed
    const streamArn = await createStream();
    const onFailure = await destinationQueue();
    await put(
      streamArn,
      [1, 2, 3].map((n) => ({ n })),
    );
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, (records) => ({
      batchItemFailures: records
        .filter((r) => dataOf(r).n === 2)
        .map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
    }));
    // WHEN the mapping reports batch item failures with two retries
    await startPoller(
      fn,
      mappingOf('kinesis', streamArn, {
        reportBatchItemFailures: true,
        maximumRetryAttempts: 2,
        onFailureDestination: onFailure.arn,
      }),
    );
    const failure = await receiveFailureRecord(onFailure.url);
    // THEN the retries got [2, 3] only, and the failure record starts at 2 with two records and three invokes
    expect(fn.calls.map((c) => c.records.map(dataOf).map((d) => d.n))).toEqual([
      [1, 2, 3],
      [2, 3],
      [2, 3],
    ]);
    expect(failure.KinesisBatchInfo).toMatchObject({
      startSequenceNumber: fn.calls[1]!.records[0]!.kinesis.sequenceNumber,
      batchSize: 2,
    });
    expect(failure.requestContext.approximateInvokeCount).toBe(3);
  });

  it('discards a batch whose records pass MaximumRecordAgeInSeconds', async () => {
    // GIVEN a function that always fails and a 60 s record age limit (0.1 s at 600×)
    const streamArn = await createStream();
    const onFailure = await destinationQueue();
    await put(streamArn, [{ n: 1 }]);
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, () => {
      throw new Error('always');
    });
    // WHEN the mapping retries without a retry limit
    await startPoller(
      fn,
      mappingOf('kinesis', streamArn, { maximumRecordAgeInSeconds: 60, onFailureDestination: onFailure.arn }),
    );
    const failure = await receiveFailureRecord(onFailure.url);
    // THEN the batch was retried several times, then sent to the destination for its age
    expect(fn.calls.length).toBeGreaterThan(1);
    expect(failure.requestContext.condition).toBe('MaximumRecordAgeExceeded');
    expect(failure.requestContext.approximateInvokeCount).toBe(fn.calls.length);
    const event = lab.timeline.list({ source: 'kinesis' })[0]!;
    expect(event.status).toBe('failed');
    expect(event.steps.at(-1)).toMatchObject({
      kind: 'destination',
      detail: {
        destination: onFailure.arn,
        condition: 'MaximumRecordAgeExceeded',
        reason: 'older than MaximumRecordAgeInSeconds (60 s)',
      },
    });
  });

  it('does not age a backlog at the time scale while the function works through it', async () => {
    // GIVEN 30 records, a 60 s record age limit (0.1 s of real time at 600×), and a function that takes
    // 20 ms of real time per record: the backlog takes far longer than 0.1 s, far less than 60 s
    const streamArn = await createStream();
    const onFailure = await destinationQueue();
    await put(
      streamArn,
      Array.from({ length: 30 }, (_, n) => ({ n })),
    );
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, () => undefined, 20);
    // WHEN the mapping reads it one record per batch
    await startPoller(
      fn,
      mappingOf('kinesis', streamArn, {
        batchSize: 1,
        maximumRecordAgeInSeconds: 60,
        onFailureDestination: onFailure.arn,
      }),
    );
    await waitFor(() => fn.succeeded.length + lab.timeline.list({ status: 'failed' }).length >= 30, 30_000);
    // THEN every record was processed: none expired, as none would on AWS
    expect(fn.succeeded.map((r) => dataOf(r).n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
  });

  it('keeps per-partition-key order with a ParallelizationFactor, running lanes at once', async () => {
    // GIVEN 4 keys × 10 records in one shard and a slow function
    const streamArn = await createStream();
    for (let n = 0; n < 10; n++)
      for (const key of ['a', 'b', 'c', 'd'])
        await kinesis.send(
          new PutRecordCommand({
            StreamName: streamArn.split('/')[1],
            PartitionKey: key,
            Data: Buffer.from(JSON.stringify({ n, key })),
          }),
        );
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, () => ({}), 10);
    // WHEN the factor is 4 with batches of 3
    await startPoller(fn, mappingOf('kinesis', streamArn, { parallelizationFactor: 4, batchSize: 3 }));
    await waitFor(() => fn.succeeded.length === 40, 5000, 'forty records');
    // THEN each key's records were processed in order, and more than one batch ran at once
    for (const key of ['a', 'b', 'c', 'd']) {
      const ns = fn.succeeded.filter((r) => r.kinesis.partitionKey === key).map((r) => dataOf(r).n);
      expect(ns).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(fn.maxConcurrent).toBeGreaterThan(1);
    expect(fn.maxConcurrent).toBeLessThanOrEqual(4);
  });

  it('skips records that match no filter pattern', async () => {
    // GIVEN a filter on data.n > 1
    const streamArn = await createStream();
    await put(streamArn, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, () => ({}));
    // WHEN the mapping polls
    await startPoller(
      fn,
      mappingOf('kinesis', streamArn, { filterPatterns: ['{"data":{"n":[{"numeric":[">",1]}]}}'] }),
    );
    await waitFor(() => fn.succeeded.length === 2, 5000, 'two records');
    // THEN only matching records were invoked, the other is discarded on the timeline
    expect(fn.succeeded.map(dataOf).map((d) => d.n)).toEqual([2, 3]);
    expect(lab.timeline.list({ source: 'kinesis', status: 'discarded' })).toHaveLength(1);
  });

  it('starts at LATEST without delivering older records', async () => {
    // GIVEN a record written before the mapping starts
    const streamArn = await createStream();
    await put(streamArn, [{ n: 1 }]);
    const fn = new FakeFunction<KinesisStreamRecord>(lab.timeline, () => ({}));
    // WHEN the mapping starts at LATEST and a new record is written
    await startPoller(fn, mappingOf('kinesis', streamArn, { startingPosition: 'LATEST' }));
    await put(streamArn, [{ n: 2 }]);
    await waitFor(() => fn.succeeded.length >= 1, 5000, 'the new record');
    // THEN only the new record is delivered
    expect(fn.succeeded.map(dataOf).map((d) => d.n)).toEqual([2]);
  });
});
