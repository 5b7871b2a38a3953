import { Match } from 'aws-cdk-lib/assertions';
import { idOf, synthStacks } from '../../helpers/synth';

const { templates } = synthStacks();
const template = templates.requestResponse;

describe('RequestResponseStack', () => {
  test('validates POST /orders bodies against the Order model before invoking Lambda', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestValidatorId: { Ref: idOf(template, 'AWS::ApiGateway::RequestValidator', 'ApiBodyValidator') },
      RequestModels: { 'application/json': { Ref: idOf(template, 'AWS::ApiGateway::Model', 'ApiOrderModel') } },
      Integration: {
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: Match.objectLike({
          'Fn::Join': [
            '',
            Match.arrayWith([
              { 'Fn::GetAtt': [idOf(template, 'AWS::Lambda::Function', 'CreateOrderFunction'), 'Arn'] },
            ]),
          ],
        }),
      },
    });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  test('requires item and a positive integer quantity, and rejects unknown keys', () => {
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: {
        $schema: 'http://json-schema.org/draft-04/schema#',
        type: 'object',
        required: ['item', 'quantity'],
        additionalProperties: false,
        properties: {
          orderId: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
          item: { type: 'string', minLength: 1, maxLength: 100 },
          quantity: { type: 'integer', minimum: 1 },
          drill: { type: 'string', enum: ['error', 'error-once', 'timeout'] },
        },
      },
    });
  });

  test('routes GET /orders/{orderId} with a required path parameter and an optional drill query parameter', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestValidatorId: { Ref: idOf(template, 'AWS::ApiGateway::RequestValidator', 'ApiParameterValidator') },
      RequestParameters: { 'method.request.path.orderId': true, 'method.request.querystring.drill': false },
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
  });

  test('throttles the stage and writes JSON access logs to its own log group', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      AccessLogSetting: {
        DestinationArn: {
          'Fn::Join': ['', Match.arrayWith([{ Ref: idOf(template, 'AWS::Logs::LogGroup', 'ApiAccessLogs') }])],
        },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 20,
        }),
      ],
    });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 3 }, DeletionPolicy: 'Delete' });
  });

  test('creates the stage execution log group itself, before the stage, so cdk destroy deletes it', () => {
    const apiId = idOf(template, 'AWS::ApiGateway::RestApi', 'Api');
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, '/dev']] },
        RetentionInDays: 3,
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
    template.hasResource('AWS::ApiGateway::Stage', {
      DependsOn: Match.arrayWith([idOf(template, 'AWS::Logs::LogGroup', 'ApiExecutionLogs')]),
    });
  });

  test('gives the API functions a 3 s timeout, far below the 29 s integration timeout', () => {
    for (const fn of ['CreateOrderFunction', 'GetOrderFunction']) {
      expect(template.toJSON().Resources[idOf(template, 'AWS::Lambda::Function', fn)].Properties.Timeout).toBe(3);
    }
  });

  test('lets get-order read orders but never write them', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: idOf(template, 'AWS::IAM::Role', 'GetOrderFunctionServiceRole') }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'dynamodb:GetItem',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [idOf(template, 'AWS::DynamoDB::Table', 'StoreOrders'), 'Arn'] },
          },
          Match.objectLike({ Action: 'dynamodb:UpdateItem' }),
          Match.objectLike({ Action: 'ssm:GetParameter' }),
          Match.objectLike({ Action: 'secretsmanager:GetSecretValue' }),
        ],
      },
    });
  });

  test('outputs the API URL, the orders endpoint and console links', () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'OrdersEndpoint',
        'ApiId',
        'ApiConsoleLink',
        'AccessLogGroupName',
        'CreateOrderFunctionName',
        'GetOrderFunctionName',
      ]),
    );
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
