import { functionErrorRetryDelay, isEventTooOld, throttleRetryDelay } from '../../../local/async/retry-policy';

describe('functionErrorRetryDelay', () => {
  it.each([
    [1, 60_000],
    [2, 120_000],
  ])('waits %i → %i ms before that retry of a function error', (retry, ms) => {
    // GIVEN the retry number WHEN the wait is computed THEN it is Lambda's 1 min, then 2 min
    expect(functionErrorRetryDelay(retry)).toBe(ms);
  });
});

describe('throttleRetryDelay', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [9, 256_000],
    [10, 300_000],
    [50, 300_000],
  ])('waits after throttle number %i for %i ms (exponential from 1 s, at most 5 min)', (n, ms) => {
    // GIVEN the count of throttles WHEN the wait is computed THEN it doubles up to the cap
    expect(throttleRetryDelay(n)).toBe(ms);
  });
});

describe('isEventTooOld', () => {
  it.each([
    [0, 59_999, 60, false],
    [0, 60_000, 60, true],
    [1_000, 21_600_999, 21_600, false],
    [1_000, 21_601_000, 21_600, true],
  ])('an event received at %i is too old at %i with max age %i s: %s', (receivedAt, now, maxAge, tooOld) => {
    // GIVEN times WHEN the age is checked THEN the event expires at exactly its maximum age
    expect(isEventTooOld(receivedAt, now, maxAge)).toBe(tooOld);
  });
});
