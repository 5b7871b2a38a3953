import { ScaledClock, wallTimeAfter } from '../../../local/core/clock';

describe('ScaledClock', () => {
  it('keeps wallNow on the wall clock while virtual time runs ahead', async () => {
    // GIVEN a 3,600× clock that has run 100 ms (6 virtual minutes)
    const clock = new ScaledClock(3600);
    await new Promise((r) => setTimeout(r, 100));
    // WHEN both times are read
    const before = Date.now();
    const wall = clock.wallNow();
    const virtual = clock.now();
    // THEN the wall time is real time and the virtual time is minutes ahead
    expect(wall).toBeGreaterThanOrEqual(before);
    expect(wall).toBeLessThanOrEqual(Date.now());
    expect(virtual - wall).toBeGreaterThan(60_000);
  });

  it('converts between real and virtual milliseconds by the scale', () => {
    // GIVEN a 60× clock
    const clock = new ScaledClock(60);
    // WHEN a minute and a second are converted
    // THEN a virtual minute is a real second and back
    expect(clock.toRealMs(60_000)).toBe(1000);
    expect(clock.toVirtualMs(1000)).toBe(60_000);
  });

  it('never ends a sleep before its virtual time has passed', async () => {
    // GIVEN a 600× clock
    const clock = new ScaledClock(600);
    // WHEN it sleeps 20 times for 3 virtual seconds (5 ms of real time each)
    const early: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = clock.now();
      await clock.sleep(3000);
      if (clock.now() - start < 3000) early.push(clock.now() - start);
    }
    // THEN no sleep ended early
    expect(early).toEqual([]);
  });

  it('gives the wall time a scheduled wait ends at', () => {
    // GIVEN a 60× clock
    const clock = new ScaledClock(60);
    const before = Date.now();
    // WHEN a 1-minute wait is scheduled
    const at = wallTimeAfter(clock, 60_000);
    // THEN it ends about a real second from now
    expect(at).toBeGreaterThanOrEqual(before + 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
