import { generatedId, generatedName, stableUuid, streamLabel } from '../../../local/assembly/names';

describe('generatedName', () => {
  it('names a resource <stack>-<logicalId>-<12-character suffix>', () => {
    expect(generatedName('alice-QueuePolling', 'Queue4A7E3555', { maxLength: 80 })).toMatch(
      /^alice-QueuePolling-Queue4A7E3555-[A-Z0-9]{12}$/,
    );
  });

  it('gives the same name for the same stack and logical id', () => {
    const a = generatedName('s', 'Queue', { maxLength: 80 });
    expect(generatedName('s', 'Queue', { maxLength: 80 })).toBe(a);
    expect(generatedName('s', 'Queue2', { maxLength: 80 })).not.toBe(a);
  });

  it.each<[string, number]>([
    ['function names', 64],
    ['bucket names', 63],
    ['queue names', 80],
  ])('keeps %s within %i characters', (_what, maxLength) => {
    const long = 'x'.repeat(100);
    expect(generatedName(`owner-${long}`, `Logical${long}`, { maxLength }).length).toBeLessThanOrEqual(maxLength);
  });

  it('lowercases bucket names', () => {
    const name = generatedName('alice-AsyncEvents', 'UploadsBucketC4F1', { maxLength: 63, lowercase: true });
    expect(name).toMatch(/^alice-asyncevents-uploadsbucketc4f1-[a-z0-9]{12}$/);
  });

  it('ends FIFO queue names in .fifo within the 80-character limit', () => {
    const name = generatedName('owner-'.repeat(10), 'FifoQueue'.repeat(5), { maxLength: 80, ending: '.fifo' });
    expect(name.endsWith('.fifo')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(80);
  });
});

describe('ids', () => {
  it('derives a lowercase alphanumeric id of the given length', () => {
    expect(generatedId(10, 'stack', 'Api')).toMatch(/^[a-z0-9]{10}$/);
  });

  it('derives a stable UUID', () => {
    const uuid = stableUuid('stack', 'Mapping');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('stack', 'Mapping')).toBe(uuid);
  });

  it('derives a DynamoDB stream label in the timestamp format AWS uses', () => {
    expect(streamLabel('arn:aws:dynamodb:us-east-1:1:table/t')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  });
});
