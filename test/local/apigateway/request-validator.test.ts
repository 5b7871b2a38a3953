import { missingParameters, RequestValidator, selectModel } from '../../../local/apigateway/request-validator';
import { ORDER_MODEL, request, route } from './fixtures';

describe('missingParameters', () => {
  const required = {
    'method.request.querystring.q': true,
    'method.request.header.X-Tenant': true,
    'method.request.path.orderId': true,
    'method.request.querystring.optional': false,
  };

  it.each([
    ['/x?q=1', { 'x-tenant': 't' }, { orderId: '1' }, []],
    ['/x', { 'x-tenant': 't' }, { orderId: '1' }, ['q']],
    ['/x', {}, { orderId: '1' }, ['q', 'X-Tenant']],
    ['/x?q=', { 'x-tenant': 't' }, null, ['orderId']],
  ])('for %s with headers %j and path %j lists %j', (path, headers, params, expected) => {
    // GIVEN required parameters WHEN a request is checked THEN missing names come in template order
    expect(missingParameters(required, request('GET', path, { headers }), params)).toEqual(expected);
  });
});

describe('selectModel', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    [undefined, 'json'],
    ['text/plain', 'default'],
  ])('picks the model for Content-Type %s', (type, expected) => {
    // GIVEN models by type WHEN one is selected THEN the type (or application/json, or $default) decides
    expect(selectModel({ 'application/json': 'json', $default: 'default' }, type)).toBe(expected);
  });
});

describe('RequestValidator', () => {
  const validator = new RequestValidator();
  const post = route('/orders', 'POST', {
    validateRequestBody: true,
    requestModels: { 'application/json': ORDER_MODEL },
  });
  const json = (body: string) => request('POST', '/orders', { headers: { 'content-type': 'application/json' }, body });

  it('accepts a body that matches the draft-4 model', () => {
    // GIVEN a valid order WHEN validated THEN there is no failure
    expect(validator.validate(post, json('{"item":"pen","quantity":2}'), null)).toBeUndefined();
  });

  it.each([
    ['a missing property', '{"item":"pen"}'],
    ['a wrong type', '{"item":"pen","quantity":"2"}'],
    ['a value below the minimum', '{"item":"pen","quantity":0}'],
    ['invalid JSON', '{"item":'],
    ['an empty body', ''],
  ])('rejects %s with "Invalid request body"', (_what, body) => {
    // GIVEN an invalid body WHEN validated THEN API Gateway's body message comes back
    expect(validator.validate(post, json(body), null)).toMatchObject({ kind: 'body', message: 'Invalid request body' });
  });

  it('reports missing parameters before checking the body', () => {
    // GIVEN a route validating both WHEN a request lacks a parameter and has a bad body
    const both = route('/orders', 'POST', {
      validateRequestBody: true,
      validateRequestParameters: true,
      requestParameters: { 'method.request.querystring.source': true },
      requestModels: { 'application/json': ORDER_MODEL },
    });
    // THEN the parameter failure is reported, in API Gateway's words
    expect(validator.validate(both, json('{}'), null)).toMatchObject({
      kind: 'parameters',
      message: 'Missing required request parameters: [source]',
    });
  });

  it('does not validate when the route has no validator', () => {
    // GIVEN a route without validation flags WHEN a bad body comes THEN it passes
    const plain = route('/orders', 'POST', { requestModels: { 'application/json': ORDER_MODEL } });
    expect(validator.validate(plain, json('{}'), null)).toBeUndefined();
  });
});
