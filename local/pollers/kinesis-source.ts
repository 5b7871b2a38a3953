import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { buildKinesisRecord } from './event-builders';
import { kinesisFilterView } from './filter';
import type { RecordsPage, ShardPosition, StreamShard, StreamSource } from './stream-poller';

/** Options of {@link KinesisSource}. */
export interface KinesisSourceOptions {
  readonly kinesis: KinesisClient;
  /** `arn:aws:kinesis:<region>:<account>:stream/<name>` */
  readonly streamArn: string;
  readonly region: string;
  /** The function's execution role, for `invokeIdentityArn`. */
  readonly invokeIdentityArn: string;
  /** @default 24 */
  readonly retentionPeriodHours?: number;
  /**
   * Virtual ms between polls of an idle shard; Lambda polls "once per second".
   * @default 1000
   */
  readonly idlePollMs?: number;
}

/**
 * Kinesis Data Streams as a stream-poller source, through the endpoint's Kinesis API
 * (ListShards, GetShardIterator, GetRecords) with the real SDK client.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
export class KinesisSource implements StreamSource {
  readonly kind = 'kinesis' as const;
  readonly retentionMs: number;
  readonly idlePollMs: number;
  /** GetRecords `Limit` maximum. @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html */
  readonly maxRecordsPerCall = 10_000;
  private readonly streamName: string;

  constructor(private readonly options: KinesisSourceOptions) {
    this.retentionMs = (options.retentionPeriodHours ?? 24) * 3_600_000;
    this.idlePollMs = options.idlePollMs ?? 1000;
    this.streamName = options.streamArn.split(':stream/')[1] ?? options.streamArn;
  }

  streamArn(): string {
    return this.options.streamArn;
  }

  async listShards(signal: AbortSignal): Promise<readonly StreamShard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.options.kinesis.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: this.streamName }),
        { abortSignal: signal },
      );
      shards.push(...(out.Shards ?? []));
      nextToken = out.NextToken;
    } while (nextToken);
    return shards.map((s) => ({
      shardId: s.ShardId ?? '',
      ...(s.ParentShardId ? { parentShardId: s.ParentShardId } : {}),
    }));
  }

  async getIterator(shardId: string, position: ShardPosition, signal: AbortSignal): Promise<string> {
    const out = await this.options.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.streamName,
        ShardId: shardId,
        ShardIteratorType: position.type,
        ...(position.type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: position.sequenceNumber } : {}),
        ...(position.type === 'AT_TIMESTAMP' ? { Timestamp: new Date(position.timestampMs) } : {}),
      }),
      { abortSignal: signal },
    );
    if (!out.ShardIterator) throw new Error(`no shard iterator for ${shardId}`);
    return out.ShardIterator;
  }

  async getRecords(shardId: string, iterator: string, limit: number, signal: AbortSignal): Promise<RecordsPage> {
    const out = await this.options.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }), {
      abortSignal: signal,
    });
    const ctx = {
      shardId,
      streamArn: this.options.streamArn,
      region: this.options.region,
      invokeIdentityArn: this.options.invokeIdentityArn,
    };
    return {
      records: (out.Records ?? []).map((r) => {
        const event = buildKinesisRecord(r, ctx);
        return {
          sequenceNumber: event.kinesis.sequenceNumber,
          arrivalMs: r.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
          laneKey: event.kinesis.partitionKey,
          event,
          filterView: () => kinesisFilterView(event),
          summary: `${shardId} key=${event.kinesis.partitionKey} #${event.kinesis.sequenceNumber.slice(-8)}`,
        };
      }),
      ...(out.NextShardIterator ? { nextIterator: out.NextShardIterator } : {}),
    };
  }
}
