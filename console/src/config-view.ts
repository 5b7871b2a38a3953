/**
 * The retry settings as deployed, read through the same APIs a student would use in the AWS console:
 * Lambda's event invoke config and event source mappings, the function's DLQ, and the SQS queue's
 * visibility timeout and redrive policy. Shown beside the README's retry text, to compare.
 */
import {
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from './aws';
import type { PipelineDef } from './patterns';

/** The last part of an ARN (the queue, stream or table name is enough to recognize it). */
function tail(arn: string | undefined): string {
  if (!arn) return 'none';
  // A DynamoDB stream's ARN ends in its creation time: the table names it better.
  const table = /:table\/([^/]+)\/stream\//.exec(arn);
  if (table) return `${table[1]} (stream)`;
  return arn.split(/[:/]/).pop() ?? arn;
}

/** One line per setting that decides retries, for one pipeline's function. */
export async function deliverySettings(
  clients: AwsClients,
  pipeline: PipelineDef,
  outputs: Readonly<Record<string, string>>,
): Promise<string[]> {
  const functionName = outputs[pipeline.functionOutput];
  if (!functionName) return [];
  const lines: string[] = [];
  const config = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  lines.push(`${pipeline.source}: function timeout ${config.Timeout} s`);
  if (config.DeadLetterConfig?.TargetArn) lines.push(`Function DLQ ${tail(config.DeadLetterConfig.TargetArn)}`);
  if (pipeline.via === "Lambda's async queue") {
    const invoke = await clients.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: functionName }));
    lines.push(
      `MaximumRetryAttempts ${invoke.MaximumRetryAttempts} · MaximumEventAgeInSeconds ${invoke.MaximumEventAgeInSeconds}` +
        ` · OnFailure ${tail(invoke.DestinationConfig?.OnFailure?.Destination)}` +
        ` · OnSuccess ${tail(invoke.DestinationConfig?.OnSuccess?.Destination)}`,
    );
  }
  if (pipeline.via === 'Event source mapping') {
    const listed = await clients.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionName }));
    for (const m of listed.EventSourceMappings ?? []) {
      const facts = [
        `Mapping from ${tail(m.EventSourceArn)}: BatchSize ${m.BatchSize}`,
        m.MaximumBatchingWindowInSeconds !== undefined &&
          `MaximumBatchingWindowInSeconds ${m.MaximumBatchingWindowInSeconds}`,
        m.MaximumRetryAttempts !== undefined && `MaximumRetryAttempts ${m.MaximumRetryAttempts}`,
        m.BisectBatchOnFunctionError !== undefined && `BisectBatchOnFunctionError ${m.BisectBatchOnFunctionError}`,
        m.MaximumRecordAgeInSeconds !== undefined && `MaximumRecordAgeInSeconds ${m.MaximumRecordAgeInSeconds}`,
        m.FunctionResponseTypes?.length && `FunctionResponseTypes ${m.FunctionResponseTypes.join(', ')}`,
        m.ScalingConfig?.MaximumConcurrency !== undefined && `MaximumConcurrency ${m.ScalingConfig.MaximumConcurrency}`,
        m.DestinationConfig?.OnFailure?.Destination && `OnFailure ${tail(m.DestinationConfig.OnFailure.Destination)}`,
      ];
      lines.push(facts.filter(Boolean).join(' · '));
    }
  }
  const queueUrl = pipeline.sourceQueueOutput ? outputs[pipeline.sourceQueueOutput] : undefined;
  if (queueUrl) {
    const attributes = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }),
    );
    const redrive = JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}') as {
      maxReceiveCount?: number;
      deadLetterTargetArn?: string;
    };
    lines.push(
      `Queue VisibilityTimeout ${attributes.Attributes?.VisibilityTimeout} s · maxReceiveCount ${redrive.maxReceiveCount}` +
        ` · DLQ ${tail(redrive.deadLetterTargetArn)}`,
    );
  }
  return lines;
}
