import { compareSequenceNumbers, lowestFailedIndex, parseBatchResponse } from '../../../local/pollers/batch-response';

const IDS = ['m-1', 'm-2', 'm-3'];

describe('parseBatchResponse with ReportBatchItemFailures', () => {
  it.each([
    ['an empty batchItemFailures list', '{"batchItemFailures":[]}'],
    ['a null batchItemFailures', '{"batchItemFailures":null}'],
    ['an empty response object', '{}'],
    ['a null response', 'null'],
    ['an empty payload', ''],
    ['a response that is not an object', '"done"'],
  ])('treats %s as complete success', (_case, payload) => {
    // GIVEN a reply without failures WHEN it is judged THEN the whole batch succeeded
    expect(parseBatchResponse({ payload }, IDS, true)).toEqual({ kind: 'success' });
  });

  it.each([
    ['invalid JSON', '{"batchItemFailures":', 'invalid JSON response'],
    ['an empty-string itemIdentifier', '{"batchItemFailures":[{"itemIdentifier":""}]}', 'itemIdentifier is empty'],
    ['a null itemIdentifier', '{"batchItemFailures":[{"itemIdentifier":null}]}', 'itemIdentifier is null'],
    ['a bad key name', '{"batchItemFailures":[{"itemId":"m-1"}]}', 'a batchItemFailures entry has no itemIdentifier'],
    ['an unknown id', '{"batchItemFailures":[{"itemIdentifier":"m-9"}]}', 'itemIdentifier m-9 is not in the batch'],
    ['a non-list batchItemFailures', '{"batchItemFailures":"m-1"}', 'batchItemFailures is not a list'],
    ['an entry that is not an object', '{"batchItemFailures":["m-1"]}', 'a batchItemFailures entry is not an object'],
    ['a numeric itemIdentifier', '{"batchItemFailures":[{"itemIdentifier":1}]}', 'itemIdentifier is not a string'],
  ])('treats %s as complete failure', (_case, payload, reason) => {
    // GIVEN a malformed reply WHEN it is judged THEN the whole batch failed, with the reason
    expect(parseBatchResponse({ payload }, IDS, true)).toEqual({ kind: 'failure', reason });
  });

  it('lists only the reported items as failed, in batch order, without duplicates', () => {
    // GIVEN a reply naming m-3 then m-1 twice
    const payload =
      '{"batchItemFailures":[{"itemIdentifier":"m-3"},{"itemIdentifier":"m-1"},{"itemIdentifier":"m-1"}]}';
    // WHEN judged THEN both are failed, in the order of the batch
    expect(parseBatchResponse({ payload }, IDS, true)).toEqual({ kind: 'partial', failedIds: ['m-1', 'm-3'] });
  });

  it('fails the whole batch on a function error even when the payload lists items', () => {
    // GIVEN an unhandled error WHEN judged THEN everything failed
    const verdict = parseBatchResponse({ payload: '{"errorType":"Error"}', functionError: 'Unhandled' }, IDS, true);
    expect(verdict.kind).toBe('failure');
  });
});

describe('parseBatchResponse without ReportBatchItemFailures', () => {
  it('ignores a partial response and treats the batch as a success', () => {
    // GIVEN a mapping without ReportBatchItemFailures WHEN the function lists failures THEN they are not processed
    const payload = '{"batchItemFailures":[{"itemIdentifier":"m-1"}]}';
    expect(parseBatchResponse({ payload }, IDS, false)).toEqual({ kind: 'success' });
  });

  it('still fails the batch on a function error', () => {
    expect(parseBatchResponse({ payload: '{}', functionError: 'Unhandled' }, IDS, false).kind).toBe('failure');
  });
});

describe('lowestFailedIndex', () => {
  const SEQS = [
    '49590338271490256608559692538361571095921575989136588898',
    '49590338271490256608559692538361571095921575989136588899',
    '49590338271490256608559692540000000000000000000000000000',
  ];

  it.each([
    ['one failed record', [SEQS[1]!], 1],
    ['several, the lowest first by value not by list order', [SEQS[2]!, SEQS[1]!], 1],
    ['the first record', [SEQS[0]!, SEQS[2]!], 0],
  ])('returns the index of the lowest failed sequence number for %s', (_case, failed, index) => {
    // GIVEN sequence numbers beyond double precision WHEN the lowest failed one is searched THEN BigInt order decides
    expect(lowestFailedIndex(SEQS, failed)).toBe(index);
  });

  it('compares sequence numbers that differ only past double precision', () => {
    expect(compareSequenceNumbers(SEQS[0]!, SEQS[1]!)).toBe(-1);
    expect(compareSequenceNumbers(SEQS[1]!, SEQS[0]!)).toBe(1);
    expect(compareSequenceNumbers(SEQS[1]!, SEQS[1]!)).toBe(0);
  });
});
