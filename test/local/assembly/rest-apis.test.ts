import type { RestApiModel } from '../../../local/assembly/model';
import {
  decodeMethodSettingPath,
  functionNameFromIntegrationUri,
  localizeApiUrls,
} from '../../../local/assembly/rest-apis';

describe('functionNameFromIntegrationUri', () => {
  it.each<[string, string | undefined]>([
    [
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:alice-Handler-ABC/invocations',
      'alice-Handler-ABC',
    ],
    [
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:fn:live/invocations',
      'fn',
    ],
    ['arn:aws:apigateway:us-east-1:sqs:path/1/queue', undefined],
  ])('finds the function in %s', (uri, expected) => {
    expect(functionNameFromIntegrationUri(uri)).toBe(expected);
  });
});

describe('decodeMethodSettingPath', () => {
  it.each<[string, string]>([
    ['/~1orders', '/orders'],
    ['/~1orders~1{orderId}', '/orders/{orderId}'],
    ['/*', '/*'],
  ])('decodes %s to %s', (input, expected) => {
    expect(decodeMethodSettingPath(input)).toBe(expected);
  });
});

describe('localizeApiUrls', () => {
  const api: RestApiModel = {
    logicalId: 'Api',
    id: 'abc123defg',
    name: 'Api',
    routes: [],
    binaryMediaTypes: [],
    stages: [
      {
        name: 'prod',
        url: 'http://127.0.0.1:4566/restapis/abc123defg/prod/_user_request_/',
        variables: {},
        methodThrottling: {},
      },
    ],
  };

  it('points an execute-api URL of a known API at the local stage URL', () => {
    expect(localizeApiUrls('https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/orders', [api])).toBe(
      'http://127.0.0.1:4566/restapis/abc123defg/prod/_user_request_/orders',
    );
  });

  it('leaves URLs of other APIs alone', () => {
    const other = 'https://zzz.execute-api.us-east-1.amazonaws.com/prod/';
    expect(localizeApiUrls(other, [api])).toBe(other);
  });
});
