import { mapProxyResponse } from '../../../local/apigateway/proxy-response';
import type { InvocationOutcome } from '../../../local/core/contracts';

const OPTS = { binaryMediaTypes: ['image/png'] };

function result(value: unknown): InvocationOutcome {
  return {
    requestId: 'r',
    payload: JSON.stringify(value),
    outcome: 'success',
    durationMs: 1,
    coldStart: false,
    logs: '',
  };
}

describe('mapProxyResponse', () => {
  it('passes statusCode, headers and body through, with application/json as the default type', () => {
    // GIVEN a 201 with a header WHEN mapped
    const mapped = mapProxyResponse(
      result({ statusCode: 201, headers: { Location: '/orders/1' }, body: '{"id":1}' }),
      OPTS,
    );
    // THEN the client gets them
    expect(mapped).toEqual({
      kind: 'response',
      statusCode: 201,
      headers: { Location: ['/orders/1'], 'Content-Type': ['application/json'] },
      body: Buffer.from('{"id":1}'),
    });
  });

  it('merges headers and multiValueHeaders into one list per name, the multi values first', () => {
    // GIVEN both header maps naming Set-Cookie WHEN mapped
    const mapped = mapProxyResponse(
      result({
        statusCode: 200,
        headers: { 'content-type': 'text/plain', 'set-cookie': 'a=1' },
        multiValueHeaders: { 'Set-Cookie': ['b=2', 'c=3'], 'X-Tag': ['x'] },
        body: 'ok',
      }),
      OPTS,
    );
    // THEN the client gets the values of both maps (as API Gateway answers: "X-Foo=foo,bar")
    expect(mapped.kind === 'response' && mapped.headers).toEqual({
      'content-type': ['text/plain'],
      'Set-Cookie': ['b=2', 'c=3', 'a=1'],
      'X-Tag': ['x'],
    });
  });

  it('keeps a name-value pair given in both headers and multiValueHeaders once', () => {
    // GIVEN the same Location in both maps WHEN mapped
    const mapped = mapProxyResponse(
      result({ statusCode: 201, headers: { Location: '/a' }, multiValueHeaders: { Location: ['/a'] }, body: '' }),
      OPTS,
    );
    // THEN it appears once, from multiValueHeaders
    expect(mapped.kind === 'response' && mapped.headers.Location).toEqual(['/a']);
  });

  it.each([
    ['a statusCode given as a numeric string', { statusCode: '201' }, 201],
    ['no statusCode (only headers)', { headers: { 'test-header': 'value' } }, 200],
  ])('answers %s like API Gateway', (_case, value, status) => {
    // GIVEN a result API Gateway accepts although it is not the documented shape WHEN mapped
    const mapped = mapProxyResponse(result(value), OPTS);
    // THEN the client gets that status, not a 502
    expect(mapped.kind === 'response' && mapped.statusCode).toBe(status);
  });

  it('decodes a base64 body whose Content-Type is a binary media type', () => {
    // GIVEN a base64 PNG WHEN mapped THEN the bytes are sent
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const mapped = mapProxyResponse(
      result({
        statusCode: 200,
        headers: { 'Content-Type': 'image/png' },
        body: png.toString('base64'),
        isBase64Encoded: true,
      }),
      OPTS,
    );
    expect(mapped.kind === 'response' && mapped.body).toEqual(png);
  });

  it('keeps a base64 body as text when neither the type nor Accept is a binary media type', () => {
    // GIVEN isBase64Encoded on a JSON response WHEN mapped THEN the text passes through
    const mapped = mapProxyResponse(result({ statusCode: 200, body: 'aGk=', isBase64Encoded: true }), OPTS);
    expect(mapped.kind === 'response' && mapped.body.toString()).toBe('aGk=');
  });

  it('maps a function error to function-error with its type and message', () => {
    // GIVEN an Unhandled error WHEN mapped THEN it is a function error (502 upstream)
    const outcome: InvocationOutcome = {
      ...result({ errorType: 'OrderError', errorMessage: 'boom' }),
      functionError: 'Unhandled',
      outcome: 'error',
    };
    expect(mapProxyResponse(outcome, OPTS)).toEqual({
      kind: 'function-error',
      errorType: 'OrderError',
      errorMessage: 'boom',
    });
  });

  it.each([
    ['no result', undefined],
    ['a string', 'hello'],
    ['an array', [1]],
    ['a statusCode that is not a number', { statusCode: 'test', body: 'x' }],
    ['a fractional statusCode', { statusCode: 200.5, body: 'x' }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
    ['an unknown field', { statusCode: 200, body: 'x', extra: true }],
    ['a cookies field (HTTP API payload 2.0 only)', { statusCode: 200, body: 'x', cookies: ['a=1'] }],
    ['a non-object headers', { statusCode: 200, headers: 'x' }],
    ['a nested header value', { statusCode: 200, headers: { a: { b: 1 } } }],
    ['a non-list multi header', { statusCode: 200, multiValueHeaders: { a: 'b' } }],
    ['a string isBase64Encoded', { statusCode: 200, body: 'x', isBase64Encoded: 'true' }],
  ])('reports %s as a malformed proxy response', (_what, value) => {
    // GIVEN a result of the wrong shape WHEN mapped THEN it is malformed (502 upstream)
    const outcome = value === undefined ? { ...result(null), payload: 'null' } : result(value);
    expect(mapProxyResponse(outcome, OPTS).kind).toBe('malformed');
  });
});
