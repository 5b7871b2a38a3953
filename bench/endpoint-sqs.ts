/**
 * Benchmark of the local SQS service through the real SDK v3 client (default settings):
 * send + receive + delete throughput in batches of 10, and the latency of a long-poll wake-up.
 *
 * Run: `node --import tsx bench/endpoint-sqs.ts [messages]` (default 20,000 messages).
 * Numbers are wall-clock on this machine, client and endpoint in one process.
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import os from 'node:os';
import { startEndpoint } from '../local/endpoint/server';
import { sqsService } from '../local/endpoint/services/sqs';

const MESSAGES = Number(process.argv[2] ?? 20000);
const CONCURRENCY = [1, 4];
const WAKE_SAMPLES = 50;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const endpoint = await startEndpoint({ port: 0, services: [sqsService()] });
  const sqs = new SQSClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  try {
    console.log(
      `local SQS benchmark: ${MESSAGES} messages, batches of 10, node ${process.version}, ` +
        `${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    for (const workers of CONCURRENCY) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-${workers}` }));
      const perWorker = Math.floor(MESSAGES / workers / 10);
      const body = 'x'.repeat(256);
      let t = performance.now();
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          for (let b = 0; b < perWorker; b++) {
            await sqs.send(
              new SendMessageBatchCommand({
                QueueUrl,
                Entries: Array.from({ length: 10 }, (_, i) => ({
                  Id: `m${i}`,
                  MessageBody: `${w}-${b}-${i}-${body}`,
                  MessageAttributes: { kind: { DataType: 'String', StringValue: 'bench' } },
                })),
              }),
            );
          }
        }),
      );
      const total = perWorker * workers * 10;
      const sendSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      let received = 0;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (;;) {
            const out = await sqs.send(
              new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
            );
            const messages = out.Messages ?? [];
            if (messages.length === 0) return;
            received += messages.length;
            await sqs.send(
              new DeleteMessageBatchCommand({
                QueueUrl,
                Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
              }),
            );
          }
        }),
      );
      const receiveSeconds = (performance.now() - t) / 1000;
      console.log(
        `concurrency ${workers}: send ${Math.round(total / sendSeconds)} msg/s, ` +
          `receive+delete ${Math.round(received / receiveSeconds)} msg/s ` +
          `(${received}/${total} received), end-to-end ${Math.round(total / (sendSeconds + receiveSeconds))} msg/s`,
      );
    }

    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-wake' }));
    const wakes: number[] = [];
    for (let i = 0; i < WAKE_SAMPLES; i++) {
      const polled = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
      await new Promise((r) => setTimeout(r, 20));
      const sent = performance.now();
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `wake ${i}` }));
      const out = await polled;
      wakes.push(performance.now() - sent);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: (out.Messages ?? []).map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    wakes.sort((a, b) => a - b);
    console.log(
      `long-poll wake-up (send issued → poll answered, ${WAKE_SAMPLES} samples): ` +
        `p50 ${percentile(wakes, 50).toFixed(2)} ms, p95 ${percentile(wakes, 95).toFixed(2)} ms, max ${wakes.at(-1)!.toFixed(2)} ms`,
    );
    console.log(`RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
  } finally {
    sqs.destroy();
    await endpoint.stop();
  }
}

void main();
