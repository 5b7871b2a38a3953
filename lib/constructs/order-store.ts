/**
 * Where a stack keeps its orders: the orders table, the idempotency table, the drill attempt counters, the
 * run-time setting in Parameter Store and the receipt key in Secrets Manager. {@link OrderStore.bind} grants a function access and sets the matching
 * environment variables in one call.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { AttributeType, BillingMode, type StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { OrderFunction } from './order-function';

/** How long an order id is remembered by the idempotency layer: one hour, Powertools' default. */
export const IDEMPOTENCY_TTL_SECONDS = 3600;

/** Properties of an {@link OrderStore}. */
export interface OrderStoreProps {
  /** Initial value of the largest accepted quantity (Parameter Store; editable after deployment). */
  readonly maxQuantity: number;
  /** How long functions cache the parameter and the receipt key, in seconds. */
  readonly parameterCacheSeconds: number;
}

/** Length of the generated receipt key: 64 characters, letters and digits only so it is easy to paste. */
export const RECEIPT_KEY_LENGTH = 64;

/** What a bound function may do with the orders table. */
export type OrderAccess = 'record' | 'read';

/**
 * The stack's order storage. Tables are on-demand, encrypted (AWS-owned key), with point-in-time recovery, and
 * deleted by `cdk destroy`.
 */
export class OrderStore extends Construct {
  /** Orders, partition key `orderId`. */
  public readonly ordersTable: Table;
  /** Powertools idempotency records, partition key `id`, TTL attribute `expiration`. */
  public readonly idempotencyTable: Table;
  /** Drill attempt counters, partition key `attemptKey`, TTL attribute `expiration`. */
  public readonly attemptsTable: Table;
  /** The largest accepted quantity, read by the functions at run time. */
  public readonly maxQuantityParameter: StringParameter;
  /**
   * The key orders are signed with (HMAC-SHA256), generated at deploy time; a student may put a new value in
   * the console and watch new orders signed with it once the functions' cache expires.
   */
  public readonly receiptKey: Secret;
  private readonly parameterCacheSeconds: number;

  constructor(scope: Construct, id: string, props: OrderStoreProps) {
    super(scope, id);
    this.parameterCacheSeconds = props.parameterCacheSeconds;
    this.ordersTable = newTable(this, 'Orders', { partitionKey: 'orderId' });
    this.idempotencyTable = newTable(this, 'Idempotency', { partitionKey: 'id', timeToLiveAttribute: 'expiration' });
    this.attemptsTable = newTable(this, 'Attempts', { partitionKey: 'attemptKey', timeToLiveAttribute: 'expiration' });
    this.maxQuantityParameter = new StringParameter(this, 'MaxQuantity', {
      description: 'Largest order quantity the functions accept; cached by each function for PARAMETER_CACHE_SECONDS',
      stringValue: String(props.maxQuantity),
    });
    this.receiptKey = new Secret(this, 'ReceiptKey', {
      description: 'Key the order functions sign receipts with (HMAC-SHA256); cached by each function',
      // @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html
      generateSecretString: { passwordLength: RECEIPT_KEY_LENGTH, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.receiptKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The receipt key is rotated by hand in the course (a student puts a new value in the console and watches new orders signed with it); an automatic rotation Lambda would add a function unrelated to the lesson.',
    });
  }

  /**
   * Grants the function what it needs and sets `ORDERS_TABLE_NAME`, `IDEMPOTENCY_TABLE_NAME`,
   * `ATTEMPTS_TABLE_NAME`, `IDEMPOTENCY_TTL_SECONDS`, `MAX_QUANTITY_PARAMETER_NAME`, `PARAMETER_CACHE_SECONDS`,
   * `RECEIPT_KEY_SECRET_ARN` and `SECRET_CACHE_SECONDS`. Both kinds of function get the receipt key, read-only:
   * recording functions sign with it, readers verify with it.
   *
   * @param access `record` to write orders (and idempotency records), `read` to look them up
   */
  public bind(fn: OrderFunction, access: OrderAccess): void {
    const lambda = fn.function;
    if (access === 'record') {
      this.ordersTable.grant(lambda, 'dynamodb:PutItem');
      // What Powertools' DynamoDBPersistenceLayer calls
      this.idempotencyTable.grant(
        lambda,
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      );
    } else {
      this.ordersTable.grant(lambda, 'dynamodb:GetItem');
    }
    this.attemptsTable.grant(lambda, 'dynamodb:UpdateItem');
    // Powertools' SSMProvider.get calls GetParameter only; grantRead would add GetParameters, DescribeParameters
    // and GetParameterHistory (every earlier value)
    Grant.addToPrincipal({
      grantee: lambda,
      actions: ['ssm:GetParameter'],
      resourceArns: [this.maxQuantityParameter.parameterArn],
    });
    // Powertools' SecretsProvider.get calls GetSecretValue only; grantRead would add DescribeSecret
    Grant.addToPrincipal({
      grantee: lambda,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [this.receiptKey.secretArn],
    });
    lambda.addEnvironment('ORDERS_TABLE_NAME', this.ordersTable.tableName);
    lambda.addEnvironment('IDEMPOTENCY_TABLE_NAME', this.idempotencyTable.tableName);
    lambda.addEnvironment('ATTEMPTS_TABLE_NAME', this.attemptsTable.tableName);
    lambda.addEnvironment('IDEMPOTENCY_TTL_SECONDS', String(IDEMPOTENCY_TTL_SECONDS));
    lambda.addEnvironment('MAX_QUANTITY_PARAMETER_NAME', this.maxQuantityParameter.parameterName);
    lambda.addEnvironment('PARAMETER_CACHE_SECONDS', String(this.parameterCacheSeconds));
    lambda.addEnvironment('RECEIPT_KEY_SECRET_ARN', this.receiptKey.secretArn);
    lambda.addEnvironment('SECRET_CACHE_SECONDS', String(this.parameterCacheSeconds));
  }
}

/** Options of {@link newTable}. */
export interface NewTableOptions {
  /** Name of the string partition key. */
  readonly partitionKey: string;
  /** Attribute holding the expiry time in epoch seconds. @default - no TTL */
  readonly timeToLiveAttribute?: string;
  /** Change stream to enable. @default - no stream */
  readonly stream?: StreamViewType;
}

/**
 * An on-demand table with the app's defaults: string partition key only, AWS-owned encryption key,
 * point-in-time recovery (cdk-nag DDB3), deleted by `cdk destroy`.
 */
export function newTable(scope: Construct, id: string, options: NewTableOptions): Table {
  return new Table(scope, id, {
    partitionKey: { name: options.partitionKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: options.timeToLiveAttribute,
    stream: options.stream,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.DESTROY,
  });
}
