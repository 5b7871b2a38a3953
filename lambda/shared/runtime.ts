/**
 * Everything an order function needs at run time, built once per execution environment (at module load):
 * settings from environment variables, SDK clients with default settings, Powertools utilities.
 *
 * Clients get no custom endpoint: in AWS they reach the regional endpoints, and on the local engine the
 * standard `AWS_ENDPOINT_URL` variable points them at it.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { createDynamoDbPorts } from './dynamodb-ports';
import { createMaxQuantityReader, type MaxQuantityReader } from './max-quantity';
import { createOrderRecorder, type OrderRecorder } from './order-recorder';
import { createReceiptKeyReader, type ReceiptKeyReader } from './receipt-key';
import type { RecordingPorts, StoredOrder } from './record-order';
import { readOrderSettings, type Environment } from './settings';
import { hangPastDeadline } from './timeout';

/** What handlers depend on; tests pass fakes with the same shape. */
export interface OrderRuntime {
  /** Idempotent recording. */
  readonly recorder: OrderRecorder;
  /** Current largest accepted quantity (Parameter Store, cached). */
  readonly maxQuantity: MaxQuantityReader;
  /** Current receipt key (Secrets Manager, cached); never log or return it. */
  readonly receiptKey: ReceiptKeyReader;
  /** The recording ports for one invocation (the timeout drill needs its deadline). */
  readonly portsFor: (context: Context) => RecordingPorts;
  /** Reads a recorded order. */
  readonly getOrder: (orderId: string) => Promise<StoredOrder | undefined>;
  /** Structured JSON logger. */
  readonly logger: Logger;
}

/** Builds the AWS-backed {@link OrderRuntime}; throws naming a missing environment variable. */
export function createOrderRuntime(env: Environment): OrderRuntime {
  const settings = readOrderSettings(env);
  const dynamoDb = new DynamoDBClient({});
  const documents = DynamoDBDocumentClient.from(dynamoDb, { marshallOptions: { removeUndefinedValues: true } });
  const ports = createDynamoDbPorts(documents, settings);
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: settings.idempotencyTableName,
    awsSdkV3Client: dynamoDb,
  });
  const receiptKey = createReceiptKeyReader(
    new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) }),
    settings.receiptKeySecretArn,
    settings.secretCacheSeconds,
  );
  return {
    recorder: createOrderRecorder(persistenceStore, settings.idempotencyTtlSeconds),
    maxQuantity: createMaxQuantityReader(
      new SSMProvider({ awsSdkV3Client: new SSMClient({}) }),
      settings.maxQuantityParameterName,
      settings.parameterCacheSeconds,
    ),
    receiptKey,
    portsFor: (context) => ({ ...ports, receiptKey, hang: () => hangPastDeadline(context) }),
    getOrder: ports.getOrder,
    logger: new Logger(),
  };
}
