/**
 * The REST API of the request/response pattern: `POST /orders` and `GET /orders/{orderId}` with Lambda proxy
 * integrations, a JSON-schema request model, stage throttling and access logging.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  JsonSchemaType,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  type Model,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { OrderFunction } from './order-function';

/**
 * Drills and the order id pattern as the API model states them. They mirror `lambda/shared/order.ts` (lib/ must
 * not import lambda/); test/infra/constructs/order-api.test.ts checks that both say the same.
 */
export const API_DRILLS = ['error', 'error-once', 'timeout'] as const;
/** Order id pattern of the API model; see {@link API_DRILLS}. */
export const API_ORDER_ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';

/** Properties of an {@link OrderApi}. */
export interface OrderApiProps {
  /** Handles `POST /orders`. */
  readonly createOrder: OrderFunction;
  /** Handles `GET /orders/{orderId}`. */
  readonly getOrder: OrderFunction;
  /** Stage name, the last path segment of the API URL. */
  readonly stageName: string;
  /**
   * Steady-state requests per second for the stage; excess requests get 429.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
   */
  readonly rateLimit: number;
  /** Burst bucket size for the stage. */
  readonly burstLimit: number;
  /** Retention of the access log group, in days. */
  readonly logRetentionDays: number;
}

/**
 * A regional REST API with:
 * - a request validator and the `Order` model on `POST /orders` (a bad body gets 400 before Lambda runs);
 * - required `orderId` path parameter and optional `drill` query parameter on `GET /orders/{orderId}`;
 * - stage throttling, JSON access logs in their own log group (deleted by `cdk destroy`) and ERROR execution
 *   logging, which need the account's API Gateway CloudWatch role (set once per region by an admin; the cdk.json
 *   flag `@aws-cdk/aws-apigateway:disableCloudWatchRole` keeps the stack from creating one);
 * - the execution log group `API-Gateway-Execution-Logs_<api id>/<stage>` created by the stack before the stage,
 *   so `cdk destroy` deletes it (API Gateway would otherwise create it on the first logged error, never expiring
 *   and outside CloudFormation).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 */
export class OrderApi extends Construct {
  /** The REST API. */
  public readonly api: RestApi;
  /** The stage's access log group. */
  public readonly accessLogs: LogGroup;
  /** The stage's execution log group (API Gateway writes to it by name). */
  public readonly executionLogs: LogGroup;
  /** The JSON-schema model of an order. */
  public readonly orderModel: Model;

  constructor(scope: Construct, id: string, props: OrderApiProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, 'Api', {
      description: 'Lambda Pipelines Lab: request/response pattern (orders)',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName,
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
      },
    });
    this.executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stageName}`,
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Exists before the stage can log, and outlives it on delete
    this.api.deploymentStage.node.addDependency(this.executionLogs);
    this.orderModel = this.api.addModel('OrderModel', {
      contentType: 'application/json',
      description: 'An order: item and quantity, optional orderId and failure drill',
      schema: {
        schema: JsonSchemaVersion.DRAFT4,
        title: 'Order',
        type: JsonSchemaType.OBJECT,
        required: ['item', 'quantity'],
        additionalProperties: false,
        properties: {
          orderId: { type: JsonSchemaType.STRING, pattern: API_ORDER_ID_PATTERN },
          item: { type: JsonSchemaType.STRING, minLength: 1, maxLength: 100 },
          quantity: { type: JsonSchemaType.INTEGER, minimum: 1 },
          drill: { type: JsonSchemaType.STRING, enum: [...API_DRILLS] },
        },
      },
    });
    const bodyValidator = this.api.addRequestValidator('BodyValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const parameterValidator = this.api.addRequestValidator('ParameterValidator', {
      validateRequestBody: false,
      validateRequestParameters: true,
    });
    const orders = this.api.root.addResource('orders');
    orders.addMethod('POST', new LambdaIntegration(props.createOrder.function), {
      requestValidator: bodyValidator,
      requestModels: { 'application/json': this.orderModel },
    });
    orders.addResource('{orderId}').addMethod('GET', new LambdaIntegration(props.getOrder.function), {
      requestValidator: parameterValidator,
      requestParameters: { 'method.request.path.orderId': true, 'method.request.querystring.drill': false },
    });
  }
}
