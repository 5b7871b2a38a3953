/**
 * Links into the AWS console for the resources a student clicks next. Built from CloudFormation tokens, so
 * they resolve to the deployed region, account and generated names.
 */
import { Aws } from 'aws-cdk-lib';

const home = (service: string): string =>
  `https://${Aws.REGION}.console.aws.amazon.com/${service}/home?region=${Aws.REGION}`;

/** Console link builders, one per resource type. */
export const consoleLink = {
  /** The function's page (code, test events, monitoring, configuration). */
  lambdaFunction: (functionName: string): string => `${home('lambda')}#/functions/${functionName}`,
  /** The log group's streams in CloudWatch Logs. */
  logGroup: (logGroupName: string): string => `${home('cloudwatch')}#logsV2:log-groups/log-group/${logGroupName}`,
  /** The queue's page (send and receive messages, redrive). The console wants the queue URL URL-encoded. */
  queue: (queueName: string): string =>
    `https://${Aws.REGION}.console.aws.amazon.com/sqs/v3/home?region=${Aws.REGION}#/queues/https%3A%2F%2Fsqs.${Aws.REGION}.${Aws.URL_SUFFIX}%2F${Aws.ACCOUNT_ID}%2F${queueName}`,
  /** The table's item explorer. */
  table: (tableName: string): string => `${home('dynamodbv2')}#item-explorer?table=${tableName}`,
  /** The stream's page (data viewer, monitoring). */
  kinesisStream: (streamName: string): string => `${home('kinesis')}#/streams/details/${streamName}/details`,
  /** The bucket, opened at a prefix (upload objects here). */
  bucket: (bucketName: string, prefix: string): string =>
    `https://s3.console.aws.amazon.com/s3/buckets/${bucketName}?region=${Aws.REGION}&prefix=${prefix}`,
  /** The topic's page (publish message, subscriptions). */
  topic: (topicArn: string): string => `${home('sns')}#/topic/${topicArn}`,
  /** The REST API's resources and stages. */
  restApi: (restApiId: string): string =>
    `https://${Aws.REGION}.console.aws.amazon.com/apigateway/main/apis/${restApiId}/resources?api=${restApiId}&region=${Aws.REGION}`,
  /** The parameter's page (edit its value). */
  parameter: (parameterName: string): string =>
    `https://${Aws.REGION}.console.aws.amazon.com/systems-manager/parameters/${parameterName}/description?region=${Aws.REGION}`,
  /** The CloudWatch dashboard. */
  dashboard: (dashboardName: string): string => `${home('cloudwatch')}#dashboards/dashboard/${dashboardName}`,
  /** The secret's page (retrieve or set its value). */
  secret: (secretName: string): string =>
    `https://${Aws.REGION}.console.aws.amazon.com/secretsmanager/secret?name=${secretName}&region=${Aws.REGION}`,
} as const;
