import { buildInvocationRecord, deadLetterAttributes, errorMessageOf } from '../../../local/async/invocation-record';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:process-event';
const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

describe('buildInvocationRecord', () => {
  it('builds a failure record with the qualified ARN, the error and the original event', () => {
    // GIVEN a failed event WHEN its record is built
    const record = buildInvocationRecord({
      requestId: 'r-1',
      functionArn: ARN,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      requestPayload: '{"item":"book"}',
      response: { payload: '{"errorType":"Error","errorMessage":"boom","trace":[]}', functionError: 'Unhandled' },
      timestamp: AT,
    });
    // THEN it has the AWS shape
    expect(record).toEqual({
      version: '1.0',
      timestamp: '2026-01-02T03:04:05.678Z',
      requestContext: {
        requestId: 'r-1',
        functionArn: `${ARN}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { item: 'book' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom', trace: [] },
    });
  });

  it.each([
    ['a result object', '{"ok":true}', { ok: true }],
    ['no result (undefined → null)', 'null', null],
    ['a string result', '"done"', 'done'],
  ])('puts %s in responsePayload of a Success record without functionError', (_what, payload, expected) => {
    // GIVEN a successful invocation WHEN its record is built
    const record = buildInvocationRecord({
      requestId: 'r',
      functionArn: ARN,
      condition: 'Success',
      approximateInvokeCount: 1,
      requestPayload: '{}',
      response: { payload },
      timestamp: AT,
    });
    // THEN the response is the function's value
    expect(record.responsePayload).toEqual(expected);
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });

  it('keeps a non-JSON event as text in requestPayload', () => {
    // GIVEN an event that is not JSON WHEN its record is built THEN the text is kept
    const record = buildInvocationRecord({
      requestId: 'r',
      functionArn: ARN,
      condition: 'EventAgeExceeded',
      approximateInvokeCount: 0,
      requestPayload: 'plain text',
      statusCode: 429,
      timestamp: AT,
    });
    expect(record.requestPayload).toBe('plain text');
    expect(record.responseContext.statusCode).toBe(429);
  });
});

describe('deadLetterAttributes', () => {
  it('carries the request id, the status code as a Number and the error message', () => {
    // GIVEN an error WHEN the attributes are built THEN they are Lambda's three DLQ attributes
    expect(deadLetterAttributes('r-1', 200, 'boom')).toEqual({
      RequestID: { type: 'String', value: 'r-1' },
      ErrorCode: { type: 'Number', value: '200' },
      ErrorMessage: { type: 'String', value: 'boom' },
    });
  });

  it('keeps only the first 1 KB of a long error message', () => {
    // GIVEN a 5,000-character message WHEN the attributes are built THEN ErrorMessage has 1,024 bytes
    const attrs = deadLetterAttributes('r', 200, 'x'.repeat(5_000));
    expect(Buffer.byteLength(attrs.ErrorMessage.value)).toBe(1_024);
  });

  it('does not split a multi-byte character at the 1 KB cut', () => {
    // GIVEN a message of 3-byte characters WHEN truncated THEN no replacement character appears
    const value = deadLetterAttributes('r', 200, '€'.repeat(1_000)).ErrorMessage.value;
    expect(value).toBe('€'.repeat(341));
  });
});

describe('errorMessageOf', () => {
  it.each([
    ['{"errorType":"Error","errorMessage":"boom"}', 'boom'],
    ['{"message":"other"}', '{"message":"other"}'],
    ['not json', 'not json'],
  ])('reads the error message of %s', (payload, expected) => {
    // GIVEN an error payload WHEN read THEN its errorMessage, else the text
    expect(errorMessageOf(payload)).toBe(expected);
  });
});
