import { orderIdOf, orderPayload, type SendRequest } from '../../console/src/send';

const order = { orderId: 'o-1', item: 'pen', quantity: 2 };

test.each<[SendRequest['drill'], Record<string, unknown>]>([
  ['none', { orderId: 'o-1', item: 'pen', quantity: 2 }],
  ['error', { orderId: 'o-1', item: 'pen', quantity: 2, drill: 'error' }],
  ['error-once', { orderId: 'o-1', item: 'pen', quantity: 2, drill: 'error-once' }],
  ['timeout', { orderId: 'o-1', item: 'pen', quantity: 2, drill: 'timeout' }],
  ['invalid', { orderId: 'o-1', item: 'pen' }],
  ['duplicate', { orderId: 'o-1', item: 'pen', quantity: 2 }],
])('the %s drill sends %j', (drill, expected) => {
  // GIVEN an order and a drill
  // WHEN the payload is built
  const payload = orderPayload({ order, drill });

  // THEN it carries the drill the README documents (invalid: without the required quantity)
  expect(payload).toEqual(expected);
});

test('a burst numbers its order ids after the first', () => {
  // GIVEN a burst of three from one order id
  // WHEN each order's id is taken
  const ids = [0, 1, 2].map((index) => orderIdOf({ order, drill: 'error', index }));

  // THEN each order is its own
  expect(ids).toEqual(['o-1', 'o-1-2', 'o-1-3']);
});

test('the duplicate drill repeats the same order id', () => {
  // GIVEN a burst of three with the duplicate drill
  // WHEN each order's id is taken
  const ids = [0, 1, 2].map((index) => orderIdOf({ order, drill: 'duplicate', index }));

  // THEN all are the same order
  expect(ids).toEqual(['o-1', 'o-1', 'o-1']);
});
