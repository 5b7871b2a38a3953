/**
 * Reads back the records a stream on-failure record points to: Lambda sends the batch's shard and sequence
 * numbers, not its records, so the order ids come from the stream itself (as a student would read them).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
import {
  GetRecordsCommand as GetStreamRecords,
  GetShardIteratorCommand as GetStreamIterator,
} from '@aws-sdk/client-dynamodb-streams';
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import type { Clients } from './clients';

/** The batch coordinates of an on-failure record. */
interface BatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly streamArn: string;
}

/** Reads the order ids of the records an on-failure record names; empty when the body is not one. */
export async function readBatchOrderIds(clients: Clients, body: string): Promise<string[]> {
  let parsed: { KinesisBatchInfo?: BatchInfo; DDBStreamBatchInfo?: BatchInfo };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return [];
  }
  if (parsed.KinesisBatchInfo) return readKinesis(clients, parsed.KinesisBatchInfo);
  if (parsed.DDBStreamBatchInfo) return readTableStream(clients, parsed.DDBStreamBatchInfo);
  return [];
}

const inRange = (seq: string, info: BatchInfo): boolean =>
  BigInt(seq) >= BigInt(info.startSequenceNumber) && BigInt(seq) <= BigInt(info.endSequenceNumber);

async function readKinesis(clients: Clients, info: BatchInfo): Promise<string[]> {
  const it = await clients.kinesis.send(
    new GetShardIteratorCommand({
      StreamARN: info.streamArn,
      ShardId: info.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: info.startSequenceNumber,
    }),
  );
  const ids: string[] = [];
  let iterator = it.ShardIterator;
  for (let page = 0; iterator && page < 20; page++) {
    const out = await clients.kinesis.send(
      new GetRecordsCommand({ ShardIterator: iterator, StreamARN: info.streamArn }),
    );
    for (const record of out.Records ?? []) {
      if (!record.SequenceNumber || !inRange(record.SequenceNumber, info)) return ids;
      const id = orderIdOf(new TextDecoder().decode(record.Data));
      if (id) ids.push(id);
    }
    if ((out.Records ?? []).length === 0) break;
    iterator = out.NextShardIterator;
  }
  return ids;
}

async function readTableStream(clients: Clients, info: BatchInfo): Promise<string[]> {
  const it = await clients.streams.send(
    new GetStreamIterator({
      StreamArn: info.streamArn,
      ShardId: info.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: info.startSequenceNumber,
    }),
  );
  const ids: string[] = [];
  let iterator = it.ShardIterator;
  for (let page = 0; iterator && page < 20; page++) {
    const out = await clients.streams.send(new GetStreamRecords({ ShardIterator: iterator }));
    for (const record of out.Records ?? []) {
      const seq = record.dynamodb?.SequenceNumber;
      if (!seq || !inRange(seq, info)) return ids;
      const id = record.dynamodb?.Keys?.['orderId']?.S;
      if (id) ids.push(id);
    }
    if ((out.Records ?? []).length === 0) break;
    iterator = out.NextShardIterator;
  }
  return ids;
}

function orderIdOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { orderId?: unknown }).orderId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
