/**
 * Benchmark of the endpoint's data services through real SDK v3 clients with default settings:
 * endpoint start time (every service), idle RSS, Kinesis PutRecords throughput over the default
 * HTTP/2 client, S3 put/get of a 1 MiB object, and DynamoDB PutItem rate (with and without a stream).
 *
 * Run: `node --import tsx bench/endpoint-data.ts [kinesisBatches] [dynamoPuts]` (defaults 40, 2000).
 * Numbers are wall-clock on this machine, client and endpoint in one process.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startEndpoint } from '../local/endpoint/server';
import { dynamodbServices } from '../local/endpoint/services/dynamodb';
import { kinesisService } from '../local/endpoint/services/kinesis';
import { s3Service } from '../local/endpoint/services/s3';
import { snsService } from '../local/endpoint/services/sns';
import { sqsService } from '../local/endpoint/services/sqs';
import { ssmService } from '../local/endpoint/services/ssm';

/** Milliseconds since the process started, once the endpoint modules are loaded (SDK clients load later). */
const loadedAt = performance.now();

const BATCHES = Number(process.argv[2] ?? 40);
const PUTS = Number(process.argv[3] ?? 2000);
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const imported = performance.now();
  const endpoint = await startEndpoint({
    port: 0,
    services: [s3Service(), kinesisService(), ...dynamodbServices(), sqsService(), snsService(), ssmService()],
  });
  const started = performance.now();
  const health = await fetch(`${endpoint.url}/_lab/health`);
  const firstAnswer = performance.now();
  const services = Object.keys(((await health.json()) as { services: Record<string, string> }).services);

  await new Promise((r) => setTimeout(r, 1000));
  global.gc?.();
  const idleRss = process.memoryUsage().rss;

  console.log(`machine: ${os.cpus().length} cores, node ${process.version}`);
  console.log(`services: ${services.join(', ')}`);
  console.log(
    `start: process start → endpoint modules loaded ${loadedAt.toFixed(0)} ms (incl. tsx); startEndpoint ${(started - imported).toFixed(1)} ms; ` +
      `first /_lab/health answer ${(firstAnswer - imported).toFixed(1)} ms after startEndpoint was called`,
  );
  console.log(`idle RSS with the endpoint started (before any SDK client is loaded): ${mb(idleRss)}`);

  const base = { endpoint: endpoint.url, region: endpoint.region, credentials };

  // Kinesis: default client (HTTP/2), PutRecords of 500 × 100 B.
  const { KinesisClient, CreateStreamCommand, PutRecordsCommand } = await import('@aws-sdk/client-kinesis');
  const kinesis = new KinesisClient(base);
  for (const [shards, concurrency] of [
    [1, 1],
    [2, 1],
    [2, 4],
  ] as const) {
    const StreamName = `bench-${shards}-${concurrency}`;
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: shards }));
    const data = new Uint8Array(100).fill(120);
    let next = 0;
    let failed = 0;
    const latencies: number[] = [];
    const begin = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < BATCHES) {
          const batch = next++;
          const start = performance.now();
          const res = await kinesis.send(
            new PutRecordsCommand({
              StreamName,
              Records: Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `pk-${batch}-${i}`, Data: data })),
            }),
          );
          latencies.push(performance.now() - start);
          failed += res.FailedRecordCount ?? 0;
        }
      }),
    );
    const seconds = (performance.now() - begin) / 1000;
    console.log(
      `kinesis PutRecords ${shards} shard(s), concurrency ${concurrency}: ${Math.round((BATCHES * 500) / seconds)} records/s ` +
        `(${BATCHES} × 500, median batch ${median(latencies).toFixed(1)} ms, last batch ${latencies[latencies.length - 1]?.toFixed(1)} ms, failed ${failed})`,
    );
  }
  kinesis.destroy();

  // S3: 1 MiB put/get with default checksums, and a 1 MiB stream upload (aws-chunked).
  const { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { Readable } = await import('node:stream');
  const s3 = new S3Client({ ...base, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const mib = Buffer.alloc(1024 * 1024, 7);
  const puts: number[] = [];
  const streamPuts: number[] = [];
  const gets: number[] = [];
  for (let i = 0; i < 30; i++) {
    let start = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `obj-${i}`, Body: mib }));
    puts.push(performance.now() - start);
    start = performance.now();
    await s3.send(
      new PutObjectCommand({
        Bucket: 'bench',
        Key: `stream-${i}`,
        Body: Readable.from([mib]),
        ContentLength: mib.length,
      }),
    );
    streamPuts.push(performance.now() - start);
    start = performance.now();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `obj-${i}` }));
    await got.Body!.transformToByteArray();
    gets.push(performance.now() - start);
  }
  console.log(
    `s3 1 MiB (median of 30): PutObject Buffer ${median(puts).toFixed(1)} ms, PutObject stream (aws-chunked) ${median(streamPuts).toFixed(1)} ms, GetObject (CRC32 validated) ${median(gets).toFixed(1)} ms`,
  );
  s3.destroy();

  // DynamoDB: sequential PutItem, without and with a NEW_AND_OLD_IMAGES stream.
  const { DynamoDBClient, CreateTableCommand, PutItemCommand } = await import('@aws-sdk/client-dynamodb');
  const ddb = new DynamoDBClient(base);
  for (const stream of [false, true]) {
    const TableName = `bench-${stream ? 'stream' : 'plain'}`;
    await ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        ...(stream
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const } }
          : {}),
      }),
    );
    const begin = performance.now();
    for (let i = 0; i < PUTS; i++)
      await ddb.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: `item-${i}` }, n: { N: String(i) }, payload: { S: 'x'.repeat(200) } },
        }),
      );
    const seconds = (performance.now() - begin) / 1000;
    console.log(
      `dynamodb PutItem sequential${stream ? ' with a NEW_AND_OLD_IMAGES stream' : ''}: ${Math.round(PUTS / seconds)} puts/s (${PUTS} puts)`,
    );
  }
  ddb.destroy();

  console.log(`RSS after the run: ${mb(process.memoryUsage().rss)}`);
  await endpoint.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
