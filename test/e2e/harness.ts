import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { TimelineEvent } from '../../local/core/contracts';
import { startEngine, type Engine } from '../../local/engine/engine';
import { E2E_CDK_OUT, E2E_OWNER, ensureE2eAssembly, PROJECT_DIR } from './assembly';

/** The four stacks by pattern. */
export type PatternStack = 'RequestResponse' | 'AsyncEvents' | 'StreamPolling' | 'QueuePolling';

/** A started engine with the project's own stacks deployed, and SDK clients for it. */
export interface Lab {
  readonly engine: Engine;
  readonly url: string;
  /** Stack outputs from the local CloudFormation API's DescribeStacks, by stack and output key. */
  readonly outputs: Readonly<Record<PatternStack, Readonly<Record<string, string>>>>;
  readonly lambda: LambdaClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBDocumentClient;
  readonly kinesis: KinesisClient;
  readonly cloudformation: CloudFormationClient;
  /** Timeline events, newest first (the `/_lab/events` API). */
  events(query?: Record<string, string | undefined>): Promise<TimelineEvent[]>;
  /** Stops the engine; fails if IAM denied any request meanwhile (the stacks must grant what they use). */
  stop(): Promise<void>;
}

/**
 * Starts the engine on a free port with the end-to-end assembly (synthesized first when stale),
 * and builds clients the way a user would: only endpoint, region and dummy credentials.
 */
export async function startLab(opts: { timeScale?: number } = {}): Promise<Lab> {
  await ensureE2eAssembly();
  const engine = await startEngine({
    port: 0,
    owner: E2E_OWNER,
    timeScale: opts.timeScale ?? 60,
    projectDir: PROJECT_DIR,
    cdkOut: E2E_CDK_OUT,
  });
  const config = {
    endpoint: engine.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
  const cloudformation = new CloudFormationClient(config);
  const described = await cloudformation.send(new DescribeStacksCommand({}));
  const outputs: Record<string, Record<string, string>> = {};
  for (const stack of described.Stacks ?? []) {
    const pattern = stack.StackName!.slice(`${E2E_OWNER}-`.length);
    outputs[pattern] = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
  }
  const clients = {
    lambda: new LambdaClient(config),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient(config)),
    kinesis: new KinesisClient(config),
    cloudformation,
  };
  return {
    engine,
    url: engine.url,
    outputs: outputs as Lab['outputs'],
    ...clients,
    async events(query = {}) {
      const defined = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined);
      const res = await fetch(`${engine.url}/_lab/events?${new URLSearchParams(defined).toString()}`);
      return ((await res.json()) as { events: TimelineEvent[] }).events;
    },
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      const denials = engine.iam?.denials() ?? [];
      await engine.stop();
      // The stacks' grants must be sufficient for everything the course does: any denial is a missing grant.
      if (denials.length > 0) {
        const lines = denials.map((d) => `${d.functionName ?? d.callerArn}: ${d.action} on ${d.resource}`);
        throw new Error(`IAM denied ${denials.length} request(s) during the run:\n${lines.join('\n')}`);
      }
    },
  };
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs` of real time. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
