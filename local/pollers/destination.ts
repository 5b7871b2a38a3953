/**
 * The S3 object key of a stream event source mapping's on-failure record:
 * `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<UUID>` (the record itself is
 * delivered by the engine's one destination sender, shared with asynchronous invocation).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
export function streamFailureS3Key(mappingUuid: string, shardId: string, atMs: number, id: string): string {
  const at = new Date(atMs).toISOString();
  const [day, time] = [at.slice(0, 10), at.slice(11, 19).replaceAll(':', '.')];
  return `aws/lambda/${mappingUuid}/${shardId}/${day.replaceAll('-', '/')}/${day}T${time}-${id}`;
}

/**
 * The URL of a local queue from its ARN, for queues the assembly does not list:
 * `arn:aws:sqs:<region>:<account>:<name>` → `<endpoint>/<account>/<name>`.
 */
export function queueUrlFromArn(endpointUrl: string, arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[2] !== 'sqs') return undefined;
  return `${endpointUrl.replace(/\/$/, '')}/${parts[4]}/${parts[5]}`;
}
