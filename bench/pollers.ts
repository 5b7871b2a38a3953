/**
 * Benchmark of the event source mapping pollers, end to end on the local endpoint with the real
 * SDK clients and the local Lambda runtime (a trivial handler in a worker thread):
 * - throughput: N messages / records sent as fast as possible → all processed (msg/s);
 * - latency: messages / records sent one at a time → the invocation that carries them (p50/p95).
 *
 * Run: `node --import tsx bench/pollers.ts [sqsMessages] [kinesisRecords]` (defaults 10,000 and 20,000).
 * The clock runs at 60× (what `npm start` uses), so Kinesis' once-per-second idle poll is ~17 ms.
 * Numbers are wall-clock on this machine; run it on a quiet machine before quoting them.
 */
import { CreateStreamCommand, KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { EventSourceMappingModel } from '../local/assembly/model';
import { ScaledClock } from '../local/core/clock';
import type { InvocationOutcome, InvokeCall, Invoker } from '../local/core/contracts';
import { TimelineInvoker } from '../local/engine/invoker';
import { Timeline } from '../local/core/timeline';
import { startEndpoint } from '../local/endpoint/server';
import { kinesisService } from '../local/endpoint/services/kinesis';
import { sqsService } from '../local/endpoint/services/sqs';
import { startPollers } from '../local/pollers';
import { trivialRuntime } from './trivial-function';

const SQS_MESSAGES = Number(process.argv[2] ?? 10_000);
const KINESIS_RECORDS = Number(process.argv[3] ?? 20_000);
const LATENCY_SAMPLES = 200;
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** Wraps the real invoker: counts delivered records and measures send → invocation per record. */
class MeasuringInvoker implements Invoker {
  delivered = 0;
  latencies: number[] = [];
  constructor(private readonly inner: Invoker) {}
  async invoke(functionName: string, payload: string, call: InvokeCall): Promise<InvocationOutcome> {
    const now = Date.now();
    const records = (JSON.parse(payload) as { Records: Array<{ body?: string; kinesis?: { data: string } }> }).Records;
    for (const r of records) {
      const text = r.body ?? Buffer.from(r.kinesis?.data ?? '', 'base64').toString('utf8');
      const sentAt = (JSON.parse(text) as { sentAt?: number }).sentAt;
      if (sentAt) this.latencies.push(now - sentAt);
    }
    const outcome = await this.inner.invoke(functionName, payload, call);
    if (!outcome.functionError) this.delivered += records.length;
    return outcome;
  }
  reset(): void {
    this.delivered = 0;
    this.latencies = [];
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function mapping(source: EventSourceMappingModel['source'], arn: string, batchSize: number): EventSourceMappingModel {
  return {
    logicalId: `${source}Mapping`,
    uuid: `bench-${source}`,
    functionName: 'trivial',
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:trivial`,
    eventSourceArn: arn,
    source,
    enabled: true,
    batchSize,
    maximumBatchingWindowInSeconds: 0,
    ...(source === 'sqs' ? {} : { startingPosition: 'LATEST' }),
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: -1,
    parallelizationFactor: 1,
    tumblingWindowInSeconds: 0,
    reportBatchItemFailures: false,
    filterPatterns: [],
  };
}

async function main(): Promise<void> {
  const clock = new ScaledClock(60);
  const endpoint = await startEndpoint({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    services: [sqsService({ clock }), kinesisService()],
  });
  const config = { endpoint: endpoint.url, region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
  const sqs = new SQSClient(config);
  const kinesis = new KinesisClient(config);
  const { runtime, stop: stopRuntime } = trivialRuntime(
    'exports.handler = async (event) => ({ n: event.Records.length });',
    REGION,
    ACCOUNT,
  );
  const timeline = new Timeline(clock, 1000);
  const invoker = new MeasuringInvoker(new TimelineInvoker(runtime, timeline));

  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  await kinesis.send(new CreateStreamCommand({ StreamName: 'bench', ShardCount: 4 }));
  const streamArn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/bench`;

  const pollers = await startPollers([mapping('sqs', queueArn, 10), mapping('kinesis', streamArn, 100)], {
    endpointUrl: endpoint.url,
    region: REGION,
    accountId: ACCOUNT,
    queues: [],
    invoker,
    clock,
    timeline,
  });

  try {
    // Drain rate: the backlog is written first, then a mapping starts on it (TRIM_HORIZON for Kinesis).
    const drainUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'drain' }))).QueueUrl!;
    const drainArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: drainUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    for (let i = 0; i < SQS_MESSAGES; i += 10)
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: drainUrl,
          Entries: Array.from({ length: 10 }, (_, n) => ({ Id: `m${n}`, MessageBody: `{"i":${i + n}}` })),
        }),
      );
    await kinesis.send(new CreateStreamCommand({ StreamName: 'drain', ShardCount: 4 }));
    for (let i = 0; i < KINESIS_RECORDS; i += 500)
      await kinesis.send(
        new PutRecordsCommand({
          StreamName: 'drain',
          Records: Array.from({ length: Math.min(500, KINESIS_RECORDS - i) }, (_, n) => ({
            PartitionKey: `k${(i + n) % 64}`,
            Data: Buffer.from(`{"n":${i + n}}`),
          })),
        }),
      );
    for (const [kind, arn, count, batch] of [
      ['sqs', drainArn, SQS_MESSAGES, 10],
      ['kinesis', `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/drain`, KINESIS_RECORDS, 100],
    ] as const) {
      invoker.reset();
      const t = performance.now();
      const drain = await startPollers(
        [
          {
            ...mapping(kind, arn, batch),
            uuid: `drain-${kind}`,
            startingPosition: kind === 'sqs' ? undefined : 'TRIM_HORIZON',
          },
        ],
        { endpointUrl: endpoint.url, region: REGION, accountId: ACCOUNT, queues: [], invoker, clock, timeline },
      );
      await until(() => invoker.delivered >= count, 120_000);
      const seconds = (performance.now() - t) / 1000;
      await drain.stop();
      console.log(`${kind} drain: ${count} in ${seconds.toFixed(2)} s → ${(count / seconds).toFixed(0)} per s`);
    }

    // SQS throughput: 10 senders of SendMessageBatch.
    invoker.reset();
    let t0 = performance.now();
    const perSender = Math.ceil(SQS_MESSAGES / 10 / 10);
    await Promise.all(
      Array.from({ length: 10 }, async (_, s) => {
        for (let b = 0; b < perSender; b++)
          await sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `{"s":${s},"b":${b}}` })),
            }),
          );
      }),
    );
    const sent = perSender * 100;
    const sendSeconds = (performance.now() - t0) / 1000;
    await until(() => invoker.delivered >= sent, 120_000);
    const sqsSeconds = (performance.now() - t0) / 1000;
    console.log(
      `SQS: ${sent} messages sent in ${sendSeconds.toFixed(2)} s, all processed in ${sqsSeconds.toFixed(2)} s → ${(sent / sqsSeconds).toFixed(0)} msg/s (batch 10, 5 concurrent batches)`,
    );

    // SQS latency: one message at a time.
    invoker.reset();
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ sentAt: Date.now() }) }),
      );
      await until(() => invoker.delivered > i, 10_000);
    }
    console.log(
      `SQS send → invocation: p50 ${percentile(invoker.latencies, 50)} ms, p95 ${percentile(invoker.latencies, 95)} ms (n=${invoker.latencies.length})`,
    );

    // Kinesis throughput: PutRecords of 500 over 4 shards.
    invoker.reset();
    t0 = performance.now();
    for (let i = 0; i < KINESIS_RECORDS; i += 500) {
      await kinesis.send(
        new PutRecordsCommand({
          StreamName: 'bench',
          Records: Array.from({ length: Math.min(500, KINESIS_RECORDS - i) }, (_, n) => ({
            PartitionKey: `k${(i + n) % 64}`,
            Data: Buffer.from(`{"n":${i + n}}`),
          })),
        }),
      );
    }
    const putSeconds = (performance.now() - t0) / 1000;
    await until(() => invoker.delivered >= KINESIS_RECORDS, 120_000);
    const kinSeconds = (performance.now() - t0) / 1000;
    console.log(
      `Kinesis: ${KINESIS_RECORDS} records put in ${putSeconds.toFixed(2)} s, all processed in ${kinSeconds.toFixed(2)} s → ${(KINESIS_RECORDS / kinSeconds).toFixed(0)} records/s (4 shards, batch 100)`,
    );

    // Kinesis latency: one record at a time.
    invoker.reset();
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      await kinesis.send(
        new PutRecordCommand({
          StreamName: 'bench',
          PartitionKey: 'k',
          Data: Buffer.from(JSON.stringify({ sentAt: Date.now() })),
        }),
      );
      await until(() => invoker.delivered > i, 10_000);
    }
    console.log(
      `Kinesis put → invocation: p50 ${percentile(invoker.latencies, 50)} ms, p95 ${percentile(invoker.latencies, 95)} ms (n=${invoker.latencies.length}; idle poll 1 s virtual = ${(1000 / clock.scale).toFixed(1)} ms)`,
    );
  } finally {
    await pollers.stop();
    await stopRuntime();
    sqs.destroy();
    kinesis.destroy();
    await endpoint.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
