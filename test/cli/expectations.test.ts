/** The pure parts of the CLI: payloads per drill, the verify expectations and the wait check. */
import { payloadFor } from '../../cli/send';
import { checkWaits, expectationFor, VERIFY_DRILLS, VERIFY_SOURCES } from '../../cli/verify/expectations';
import { parseOnly } from '../../cli/verify/command';

const order = { orderId: 'o-1', item: 'pen', quantity: 2 };

describe('payloadFor', () => {
  it.each([
    [undefined, { orderId: 'o-1', item: 'pen', quantity: 2 }],
    ['duplicate', { orderId: 'o-1', item: 'pen', quantity: 2 }],
    ['error', { orderId: 'o-1', item: 'pen', quantity: 2, drill: 'error' }],
    ['error-once', { orderId: 'o-1', item: 'pen', quantity: 2, drill: 'error-once' }],
    ['timeout', { orderId: 'o-1', item: 'pen', quantity: 2, drill: 'timeout' }],
    ['invalid', { orderId: 'o-1', item: 'pen' }],
  ] as const)('carries drill %s as the functions expect it', (drill, payload) => {
    expect(payloadFor(order, drill)).toEqual(payload);
  });
});

describe('expectationFor', () => {
  it('expects three asynchronous attempts, a minute then two minutes apart, for a failing S3 order', () => {
    expect(expectationFor('s3', 'error')).toMatchObject({
      recorded: false,
      failurePath: true,
      attempts: { exactly: 3 },
      waits: [
        { kind: 'async', ms: 60_000 },
        { kind: 'async', ms: 120_000 },
      ],
    });
  });

  it('runs a queue’s timeout drill alone, since a timed-out batch fails all its messages', () => {
    expect(expectationFor('sqs', 'timeout').exclusive).toBe(true);
    expect(expectationFor('sqs', 'error').exclusive).toBeUndefined();
  });

  it('has an expectation for every source and drill', () => {
    for (const source of VERIFY_SOURCES) {
      for (const drill of VERIFY_DRILLS) expect(expectationFor(source, drill).sends).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('checkWaits', () => {
  it('accepts waits at least 80% of the expected ones', () => {
    expect(checkWaits([58_000, 121_000], [60_000, 120_000])).toBeUndefined();
  });

  it('rejects a retry that came too early', () => {
    expect(checkWaits([10_000, 120_000], [60_000, 120_000])).toBe('retry #1 after 10 s, expected ~60 s');
  });

  it('rejects a missing retry', () => {
    expect(checkWaits([60_000], [60_000, 120_000])).toBe('no retry #2 (expected after ~120 s)');
  });
});

describe('parseOnly', () => {
  it('expands a pattern to its sources and keeps the table order', () => {
    expect(parseOnly('sqs,AsyncEvents')).toEqual(['s3', 'sns', 'sqs']);
  });
});
