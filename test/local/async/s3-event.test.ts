import { buildS3EventRecord, encodeS3EventKey, matchesNotification } from '../../../local/async/s3-event';
import type { S3ObjectEvent } from '../../../local/endpoint/types';

const PUT: S3ObjectEvent = {
  eventName: 'ObjectCreated:Put',
  bucket: 'orders-bucket',
  key: 'incoming/red flower.jpg',
  size: 1024,
  eTag: 'd41d8cd98f00b204e9800998ecf8427e',
  sequencer: '0055AED6DCD90281E5',
  eventTime: '2026-01-02T03:04:05.678Z',
  sourceIp: '127.0.0.1',
  requestId: 'C3D13FE58DE4C810',
};
const CTX = {
  region: 'eu-west-1',
  accountId: '123456789012',
  bucketArn: 'arn:aws:s3:::orders-bucket',
  configurationId: 'OrderUploads',
};

describe('buildS3EventRecord', () => {
  it('builds the ObjectCreated:Put record of the S3 notification format', () => {
    // GIVEN a PUT WHEN its record is built
    const record = buildS3EventRecord(PUT, CTX);
    // THEN it has every field of the documented record
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2026-01-02T03:04:05.678Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.stringMatching(/^AWS:A[0-9A-F]{13}$/) },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'OrderUploads',
        bucket: {
          name: 'orders-bucket',
          ownerIdentity: { principalId: expect.stringMatching(/^A[0-9A-F]{13}$/) },
          arn: 'arn:aws:s3:::orders-bucket',
        },
        object: {
          key: 'incoming/red+flower.jpg',
          size: 1024,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          sequencer: '0055AED6DCD90281E5',
        },
      },
    });
  });

  it('uses the configured event version', () => {
    // GIVEN eventVersion 2.3 WHEN built THEN the record carries it
    expect(buildS3EventRecord(PUT, { ...CTX, eventVersion: '2.3' }).eventVersion).toBe('2.3');
  });

  it('leaves size and eTag out of a delete record and keeps the version id', () => {
    // GIVEN a delete of a versioned object WHEN its record is built
    const record = buildS3EventRecord(
      { ...PUT, eventName: 'ObjectRemoved:Delete', size: undefined, eTag: undefined, versionId: 'v1' },
      CTX,
    );
    // THEN the object has key, versionId and sequencer only
    expect(record.s3.object).toEqual({
      key: 'incoming/red+flower.jpg',
      versionId: 'v1',
      sequencer: '0055AED6DCD90281E5',
    });
  });
});

describe('encodeS3EventKey', () => {
  it.each([
    ['HappyFace.jpg', 'HappyFace.jpg'],
    ['red flower.jpg', 'red+flower.jpg'],
    ['a/b/c.json', 'a/b/c.json'],
    ['test (1).jpg', 'test+%281%29.jpg'],
    ['plus+sign.txt', 'plus%2Bsign.txt'],
    ['ümlaut.txt', '%C3%BCmlaut.txt'],
  ])('encodes %s as %s', (key, encoded) => {
    // GIVEN a raw key WHEN encoded THEN it is form-encoded with slashes kept, and decodes back
    expect(encodeS3EventKey(key)).toBe(encoded);
    expect(decodeURIComponent(encoded.replace(/\+/g, ' '))).toBe(key);
  });
});

describe('matchesNotification', () => {
  it.each([
    [['s3:ObjectCreated:*'], undefined, undefined, 'ObjectCreated:Put', 'a.json', true],
    [['s3:ObjectCreated:*'], undefined, undefined, 'ObjectCreated:CompleteMultipartUpload', 'a.json', true],
    [['s3:ObjectCreated:*'], undefined, undefined, 'ObjectRemoved:Delete', 'a.json', false],
    [['s3:ObjectCreated:Put'], undefined, undefined, 'ObjectCreated:Copy', 'a.json', false],
    [['s3:ObjectRemoved:*'], undefined, undefined, 'ObjectRemoved:DeleteMarkerCreated', 'a.json', true],
    [['s3:ObjectCreated:*'], 'orders/', undefined, 'ObjectCreated:Put', 'orders/a.json', true],
    [['s3:ObjectCreated:*'], 'orders/', undefined, 'ObjectCreated:Put', 'other/a.json', false],
    [['s3:ObjectCreated:*'], 'orders/', '.json', 'ObjectCreated:Put', 'orders/a.txt', false],
    [['s3:ObjectCreated:*'], undefined, '.json', 'ObjectCreated:Put', 'x/a.json', true],
  ])('events %j prefix %s suffix %s: %s on %s → %s', (events, prefix, suffix, eventName, key, expected) => {
    // GIVEN a notification configuration WHEN an event is checked THEN type and filters decide
    expect(matchesNotification({ events, prefix, suffix }, eventName, key)).toBe(expected);
  });
});
