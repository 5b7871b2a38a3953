/**
 * Pattern 1, request/response: API Gateway invokes Lambda synchronously; errors map to HTTP statuses and
 * nobody retries.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { consoleLink } from '../constructs/console-links';
import { OrderApi } from '../constructs/order-api';
import { OrderFunction } from '../constructs/order-function';
import { output } from '../constructs/stack-outputs';
import { PatternStack, type PatternStackProps } from './pattern-stack';

/**
 * API timeouts stay well below API Gateway's 29 s integration timeout, so a slow function shows up as Lambda's
 * own timeout (a 502), and the `timeout` drill takes only 3 s.
 */
export const API_FUNCTION_TIMEOUT = Duration.seconds(3);

/**
 * `POST /orders` and `GET /orders/{orderId}` on a REST API, backed by two functions and the orders table.
 *
 * Outputs: `ApiUrl`, `OrdersEndpoint`, `ApiId`, `ApiConsoleLink`, `AccessLogGroupName`, `AccessLogsConsoleLink`,
 * `CreateOrderFunction*`, `CreateOrderLog*`, `GetOrderFunction*`, `GetOrderLog*`, plus the store's outputs.
 *
 * @see docs/aws-semantics.md §A.5, §A.6
 */
export class RequestResponseStack extends PatternStack {
  /** The API with its validator, model and stage. */
  public readonly api: OrderApi;

  constructor(scope: Construct, id: string, props: PatternStackProps) {
    super(scope, id, props);
    const { settings, stage } = props.config;
    const createOrder = new OrderFunction(this, 'CreateOrder', {
      ...this.functionProps('create-order', 'POST /orders: validates and records an order'),
      timeout: API_FUNCTION_TIMEOUT,
    });
    this.addFunction('CreateOrder', createOrder, 'record', 'the POST /orders function');
    const getOrder = new OrderFunction(this, 'GetOrder', {
      ...this.functionProps('get-order', 'GET /orders/{orderId}: returns a recorded order'),
      timeout: API_FUNCTION_TIMEOUT,
    });
    this.addFunction('GetOrder', getOrder, 'read', 'the GET /orders/{orderId} function');
    this.api = new OrderApi(this, 'Api', {
      createOrder,
      getOrder,
      stageName: stage,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      logRetentionDays: settings.logRetentionDays,
    });
    const restApi = this.api.api;
    const api = { stage, apiId: restApi.restApiId };
    this.addTestEvents(createOrder, 'api-post', { label: 'api', ...api });
    this.addTestEvents(getOrder, 'api-get', { label: 'api', ...api });
    this.dashboard.addApiStage('Api', restApi.deploymentStage);
    output(this, 'ApiUrl', restApi.url, 'Base URL of the API stage');
    output(this, 'OrdersEndpoint', restApi.urlForPath('/orders'), 'POST an order here; GET <this>/<orderId>');
    output(this, 'ApiId', restApi.restApiId, 'ID of the REST API');
    output(this, 'ApiConsoleLink', consoleLink.restApi(restApi.restApiId), 'Console: the API (test methods here)');
    output(this, 'AccessLogGroupName', this.api.accessLogs.logGroupName, 'Log group of the API access logs');
    output(
      this,
      'AccessLogsConsoleLink',
      consoleLink.logGroup(this.api.accessLogs.logGroupName),
      'Console: the API access logs',
    );
    const reason = (text: string): string => `Training API for one student's throw-away orders: ${text}`;
    Validations.of(restApi).acknowledge(
      {
        id: 'AwsSolutions-APIG4',
        reason: reason('no authorizer so students can call it with curl and the console; throttling limits abuse.'),
      },
      {
        id: 'AwsSolutions-COG4',
        reason: reason('a Cognito user pool would add sign-up steps unrelated to the Lambda lesson.'),
      },
      {
        id: 'AwsSolutions-APIG3',
        reason: reason('a WAF web ACL costs a monthly fee per student; stage throttling is the protection here.'),
      },
    );
  }
}
