import { createHmac } from 'node:crypto';
import { canonicalOrder, signOrder, verifyOrder } from '../../../lambda/shared/receipt';
import { createReceiptKeyReader } from '../../../lambda/shared/receipt-key';
import { SettingError } from '../../../lambda/shared/settings';

const order = { orderId: 'o-1', item: 'pen', quantity: 2 };

describe('canonicalOrder', () => {
  test.each([
    [order, '{"item":"pen","orderId":"o-1","quantity":2}'],
    [{ quantity: 2, item: 'pen', orderId: 'o-1' }, '{"item":"pen","orderId":"o-1","quantity":2}'],
    [{ ...order, drill: 'error' as const }, '{"drill":"error","item":"pen","orderId":"o-1","quantity":2}'],
  ])('writes %p as %s', (input, expected) => {
    expect(canonicalOrder(input)).toBe(expected);
  });
});

describe('signOrder', () => {
  test('is the hex HMAC-SHA256 of the canonical form with the key', () => {
    const expected = createHmac('sha256', 'k').update('{"item":"pen","orderId":"o-1","quantity":2}').digest('hex');
    expect(signOrder(order, 'k')).toBe(expected);
  });

  test('changes with the key', () => {
    expect(signOrder(order, 'key-1')).not.toBe(signOrder(order, 'key-2'));
  });
});

describe('verifyOrder', () => {
  const signature = signOrder(order, 'key-1');
  test.each([
    ['the signing key', order, signature, 'key-1', true],
    ['another key', order, signature, 'key-2', false],
    ['a changed quantity', { ...order, quantity: 3 }, signature, 'key-1', false],
    ['no signature', order, undefined, 'key-1', false],
    ['a malformed signature', order, 'not-hex', 'key-1', false],
  ])('with %s answers as expected', (_what, input, sig, key, expected) => {
    expect(verifyOrder(input, sig, key)).toBe(expected);
  });
});

describe('createReceiptKeyReader', () => {
  test('reads the secret through the provider with the cache age', async () => {
    const calls: unknown[] = [];
    const read = createReceiptKeyReader(
      {
        get: async (name, options) => {
          calls.push([name, options]);
          return 's3cret';
        },
      },
      'arn:secret',
      30,
    );
    await expect(read()).resolves.toBe('s3cret');
    expect(calls).toEqual([['arn:secret', { maxAge: 30 }]]);
  });

  test('rejects an empty value naming the secret, never the value', async () => {
    const read = createReceiptKeyReader({ get: async () => '' }, 'arn:secret', 30);
    await expect(read()).rejects.toThrow(new SettingError('Secret arn:secret must hold a non-empty SecretString'));
  });
});
