import { createHash } from 'node:crypto';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  UpdateShardCountCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import type { Endpoint } from '../../../local/endpoint/server';
import { ACCOUNT, REGION, clientConfig, startDataEndpoint, uniqueName } from './data-helpers';

let endpoint: Endpoint;
let kinesis: KinesisClient;

beforeAll(async () => {
  endpoint = await startDataEndpoint();
  kinesis = new KinesisClient(clientConfig(endpoint));
});

afterAll(async () => {
  kinesis.destroy();
  await endpoint.stop();
});

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined): string => new TextDecoder().decode(data);

async function createStream(shards = 1): Promise<string> {
  const name = uniqueName('stream');
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  return name;
}

async function readAll(StreamName: string, ShardId: string): Promise<string[]> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
  return (Records ?? []).map((r) => text(r.Data));
}

/** The shard whose hash key range holds MD5(partition key), as Kinesis maps keys to shards. */
function shardFor(partitionKey: string, shards: readonly Shard[]): string {
  const hash = BigInt(`0x${createHash('md5').update(partitionKey).digest('hex')}`);
  const shard = shards.find(
    (s) => BigInt(s.HashKeyRange!.StartingHashKey!) <= hash && hash <= BigInt(s.HashKeyRange!.EndingHashKey!),
  );
  return shard!.ShardId!;
}

