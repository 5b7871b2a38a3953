/** The SDK clients of one target, built once per command. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SendClients } from './send';
import { clientConfig, type Target } from './target';

/** Every client the command line uses. */
export interface Clients extends SendClients {
  readonly cloudformation: CloudFormationClient;
  readonly logs: CloudWatchLogsClient;
  readonly streams: DynamoDBStreamsClient;
  destroy(): void;
}

/** Builds the clients of a target; the local engine serves S3 by path, as S3 does for any custom endpoint. */
export function createClients(target: Target): Clients {
  const config = clientConfig(target);
  const clients = {
    cloudformation: new CloudFormationClient(config),
    logs: new CloudWatchLogsClient(config),
    streams: new DynamoDBStreamsClient(config),
    lambda: new LambdaClient(config),
    s3: new S3Client({ ...config, forcePathStyle: target.kind === 'local' }),
    sns: new SNSClient(config),
    kinesis: new KinesisClient(config),
    dynamodb: new DynamoDBClient(config),
    sqs: new SQSClient(config),
  };
  return {
    ...clients,
    destroy: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
