import type { LabEvent } from '../../console/src/lab';
import { countersOf, EventStore } from '../../console/src/store';

// The store batches its notifications per animation frame; jest runs in Node, without frames.
beforeAll(() => {
  globalThis.requestAnimationFrame = (callback: FrameRequestCallback): number =>
    setTimeout(() => callback(0), 0) as unknown as number;
});

function event(id: string, status: string, kinds: string[], condition?: string): LabEvent {
  return {
    id,
    source: 's3',
    functionName: 'fn',
    receivedAt: 0,
    status,
    steps: kinds.map((kind) => ({ kind, at: 0, detail: kind === 'destination' ? { condition } : undefined })),
  };
}

test('an S3 error event counts three attempts, two retries and one on-failure delivery', () => {
  // GIVEN an event that failed after its retries and went to the on-failure destination
  const failed = event(
    'e1',
    'failed',
    ['received', 'attempt', 'retry-scheduled', 'attempt', 'retry-scheduled', 'attempt', 'destination'],
    'RetriesExhausted',
  );

  // WHEN its share of the counters is taken
  const c = countersOf(failed);

  // THEN it is one event in, three attempts, two retries, failed, on the on-failure path
  expect(c).toMatchObject({ received: 1, attempts: 3, retries: 2, failed: 1, onFailure: 1, onSuccess: 0 });
});

test('a newer version of an event replaces its share of the counters', () => {
  // GIVEN a store with an event in flight after one attempt
  const store = new EventStore();
  store.reset([event('e1', 'in-flight', ['received', 'attempt'])]);

  // WHEN the stream brings its dead-lettered version
  store.update(event('e1', 'dead-lettered', ['received', 'attempt', 'attempt', 'attempt', 'dead-letter']));

  // THEN the function's counters hold the event once, dead-lettered
  expect(store.countersFor('fn')).toMatchObject({ received: 1, attempts: 3, inFlight: 0, deadLettered: 1, failed: 1 });
  expect(store.all()).toHaveLength(1);
});