describe('Kinesis on the local endpoint (default HTTP/2 SDK client)', () => {
  test('GIVEN a new stream WHEN it is described THEN it is ACTIVE and its ARN carries the configured region and account', async () => {
    const name = await createStream(2);

    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));

    expect(StreamDescription?.StreamStatus).toBe('ACTIVE');
    expect(StreamDescription?.StreamARN).toBe(`arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`);
    expect(StreamDescription?.Shards).toHaveLength(2);
  });

  test('GIVEN two streams WHEN streams are listed and one is deleted THEN the list shows both, then only the other', async () => {
    const kept = await createStream();
    const deleted = await createStream();

    const before = await kinesis.send(new ListStreamsCommand({}));
    await kinesis.send(new DeleteStreamCommand({ StreamName: deleted }));
    const after = await kinesis.send(new ListStreamsCommand({}));

    expect(before.StreamNames).toEqual(expect.arrayContaining([kept, deleted]));
    expect(after.StreamNames).toContain(kept);
    expect(after.StreamNames).not.toContain(deleted);
  });

  test('GIVEN a stream with 4 shards WHEN shards are listed THEN their hash key ranges tile the whole 128-bit space', async () => {
    const name = await createStream(4);

    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));

    const ranges = (Shards ?? []).map((s) => [
      BigInt(s.HashKeyRange!.StartingHashKey!),
      BigInt(s.HashKeyRange!.EndingHashKey!),
    ]);
    expect(ranges).toHaveLength(4);
    expect(ranges[0]?.[0]).toBe(0n);
    expect(ranges[3]?.[1]).toBe(2n ** 128n - 1n);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.[0]).toBe((ranges[i - 1]?.[1] ?? -1n) + 1n);
  });

  test('GIVEN a stream WHEN one record is put THEN the answer names its shard and a sequence number', async () => {
    const name = await createStream();

    const put = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes('one') }));

    expect(put.ShardId).toBe('shardId-000000000000');
    expect(put.SequenceNumber).toMatch(/^\d{20,}$/);
  });

  test('GIVEN a stream WHEN 500 records are put in one PutRecords call over HTTP/2 THEN none fails and all can be read back in order', async () => {
    const name = await createStream();
    const Records = Array.from({ length: 500 }, (_, i) => ({
      PartitionKey: `pk-${i}`,
      Data: bytes(`record-${i}-${'x'.repeat(100)}`),
    }));

    const put = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records }));
    const read = await readAll(name, 'shardId-000000000000');

    expect(put.FailedRecordCount).toBe(0);
    expect(put.Records).toHaveLength(500);
    expect(read).toEqual(Records.map((r) => text(r.Data)));
  });

  test('GIVEN a stream with 3 shards WHEN records are put THEN each lands in the shard whose hash range holds MD5 of its partition key', async () => {
    const name = await createStream(3);
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
    const keys = Array.from({ length: 60 }, (_, i) => `customer-${i}`);

    const put = await kinesis.send(
      new PutRecordsCommand({ StreamName: name, Records: keys.map((k) => ({ PartitionKey: k, Data: bytes(k) })) }),
    );

    const landed = put.Records!.map((r) => r.ShardId);
    expect(landed).toEqual(keys.map((k) => shardFor(k, Shards!)));
    expect(new Set(landed).size).toBe(3);
  });

  test('GIVEN records already in a shard WHEN a LATEST iterator is read THEN only records put afterwards come back', async () => {
    const name = await createStream();
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes('old') }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }),
    );

    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes('new') }));
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));

    expect(Records?.map((r) => text(r.Data))).toEqual(['new']);
  });

  test('GIVEN three records WHEN AT_ and AFTER_SEQUENCE_NUMBER iterators start at the second THEN they read from the second and the third', async () => {
    const name = await createStream();
    const seq: string[] = [];
    for (const d of ['a', 'b', 'c']) {
      const put = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes(d) }));
      seq.push(put.SequenceNumber!);
    }
    const read = async (type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'): Promise<string[]> => {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: name,
          ShardId: 'shardId-000000000000',
          ShardIteratorType: type,
          StartingSequenceNumber: seq[1],
        }),
      );
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      return (Records ?? []).map((r) => text(r.Data));
    };

    expect(await read('AT_SEQUENCE_NUMBER')).toEqual(['b', 'c']);
    expect(await read('AFTER_SEQUENCE_NUMBER')).toEqual(['c']);
  });

  test('GIVEN records put before and after an instant WHEN an AT_TIMESTAMP iterator starts at that instant THEN only the later records come back', async () => {
    const name = await createStream();
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes('before') }));
    await new Promise((r) => setTimeout(r, 20));
    const instant = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes('after') }));

    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: instant,
      }),
    );
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));

    expect(Records?.map((r) => text(r.Data))).toEqual(['after']);
  });

  test('GIVEN a read that reached the tip WHEN the next iterator is read after a put THEN the new record and increasing sequence numbers follow', async () => {
    const name = await createStream();
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes('1') }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator }));

    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes('2') }));
    const second = await kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));

    expect(second.Records?.map((r) => text(r.Data))).toEqual(['2']);
    expect(BigInt(second.Records![0]!.SequenceNumber!)).toBeGreaterThan(BigInt(first.Records![0]!.SequenceNumber!));
    expect(second.Records![0]!.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
  });

  test('GIVEN only a stream ARN WHEN the stream summary is asked for by ARN THEN the stream is found', async () => {
    const name = await createStream();
    const arn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;

    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: arn }));

    expect(StreamDescriptionSummary?.StreamName).toBe(name);
    expect(StreamDescriptionSummary?.OpenShardCount).toBe(1);
  });

  test('GIVEN only a stream ARN WHEN a PutRecords batch larger than 64 KiB is put by ARN THEN every record is stored', async () => {
    const name = await createStream();
    const arn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
    const records = Array.from({ length: 100 }, (_, i) => ({
      PartitionKey: 'k',
      Data: bytes(`${i}:${'x'.repeat(1000)}`),
    }));

    const out = await kinesis.send(new PutRecordsCommand({ StreamARN: arn, Records: records }));

    expect(out.FailedRecordCount).toBe(0);
    expect(out.Records).toHaveLength(100);
  });

  test('GIVEN no such stream WHEN a record is put THEN the SDK raises ResourceNotFoundException', async () => {
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName: 'no-such-stream', PartitionKey: 'k', Data: bytes('x') })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
  });

  test('GIVEN an operation the local engine lacks WHEN it is called THEN the error names the operation', async () => {
    const name = await createStream();

    await expect(
      kinesis.send(
        new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }),
      ),
    ).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('UpdateShardCount'),
    });
  });
});
