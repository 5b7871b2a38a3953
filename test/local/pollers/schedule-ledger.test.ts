import type { Clock, Timer } from '../../../local/core/clock';
import { ScheduleLedger } from '../../../local/pollers/schedule-ledger';

/** A clock the test moves by hand, whose virtual time runs `scale` × faster than its wall time. */
class ScaledManualClock implements Clock {
  private wall = 1_000_000;
  private timers: Array<{ at: number; fn: () => void }> = [];

  constructor(private readonly scale: number) {}

  now(): number {
    return this.wall * this.scale;
  }

  wallNow(): number {
    return this.wall;
  }

  toVirtualMs(realMs: number): number {
    return realMs * this.scale;
  }

  toRealMs(virtualMs: number): number {
    return virtualMs / this.scale;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const timer = { at: this.now() + ms, fn };
    this.timers.push(timer);
    return { cancel: () => void (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Moves wall time by `realMs` (virtual time by the scaled amount), firing due timers. */
  pass(realMs: number): void {
    this.wall += realMs;
    const due = this.timers.filter((t) => t.at <= this.now());
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const timer of due) timer.fn();
  }
}

describe('ScheduleLedger', () => {
  it('ages a record in real time while the shard does not wait', () => {
    // GIVEN a 60× clock and a record that arrived now
    const clock = new ScaledManualClock(60);
    const ledger = new ScheduleLedger(clock);
    const arrival = clock.wallNow();
    // WHEN 500 ms of real time pass with no wait (the function runs)
    clock.pass(500);
    // THEN the record is 500 ms old
    expect(ledger.ageMs(arrival)).toBe(500);
  });

  it('ages a record by the virtual length of a wait of its shard', async () => {
    // GIVEN a 60× clock and a record that arrived now
    const clock = new ScaledManualClock(60);
    const ledger = new ScheduleLedger(clock);
    const arrival = clock.wallNow();
    // WHEN the shard waits while 1 s of wall time passes
    const wait = ledger.sleep(60_000);
    clock.pass(1000);
    await wait;
    // THEN the record is a minute old
    expect(ledger.ageMs(arrival)).toBe(60_000);
  });

  it('counts only the part of a wait after a record arrived', async () => {
    // GIVEN a 60× clock and a shard that starts a wait
    const clock = new ScaledManualClock(60);
    const ledger = new ScheduleLedger(clock);
    const wait = ledger.sleep(60_000);
    // WHEN a record arrives half way through the wait, and 100 ms pass after the wait
    clock.pass(500);
    const arrival = clock.wallNow();
    clock.pass(500);
    await wait;
    clock.pass(100);
    // THEN it is half the wait (30 s) plus 100 ms old
    expect(ledger.ageMs(arrival)).toBe(30_100);
  });

  it('counts overlapping waits of two lanes once', async () => {
    // GIVEN a 60× clock and a record that arrived now
    const clock = new ScaledManualClock(60);
    const ledger = new ScheduleLedger(clock);
    const arrival = clock.wallNow();
    // WHEN two lanes wait at the same time for 1 s of wall time
    const waits = [ledger.sleep(60_000), ledger.sleep(60_000)];
    clock.pass(1000);
    await Promise.all(waits);
    // THEN the record is a minute old, not two
    expect(ledger.ageMs(arrival)).toBe(60_000);
  });
});
