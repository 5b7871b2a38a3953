/**
 * DynamoDB implementations of the recording ports. The only shared module that talks to DynamoDB for orders.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RecordingPorts, StoredOrder } from './record-order';

/** Attempt counters live a day: long enough for every retry policy in this app (max event age ≤ 6 h). */
const ATTEMPT_TTL_SECONDS = 24 * 60 * 60;

/** Tables the ports write to. */
export interface OrderTables {
  /** Orders table, partition key `orderId`. */
  readonly ordersTableName: string;
  /** Attempt counters, partition key `attemptKey`, TTL attribute `expiration`. */
  readonly attemptsTableName: string;
}

/** Stores orders once (conditional put) and counts drill attempts outside the function. */
export function createDynamoDbPorts(
  client: DynamoDBDocumentClient,
  tables: OrderTables,
): Omit<RecordingPorts, 'hang' | 'receiptKey'> & { getOrder(orderId: string): Promise<StoredOrder | undefined> } {
  return {
    async countAttempt(key) {
      const result = await client.send(
        new UpdateCommand({
          TableName: tables.attemptsTableName,
          Key: { attemptKey: key },
          UpdateExpression: 'ADD attempts :one SET expiration = if_not_exists(expiration, :expiration)',
          ExpressionAttributeValues: { ':one': 1, ':expiration': Math.floor(Date.now() / 1000) + ATTEMPT_TTL_SECONDS },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const attempts: unknown = result.Attributes?.['attempts'];
      return typeof attempts === 'number' ? attempts : 1;
    },
    async saveOrder(order) {
      try {
        await client.send(
          new PutCommand({
            TableName: tables.ordersTableName,
            Item: { ...order, recordedAt: new Date().toISOString() },
            // Recorded once even after the idempotency record has expired
            ConditionExpression: 'attribute_not_exists(orderId)',
          }),
        );
        return 'recorded';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'duplicate';
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return 'duplicate';
        throw error;
      }
    },
    async getOrder(orderId) {
      const result = await client.send(new GetCommand({ TableName: tables.ordersTableName, Key: { orderId } }));
      return result.Item as StoredOrder | undefined;
    },
  };
}
