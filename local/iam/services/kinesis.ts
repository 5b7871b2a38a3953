import { arnOf, field, type OperationRule, type ServiceTable } from '../access';

const onStream =
  (op: string): OperationRule =>
  (input, ctx) => {
    const arn = field(input, 'StreamARN');
    const name = field(input, 'StreamName');
    // GetRecords carries only an opaque iterator unless the caller adds StreamARN; see docs/engine-fidelity.md.
    const resource = arn ?? (name ? arnOf('kinesis', ctx, `stream/${name}`) : '*');
    return [{ action: `kinesis:${op}`, resource }];
  };

/**
 * Kinesis Data Streams: stream operations on `arn:aws:kinesis:<region>:<account>:stream/<name>`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesis.html
 */
export const kinesisTable: ServiceTable = {
  prefix: 'kinesis',
  rules: Object.fromEntries(
    [
      'PutRecord',
      'PutRecords',
      'GetRecords',
      'GetShardIterator',
      'DescribeStream',
      'DescribeStreamSummary',
      'ListShards',
      'CreateStream',
      'DeleteStream',
      'MergeShards',
      'SplitShard',
      'AddTagsToStream',
      'ListTagsForStream',
      'IncreaseStreamRetentionPeriod',
      'DecreaseStreamRetentionPeriod',
      'UpdateShardCount',
      'StartStreamEncryption',
      'StopStreamEncryption',
    ].map((op) => [op, onStream(op)]),
  ),
};
