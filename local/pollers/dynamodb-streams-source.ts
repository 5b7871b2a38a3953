import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { buildDynamoDbRecord, type DynamoDbStreamRecordInput } from './event-builders';
import { dynamoDbFilterView } from './filter';
import type { RecordsPage, ShardPosition, StreamShard, StreamSource } from './stream-poller';

/**
 * DynamoDB Streams returns at most 1,000 records per GetRecords call; a larger BatchSize is gathered over several calls.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
 */
const GET_RECORDS_MAX = 1000;

/** Options of {@link DynamoDbStreamsSource}. */
export interface DynamoDbStreamsSourceOptions {
  readonly streams: DynamoDBStreamsClient;
  /** `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>` */
  readonly streamArn: string;
  readonly region: string;
  /**
   * Virtual ms between polls of an idle shard; Lambda polls DynamoDB Streams "at a base rate of 4
   * times per second".
   * @default 250
   */
  readonly idlePollMs?: number;
}

/**
 * DynamoDB Streams as a stream-poller source, through the endpoint's DynamoDB Streams API
 * (DescribeStream, GetShardIterator, GetRecords) with the real SDK client. When the mapping's stream
 * ARN is unknown to the service (another stream label), the table's latest stream is used.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
export class DynamoDbStreamsSource implements StreamSource {
  readonly kind = 'dynamodb' as const;
  /** "a 24 hour limit on data retention" */
  readonly retentionMs = 24 * 3_600_000;
  readonly idlePollMs: number;
  /** GetRecords returns at most 1,000 records. @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html */
  readonly maxRecordsPerCall = 1000;
  private arn: string;

  constructor(private readonly options: DynamoDbStreamsSourceOptions) {
    this.arn = options.streamArn;
    this.idlePollMs = options.idlePollMs ?? 250;
  }

  streamArn(): string {
    return this.arn;
  }

  async listShards(signal: AbortSignal): Promise<readonly StreamShard[]> {
    let shards: Shard[];
    try {
      shards = await this.describe(this.arn, signal);
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'ResourceNotFoundException') throw err;
      const table = /:table\/([^/]+)/.exec(this.options.streamArn)?.[1];
      const out = await this.options.streams.send(new ListStreamsCommand({ TableName: table }), {
        abortSignal: signal,
      });
      const latest = out.Streams?.[out.Streams.length - 1]?.StreamArn;
      if (!latest) throw err;
      this.arn = latest;
      shards = await this.describe(latest, signal);
    }
    return shards.map((s) => ({
      shardId: s.ShardId ?? '',
      ...(s.ParentShardId ? { parentShardId: s.ParentShardId } : {}),
    }));
  }

  private async describe(arn: string, signal: AbortSignal): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: arn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
        { abortSignal: signal },
      );
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  async getIterator(shardId: string, position: ShardPosition, signal: AbortSignal): Promise<string> {
    if (position.type === 'AT_TIMESTAMP') throw new Error('AT_TIMESTAMP is not supported for DynamoDB Streams');
    const out = await this.options.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.arn,
        ShardId: shardId,
        ShardIteratorType: position.type,
        ...(position.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: position.sequenceNumber } : {}),
      }),
      { abortSignal: signal },
    );
    if (!out.ShardIterator) throw new Error(`no shard iterator for ${shardId}`);
    return out.ShardIterator;
  }

  async getRecords(_shardId: string, iterator: string, limit: number, signal: AbortSignal): Promise<RecordsPage> {
    const out = await this.options.streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(limit, GET_RECORDS_MAX) }),
      {
        abortSignal: signal,
      },
    );
    return {
      records: (out.Records ?? []).map((r) => {
        const event = buildDynamoDbRecord(r as DynamoDbStreamRecordInput, this.arn, this.options.region);
        const created = r.dynamodb?.ApproximateCreationDateTime;
        return {
          sequenceNumber: event.dynamodb.SequenceNumber,
          arrivalMs: created ? created.getTime() : Date.now(),
          laneKey: JSON.stringify(event.dynamodb.Keys),
          event,
          filterView: () => dynamoDbFilterView(event),
          summary: `${event.eventName} ${keySummary(event.dynamodb.Keys)}`,
        };
      }),
      ...(out.NextShardIterator ? { nextIterator: out.NextShardIterator } : {}),
    };
  }
}

function keySummary(keys: Readonly<Record<string, unknown>>): string {
  return Object.entries(keys)
    .map(([name, value]) => {
      const v = value && typeof value === 'object' ? Object.values(value)[0] : value;
      return `${name}=${String(v)}`;
    })
    .join(' ');
}
