import { ScaledClock } from '../../../local/core/clock';
import type { TimelineChange } from '../../../local/core/contracts';
import { Timeline } from '../../../local/core/timeline';

const clock = new ScaledClock(1);

describe('Timeline', () => {
  it('opens an event with a received step and records where it ended up', () => {
    // GIVEN
    const timeline = new Timeline(clock);
    // WHEN
    const id = timeline.start({ source: 'sqs', functionName: 'f', summary: 'one message' });
    timeline.step(id, { kind: 'attempt', attempt: 1, outcome: 'error' });
    timeline.finish(id, 'dead-lettered', { kind: 'dead-letter' });
    // THEN
    const event = timeline.get(id);
    expect(event).toMatchObject({ source: 'sqs', functionName: 'f', summary: 'one message', status: 'dead-lettered' });
    expect(event?.steps.map((s) => s.kind)).toEqual(['received', 'attempt', 'dead-letter']);
  });

  it('lists newest first, filtered by function, source and status, up to the limit', () => {
    const timeline = new Timeline(clock);
    const a = timeline.start({ source: 's3', functionName: 'files' });
    const b = timeline.start({ source: 'sns', functionName: 'notes' });
    const c = timeline.start({ source: 's3', functionName: 'files' });
    timeline.finish(a, 'succeeded');
    expect(timeline.list().map((e) => e.id)).toEqual([c, b, a]);
    expect(timeline.list({ functionName: 'files' }).map((e) => e.id)).toEqual([c, a]);
    expect(timeline.list({ source: 'sns' }).map((e) => e.id)).toEqual([b]);
    expect(timeline.list({ status: 'succeeded' }).map((e) => e.id)).toEqual([a]);
    expect(timeline.list({ limit: 1 }).map((e) => e.id)).toEqual([c]);
  });

  it('forgets the oldest events beyond its capacity', () => {
    const timeline = new Timeline(clock, 2);
    const first = timeline.start({ source: 'invoke' });
    timeline.start({ source: 'invoke' });
    timeline.start({ source: 'invoke' });
    expect(timeline.get(first)).toBeUndefined();
    expect(timeline.list()).toHaveLength(2);
  });

  it('keeps the received step and the latest steps of an event retried many times', () => {
    const timeline = new Timeline(clock, 10, 4);
    const id = timeline.start({ source: 'kinesis' });
    for (let attempt = 1; attempt <= 10; attempt++) timeline.step(id, { kind: 'attempt', attempt });
    const steps = timeline.get(id)!.steps;
    expect(steps.map((s) => s.kind)).toEqual(['received', 'attempt', 'attempt', 'attempt']);
    expect(steps.slice(1).map((s) => s.attempt)).toEqual([8, 9, 10]);
  });

  it('streams each change to listeners, and a throwing listener does not stop the others', () => {
    const timeline = new Timeline(clock);
    const seen: TimelineChange[] = [];
    timeline.subscribe(() => {
      throw new Error('a closed console tab');
    });
    const unsubscribe = timeline.subscribe((change) => seen.push(change));
    const id = timeline.start({ source: 'apigateway' });
    unsubscribe();
    timeline.step(id, { kind: 'attempt' });
    expect(seen.map((c) => c.step?.kind)).toEqual(['received']);
  });
});
