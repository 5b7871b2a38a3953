import { compileFilters, kinesisFilterView, matchesPattern, sqsFilterView } from '../../../local/pollers/filter';

const ORDER = {
  item: 'Widget',
  quantity: 5,
  status: 'NEW',
  tags: ['blue', 'large'],
  customer: { tier: 'gold', email: 'Ann@Example.com' },
  note: null,
  empty: '',
};

describe('matchesPattern', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['an exact string', { item: ['Widget'] }, true],
    ['a different exact string', { item: ['Gadget'] }, false],
    ['one of several values (OR)', { status: ['OLD', 'NEW'] }, true],
    ['an exact number', { quantity: [5] }, true],
    ['null', { note: [null] }, true],
    ['the empty string', { empty: [''] }, true],
    ['any element of a list value', { tags: ['large'] }, true],
    ['a prefix', { item: [{ prefix: 'Wid' }] }, true],
    ['a wrong prefix', { item: [{ prefix: 'Gad' }] }, false],
    ['a suffix', { item: [{ suffix: 'get' }] }, true],
    ['a case-insensitive prefix', { item: [{ prefix: { 'equals-ignore-case': 'WID' } }] }, true],
    ['equals-ignore-case', { customer: { email: [{ 'equals-ignore-case': 'ann@example.COM' }] } }, true],
    ['anything-but a value', { status: [{ 'anything-but': 'OLD' }] }, true],
    ['anything-but the value it has', { status: [{ 'anything-but': ['NEW', 'OLD'] }] }, false],
    ['anything-but a prefix it has', { item: [{ 'anything-but': { prefix: 'Wid' } }] }, false],
    ['a numeric range it is in', { quantity: [{ numeric: ['>', 0, '<=', 5] }] }, true],
    ['a numeric range it is not in', { quantity: [{ numeric: ['>', 5] }] }, false],
    ['numeric equality', { quantity: [{ numeric: ['=', 5] }] }, true],
    ['numeric on a string', { item: [{ numeric: ['>', 0] }] }, false],
    ['exists true on a present field', { item: [{ exists: true }] }, true],
    ['exists true on a missing field', { missing: [{ exists: true }] }, false],
    ['exists false on a missing field', { missing: [{ exists: false }] }, true],
    ['exists false on a present field', { item: [{ exists: false }] }, false],
    ['a nested field (AND of keys)', { customer: { tier: ['gold'] }, item: ['Widget'] }, true],
    ['a nested field where one key fails', { customer: { tier: ['silver'] }, item: ['Widget'] }, false],
    ['a leaf pattern against an object', { customer: ['gold'] }, false],
    ['an object pattern against a string', { item: { name: ['Widget'] } }, false],
    ['a value on a missing field', { missing: ['x'] }, false],
  ])('matching %s gives the documented result', (_case, pattern, expected) => {
    // GIVEN an order WHEN the pattern is applied THEN it matches or not
    expect(matchesPattern(pattern, ORDER)).toBe(expected);
  });
});

describe('compileFilters', () => {
  it('passes every record when there are no patterns', () => {
    expect(compileFilters([])({ anything: 1 })).toBe(true);
  });

  it('passes a record that matches any one of several patterns (OR across filters)', () => {
    // GIVEN two filters WHEN a record matches only the second THEN it passes
    const filter = compileFilters(['{"body":{"item":["Gadget"]}}', '{"body":{"quantity":[{"numeric":[">",3]}]}}']);
    expect(filter(sqsFilterView({ body: JSON.stringify(ORDER) }))).toBe(true);
    expect(filter(sqsFilterView({ body: JSON.stringify({ ...ORDER, quantity: 1 }) }))).toBe(false);
  });

  it('rejects a pattern that is not a JSON object, naming it', () => {
    expect(() => compileFilters(['["x"]'])).toThrow('filter pattern must be a JSON object (given ["x"])');
    expect(() => compileFilters(['{'])).toThrow('filter pattern is not valid JSON (given {)');
  });
});

describe('filter views', () => {
  it('matches a plain-text SQS body only with a plain-string pattern', () => {
    // GIVEN a body that is not JSON WHEN filtered THEN a string pattern matches and an object pattern does not
    const view = sqsFilterView({ body: 'hello' });
    expect(compileFilters(['{"body":["hello"]}'])(view)).toBe(true);
    expect(compileFilters(['{"body":{"item":["hello"]}}'])(view)).toBe(false);
  });

  it('decodes Kinesis data from base64 JSON and lifts the kinesis fields', () => {
    // GIVEN a Kinesis record with JSON data WHEN filtered THEN data fields and the partition key are addressable
    const record = {
      kinesis: { partitionKey: 'p-1', data: Buffer.from(JSON.stringify({ item: 'Widget' })).toString('base64') },
      eventSource: 'aws:kinesis',
    };
    expect(compileFilters(['{"data":{"item":["Widget"]},"partitionKey":["p-1"]}'])(kinesisFilterView(record))).toBe(
      true,
    );
  });

  it('drops a Kinesis record whose data is not JSON when a pattern filters on data', () => {
    const record = { kinesis: { partitionKey: 'p', data: Buffer.from('plain').toString('base64') } };
    expect(compileFilters(['{"data":{"item":[{"exists":true}]}}'])(kinesisFilterView(record))).toBe(false);
  });
});
