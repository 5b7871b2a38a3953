import { DRILLS, parseOrder, validateOrder } from '../../../lambda/shared/order';
import { API_DRILLS, API_ORDER_ID_PATTERN } from '../../../lib/constructs/order-api';
import { ORDER_ID_PATTERN } from '../../../lambda/shared/order';

const limits = { maxQuantity: 100 };

describe('validateOrder', () => {
  test.each([
    [
      'a minimal order, with the fallback id',
      { item: 'pen', quantity: 1 },
      { orderId: 'fallback', item: 'pen', quantity: 1 },
    ],
    [
      'an order with its own id and a drill',
      { orderId: 'o-1', item: 'pen', quantity: 2, drill: 'error-once' },
      { orderId: 'o-1', item: 'pen', quantity: 2, drill: 'error-once' },
    ],
    [
      'an item with surrounding spaces, trimmed',
      { item: '  pen ', quantity: 1 },
      { orderId: 'fallback', item: 'pen', quantity: 1 },
    ],
    [
      'the largest allowed quantity',
      { item: 'pen', quantity: 100 },
      { orderId: 'fallback', item: 'pen', quantity: 100 },
    ],
  ])('accepts %s', (_name, input, expected) => {
    expect(validateOrder(input, 'fallback', limits)).toEqual({ ok: true, order: expected });
  });

  test.each([
    ['a missing item', { quantity: 1 }, 'item: is required'],
    ['an empty item', { item: '   ', quantity: 1 }, 'item: must not be empty'],
    ['a missing quantity', { item: 'pen' }, 'quantity: is required'],
    ['a quantity given as text', { item: 'pen', quantity: '2' }, 'quantity: must be a number'],
    ['a fractional quantity', { item: 'pen', quantity: 1.5 }, 'quantity: must be a whole number'],
    ['a zero quantity', { item: 'pen', quantity: 0 }, 'quantity: must be a positive integer'],
    [
      'a quantity above the Parameter Store maximum',
      { item: 'pen', quantity: 101 },
      'quantity: 101 exceeds the maximum of 100',
    ],
    [
      'an unknown drill',
      { item: 'pen', quantity: 1, drill: 'explode' },
      'drill: must be one of error, error-once, timeout',
    ],
    ['a misspelled key', { item: 'pen', quantity: 1, dril: 'error' }, 'unknown key(s) dril'],
    ['an order id with a space', { orderId: 'o 1', item: 'pen', quantity: 1 }, 'orderId: must be 1-128 characters'],
    ['an array instead of an object', [{ item: 'pen', quantity: 1 }], 'must be a JSON object'],
    ['null', null, 'must be a JSON object'],
  ])('rejects %s with a clear reason', (_name, input, reason) => {
    const result = validateOrder(input, 'fallback', limits);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});

describe('parseOrder', () => {
  test.each([
    ['an empty body', '', 'the payload is empty'],
    ['a null body', null, 'the payload is empty'],
    ['text that is not JSON', '{item: pen}', 'the payload is not valid JSON'],
  ])('rejects %s', (_name, text, reason) => {
    expect(parseOrder(text, 'fallback', limits)).toEqual({ ok: false, reason: `invalid order: ${reason}` });
  });

  test('decodes and validates JSON text', () => {
    expect(parseOrder('{"item":"pen","quantity":3}', 'fb', limits)).toEqual({
      ok: true,
      order: { orderId: 'fb', item: 'pen', quantity: 3 },
    });
  });
});

describe('the API model', () => {
  test('states the same drills and order id pattern as the functions', () => {
    expect([...API_DRILLS]).toEqual([...DRILLS]);
    expect(API_ORDER_ID_PATTERN).toBe(ORDER_ID_PATTERN.source);
  });
});
