import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EventSourceMappingModel, KinesisStreamModel, QueueModel } from '../assembly/model';
import { SdkDestinationSender, type DestinationSender } from '../async/destination-sender';
import { queueUrlFromArn } from './destination';
import { DynamoDbStreamsSource } from './dynamodb-streams-source';
import type { FailureCondition } from './failure-record';
import { KinesisSource } from './kinesis-source';
import { SqsPoller } from './sqs-poller';
import { StreamPoller } from './stream-poller';
import { silentLogger, type Poller, type PollerRuntime } from './types';

export { SqsPoller, type SqsPollerOptions, type SqsPollerQueue } from './sqs-poller';
export { StreamPoller, type StreamPollerOptions, type StreamSource } from './stream-poller';
export { KinesisSource } from './kinesis-source';
export { DynamoDbStreamsSource } from './dynamodb-streams-source';
export { streamFailureS3Key } from './destination';
export { silentLogger, type Poller, type PollerLogger, type PollerRuntime } from './types';

/** What {@link startPollers} needs besides the mappings. */
export interface PollerDeps extends PollerRuntime {
  /** The endpoint the pollers read from, e.g. `http://127.0.0.1:4566`. */
  readonly endpointUrl: string;
  readonly region: string;
  readonly accountId: string;
  /**
   * Delivers on-failure records (the engine passes the sender its asynchronous path uses).
   * @default a sender of its own, closed on stop
   */
  readonly destinations?: DestinationSender;
  /** Every queue of the assembly (source queues, on-failure destination queues). */
  readonly queues: readonly QueueModel[];
  /** Every Kinesis stream of the assembly (retention period). */
  readonly kinesisStreams?: readonly KinesisStreamModel[];
  /** Role ARN by function name, for Kinesis `invokeIdentityArn`. @default a role named after the function */
  readonly roleArnOf?: (functionName: string) => string | undefined;
  /** @see StreamPollerOptions.maxAgeCondition */
  readonly maxAgeCondition?: FailureCondition;
  /** @see SqsPollerOptions.defaultConcurrency */
  readonly sqsDefaultConcurrency?: number;
  /**
   * Virtual seconds a function's invocation may take (its timeout plus init, times the time scale),
   * by function name. @see SqsPollerOptions.invocationAllowanceSeconds
   */
  readonly invocationAllowanceOf?: (functionName: string) => number | undefined;
}

/** The running pollers of an assembly. */
export interface RunningPollers {
  /** One per enabled mapping, by mapping UUID. */
  readonly pollers: ReadonlyMap<string, Poller>;
  stop(): Promise<void>;
}

/**
 * Starts one poller per enabled event source mapping (disabled ones are skipped, as Lambda does):
 * SQS mappings get an {@link SqsPoller}, Kinesis and DynamoDB Streams mappings a {@link StreamPoller}
 * over the matching source. Every poller talks to the endpoint with the real SDK clients. Resolves
 * once every poller is reading (so records written afterwards are seen, even from `LATEST`).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
 */
export async function startPollers(
  mappings: readonly EventSourceMappingModel[],
  deps: PollerDeps,
): Promise<RunningPollers> {
  const logger = deps.logger ?? silentLogger;
  const config = {
    endpoint: deps.endpointUrl,
    region: deps.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const sqs = new SQSClient(config);
  let kinesis: KinesisClient | undefined;
  let streams: DynamoDBStreamsClient | undefined;
  const queueByArn = new Map(deps.queues.map((q) => [q.arn, q]));
  const ownSender = deps.destinations
    ? undefined
    : new SdkDestinationSender({ endpointUrl: deps.endpointUrl, region: deps.region, credentials: config.credentials });
  const destinations = deps.destinations ?? ownSender;
  const runtime: PollerRuntime = {
    invoker: deps.invoker,
    clock: deps.clock,
    timeline: deps.timeline,
    logger,
    signal: deps.signal,
  };

  const pollers = new Map<string, Poller>();
  for (const mapping of mappings) {
    if (!mapping.enabled) {
      logger.info('event source mapping disabled; not polling', { mapping: mapping.logicalId });
      continue;
    }
    if (mapping.source === 'sqs') {
      const queue = queueByArn.get(mapping.eventSourceArn);
      const url = queue?.url ?? queueUrlFromArn(deps.endpointUrl, mapping.eventSourceArn);
      if (!url) {
        logger.error('no queue for event source mapping', { mapping: mapping.logicalId, arn: mapping.eventSourceArn });
        continue;
      }
      pollers.set(
        mapping.uuid,
        new SqsPoller({
          ...runtime,
          mapping,
          sqs,
          region: deps.region,
          defaultConcurrency: deps.sqsDefaultConcurrency,
          invocationAllowanceSeconds: deps.invocationAllowanceOf?.(mapping.functionName),
          queue: {
            url,
            arn: mapping.eventSourceArn,
            fifo: queue?.fifo ?? mapping.eventSourceArn.endsWith('.fifo'),
            visibilityTimeoutSeconds: queue?.visibilityTimeoutSeconds ?? 30,
            redrivePolicy: queue?.redrivePolicy,
          },
        }),
      );
      continue;
    }
    const source =
      mapping.source === 'kinesis'
        ? new KinesisSource({
            kinesis: (kinesis ??= new KinesisClient(config)),
            streamArn: mapping.eventSourceArn,
            region: deps.region,
            invokeIdentityArn:
              deps.roleArnOf?.(mapping.functionName) ??
              `arn:aws:iam::${deps.accountId}:role/${mapping.functionName}-role`,
            retentionPeriodHours: deps.kinesisStreams?.find((s) => s.arn === mapping.eventSourceArn)
              ?.retentionPeriodHours,
          })
        : new DynamoDbStreamsSource({
            streams: (streams ??= new DynamoDBStreamsClient(config)),
            streamArn: mapping.eventSourceArn,
            region: deps.region,
          });
    pollers.set(
      mapping.uuid,
      new StreamPoller({ ...runtime, mapping, source, destinations, maxAgeCondition: deps.maxAgeCondition }),
    );
  }

  await Promise.all([...pollers.values()].map((p) => p.start()));
  return {
    pollers,
    async stop() {
      await Promise.all([...pollers.values()].map((p) => p.stop()));
      for (const client of [sqs, kinesis, streams]) client?.destroy();
      ownSender?.close();
    },
  };
}
