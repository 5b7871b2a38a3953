import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { EventSourceMappingModel } from '../../../local/assembly/model';
import { ScaledClock } from '../../../local/core/clock';
import { TimelineInvoker } from '../../../local/engine/invoker';
import { Timeline } from '../../../local/core/timeline';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import type { EndpointContext, LocalService } from '../../../local/endpoint/types';
import { kinesisService } from '../../../local/endpoint/services/kinesis';
import { snsService } from '../../../local/endpoint/services/sns';
import { sqsService } from '../../../local/endpoint/services/sqs';
import type { InvokeOptions, InvokeResult } from '../../../local/runtime/types';
import type { SqsPollerQueue } from '../../../local/pollers/sqs-poller';
import { ACCOUNT, clientConfig, REGION, uniqueName } from '../test-clients';

export { ACCOUNT, clientConfig, REGION, uniqueName } from '../test-clients';

/** Virtual seconds per real second in these tests. */
export const SCALE = 600;

/** A started endpoint with SQS, SNS and Kinesis on a fast clock, plus the engine's timeline. */
export interface Lab {
  readonly endpoint: Endpoint;
  readonly clock: ScaledClock;
  readonly timeline: Timeline;
  readonly sqs: SQSClient;
  stop(): Promise<void>;
}

export async function startLab(
  options: {
    readonly scale?: number;
    /** More services, built on the lab's clock. */
    readonly services?: (clock: ScaledClock) => ReadonlyArray<(ctx: EndpointContext) => LocalService>;
  } = {},
): Promise<Lab> {
  const clock = new ScaledClock(options.scale ?? SCALE);
  const endpoint = await startEndpoint({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    services: [sqsService({ clock }), snsService({ clock }), kinesisService(), ...(options.services?.(clock) ?? [])],
  });
  const sqs = new SQSClient(clientConfig(endpoint));
  return {
    endpoint,
    clock,
    timeline: new Timeline(clock),
    sqs,
    async stop() {
      sqs.destroy();
      await endpoint.stop();
    },
  };
}

/** Creates a queue through the API and returns what the poller needs of it. */
export async function createQueue(
  lab: Lab,
  name: string,
  attributes: Record<string, string> = {},
): Promise<SqsPollerQueue> {
  const out = await lab.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = out.QueueUrl!;
  const attrs = await lab.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  const redrive = attrs.Attributes?.RedrivePolicy
    ? (JSON.parse(attrs.Attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number })
    : undefined;
  return {
    url,
    arn: attrs.Attributes!.QueueArn!,
    fifo: name.endsWith('.fifo'),
    visibilityTimeoutSeconds: Number(attrs.Attributes!.VisibilityTimeout ?? '30'),
    ...(redrive
      ? {
          redrivePolicy: {
            deadLetterTargetArn: redrive.deadLetterTargetArn,
            maxReceiveCount: Number(redrive.maxReceiveCount),
          },
        }
      : {}),
  };
}

/** An event source mapping with AWS's defaults for its source, overridden by `props`. */
export function mappingOf(
  source: EventSourceMappingModel['source'],
  eventSourceArn: string,
  props: Partial<EventSourceMappingModel> = {},
): EventSourceMappingModel {
  return {
    logicalId: 'Mapping',
    uuid: `uuid-${uniqueName('esm')}`,
    functionName: 'consumer',
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:consumer`,
    eventSourceArn,
    source,
    enabled: true,
    batchSize: source === 'sqs' ? 10 : 100,
    maximumBatchingWindowInSeconds: 0,
    ...(source === 'sqs' ? {} : { startingPosition: 'TRIM_HORIZON' }),
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: -1,
    parallelizationFactor: 1,
    tumblingWindowInSeconds: 0,
    reportBatchItemFailures: false,
    filterPatterns: [],
    ...props,
  };
}

/** What the fake function saw in one invocation. */
export interface Call<R> {
  readonly records: readonly R[];
  readonly requestId: string;
  readonly ok: boolean;
}

/**
 * A function run in-process behind the engine's real {@link TimelineInvoker}: `handler` gets the
 * event's records and returns the result, or throws for a function error.
 */
export class FakeFunction<R> {
  readonly calls: Call<R>[] = [];
  readonly invoker: TimelineInvoker;
  private running = 0;
  /** Most invocations seen at once. */
  maxConcurrent = 0;

  constructor(
    timeline: Timeline,
    private readonly handler: (records: readonly R[], call: number) => unknown,
    private readonly delayMs = 0,
  ) {
    this.invoker = new TimelineInvoker({ invoke: (_name, options) => this.run(options) }, timeline);
  }

  /** Records of successful invocations, in invocation order. */
  get succeeded(): R[] {
    return this.calls.filter((c) => c.ok).flatMap((c) => c.records);
  }

  private async run(options: InvokeOptions): Promise<InvokeResult> {
    const requestId = options.requestId ?? `req-${this.calls.length + 1}`;
    const records = (JSON.parse(options.payload) as { Records: R[] }).Records;
    this.running += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.running);
    const startedAt = Date.now();
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const result = await this.handler(records, this.calls.length + 1);
      this.calls.push({ records, requestId, ok: true });
      return this.result(requestId, JSON.stringify(result ?? null), startedAt);
    } catch (err) {
      this.calls.push({ records, requestId, ok: false });
      const error = { errorType: 'Error', errorMessage: (err as Error).message, trace: [] };
      return {
        ...this.result(requestId, JSON.stringify(error), startedAt),
        functionError: 'Unhandled',
        error,
        outcome: 'error',
      };
    } finally {
      this.running -= 1;
    }
  }

  private result(requestId: string, payload: string, startedAt: number): InvokeResult {
    return {
      requestId,
      payload,
      outcome: 'success',
      logs: '',
      startedAt,
      durationMs: Date.now() - startedAt,
      billedDurationMs: 1,
      coldStart: false,
      environmentId: 'env',
      maxMemoryUsedMb: 1,
    };
  }
}

/** Polls `check` every few real ms until it returns true; fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
