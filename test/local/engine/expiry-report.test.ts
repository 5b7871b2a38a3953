import { ScaledClock } from '../../../local/core/clock';
import { Timeline } from '../../../local/core/timeline';
import { ExpiryReport } from '../../../local/engine/expiry-report';

function expire(timeline: Timeline, functionName: string, condition: string): void {
  const id = timeline.start({ source: 'kinesis', functionName });
  timeline.finish(id, 'failed', { kind: 'destination', detail: { condition, destination: 'arn:aws:sqs:q' } });
}

describe('ExpiryReport', () => {
  it('prints how many records of a function expired by age, and why', () => {
    // GIVEN a report on the timeline
    const timeline = new Timeline(new ScaledClock(60));
    const lines: string[] = [];
    const report = new ExpiryReport(timeline, (line) => lines.push(line), 60_000);
    // WHEN two records expire by age and one exhausts its retries
    expire(timeline, 'process-stream', 'MaximumRecordAgeExceeded');
    expire(timeline, 'process-stream', 'MaximumRecordAgeExceeded');
    expire(timeline, 'process-stream', 'RetryAttemptsExhausted');
    report.stop();
    // THEN one line counts the two expired records
    expect(lines).toEqual(['Expired by age: 2 records of process-stream (MaximumRecordAgeExceeded) → destination']);
  });

  it('keeps the totals for the lab API', () => {
    // GIVEN a report on the timeline
    const timeline = new Timeline(new ScaledClock(60));
    const report = new ExpiryReport(timeline, () => undefined, 60_000);
    // WHEN an asynchronous event expires
    expire(timeline, 'process-event', 'EventAgeExceeded');
    report.stop();
    // THEN the totals count it
    expect(report.counts()).toEqual([
      { functionName: 'process-event', condition: 'EventAgeExceeded', outcome: 'destination', count: 1 },
    ]);
  });
});
