import { TokenBucket } from '../../../local/apigateway/token-bucket';
import type { Clock } from '../../../local/core/clock';

/** A clock the test moves by hand. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return {
    now: () => now,
    wallNow: () => now,
    toVirtualMs: (ms) => ms,
    toRealMs: (ms) => ms,
    advance: (ms) => {
      now += ms;
    },
    setTimeout: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
  };
}

describe('TokenBucket', () => {
  it('lets a burst through, then refuses until tokens refill at the rate', () => {
    // GIVEN rate 2/s and burst 3
    const clock = manualClock();
    const bucket = new TokenBucket(2, 3, clock);
    // WHEN 4 requests come at once, then one 500 ms later
    const burst = [bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()];
    clock.advance(500);
    const later = bucket.tryTake();
    // THEN 3 pass, the 4th is throttled, and one token is back after 500 ms
    expect(burst).toEqual([true, true, true, false]);
    expect(later).toBe(true);
  });

  it('never holds more than the burst', () => {
    // GIVEN an idle bucket for a long time WHEN requests come THEN only burst-many pass
    const clock = manualClock();
    const bucket = new TokenBucket(100, 2, clock);
    clock.advance(60_000);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
  });

  it('throttles everything when the burst is 0', () => {
    // GIVEN burst 0 WHEN a request comes THEN it is refused
    expect(new TokenBucket(10, 0, manualClock()).tryTake()).toBe(false);
  });

  it('rejects a negative rate with the value in the message', () => {
    // GIVEN a negative rate WHEN constructed THEN it throws naming the value
    expect(() => new TokenBucket(-1, 1, manualClock())).toThrow('rateLimit must be >= 0 (given -1)');
  });
});
