/**
 * AWS SDK v3 browser clients aimed at the page's own origin: the local engine's one endpoint, with
 * the dummy credentials it accepts. The same calls work against AWS with real credentials.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

/** One client per service the console calls. */
export interface AwsClients {
  readonly cloudformation: CloudFormationClient;
  readonly dynamodb: DynamoDBClient;
  readonly kinesis: KinesisClient;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly ssm: SSMClient;
}

/** Builds the clients for an endpoint (the page's origin) and region. */
export function createClients(endpoint: string, region: string): AwsClients {
  const config = {
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A failed call is shown to the student as it happened, not hidden behind retries.
    maxAttempts: 1,
  };
  return {
    cloudformation: new CloudFormationClient(config),
    dynamodb: new DynamoDBClient(config),
    kinesis: new KinesisClient(config),
    lambda: new LambdaClient(config),
    // The endpoint is an IP address: buckets are addressed in the path, not as a subdomain.
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sns: new SNSClient(config),
    sqs: new SQSClient(config),
    ssm: new SSMClient(config),
  };
}
