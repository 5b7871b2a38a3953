import { buildDynamoDbRecord, buildKinesisRecord, buildSqsRecord } from '../../../local/pollers/event-builders';

const QUEUE_ARN = 'arn:aws:sqs:eu-west-2:123456789012:orders';

describe('buildSqsRecord', () => {
  it('builds the documented SQS record with string attributes', () => {
    // GIVEN a received message WHEN the record is built THEN it has the D.5 shape
    const record = buildSqsRecord(
      {
        MessageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
        ReceiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
        Body: 'Test message.',
        MD5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
        Attributes: {
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: '1545082649185',
          ApproximateReceiveCount: '1',
          SentTimestamp: '1545082649183',
        },
      },
      QUEUE_ARN,
      'eu-west-2',
    );
    expect(record).toEqual({
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body: 'Test message.',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1545082649183',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1545082649185',
      },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: QUEUE_ARN,
      awsRegion: 'eu-west-2',
    });
    expect(Object.keys(record.attributes)).toEqual([
      'ApproximateReceiveCount',
      'SentTimestamp',
      'SenderId',
      'ApproximateFirstReceiveTimestamp',
    ]);
  });

  it('turns message attributes into the camelCase form with base64 binaries', () => {
    // GIVEN string and binary attributes WHEN the record is built THEN they are camelCase with lists present
    const record = buildSqsRecord(
      {
        MessageId: 'm',
        Body: 'b',
        MessageAttributes: {
          Kind: { DataType: 'String', StringValue: 'order' },
          Blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
        },
      },
      QUEUE_ARN,
      'eu-west-2',
    );
    expect(record.messageAttributes).toEqual({
      Kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' },
      Blob: { binaryValue: 'aGk=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
  });

  it('keeps the FIFO attributes and computes md5OfBody when absent', () => {
    // GIVEN a FIFO message without MD5 WHEN built THEN the FIFO attributes follow the standard ones and the MD5 is computed
    const record = buildSqsRecord(
      {
        MessageId: 'm',
        Body: 'Test message.',
        Attributes: {
          MessageDeduplicationId: 'd-1',
          MessageGroupId: 'g-1',
          SequenceNumber: '18849496460467696128',
          ApproximateReceiveCount: '2',
        },
      },
      QUEUE_ARN,
      'eu-west-2',
    );
    expect(record.attributes).toEqual({
      ApproximateReceiveCount: '2',
      SequenceNumber: '18849496460467696128',
      MessageGroupId: 'g-1',
      MessageDeduplicationId: 'd-1',
    });
    expect(record.md5OfBody).toBe('e4e68fb7bd0e697a0ae8f1bb342846b3');
  });
});

describe('buildKinesisRecord', () => {
  it('builds the documented Kinesis record with the arrival time in seconds', () => {
    // GIVEN a GetRecords record WHEN built THEN data is base64, the time is in seconds and eventID joins shard and sequence
    const record = buildKinesisRecord(
      {
        SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        PartitionKey: '1',
        Data: Buffer.from('Hello, this is a test.'),
        ApproximateArrivalTimestamp: new Date(1545084650987),
      },
      {
        shardId: 'shardId-000000000006',
        streamArn: 'arn:aws:kinesis:eu-west-2:123456789012:stream/lambda-stream',
        region: 'eu-west-2',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      },
    );
    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: '1',
        sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==',
        approximateArrivalTimestamp: 1545084650.987,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'eu-west-2',
      eventSourceARN: 'arn:aws:kinesis:eu-west-2:123456789012:stream/lambda-stream',
    });
  });
});

describe('buildDynamoDbRecord', () => {
  const STREAM = 'arn:aws:dynamodb:eu-west-2:123456789012:table/Orders/stream/2015-05-11T21:21:33.291';

  it('builds the documented DynamoDB record with the creation time in seconds', () => {
    // GIVEN a stream record WHEN built THEN images stay DynamoDB JSON and the stream ARN is added
    const record = buildDynamoDbRecord(
      {
        eventID: '1',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-west-2',
        dynamodb: {
          ApproximateCreationDateTime: new Date(1_700_000_000_000),
          Keys: { Id: { N: '101' } },
          NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } },
          SequenceNumber: '111',
          SizeBytes: 26,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      STREAM,
      'eu-west-2',
    );
    expect(record).toEqual({
      eventID: '1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-2',
      dynamodb: {
        ApproximateCreationDateTime: 1_700_000_000,
        Keys: { Id: { N: '101' } },
        NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } },
        SequenceNumber: '111',
        SizeBytes: 26,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: STREAM,
    });
  });

  it('writes binary attributes in base64, nested ones too', () => {
    // GIVEN binary values from the SDK WHEN built THEN they are base64 like Lambda's JSON
    const record = buildDynamoDbRecord(
      {
        eventName: 'REMOVE',
        dynamodb: {
          Keys: { Id: { B: Buffer.from('k') } },
          OldImage: {
            Id: { B: Buffer.from('k') },
            Tags: { BS: [Buffer.from('a')] },
            M: { M: { x: { B: Buffer.from('b') } } },
          },
          SequenceNumber: '2',
        },
      },
      STREAM,
      'eu-west-2',
    );
    expect(record.dynamodb.Keys).toEqual({ Id: { B: 'aw==' } });
    expect(record.dynamodb.OldImage).toEqual({
      Id: { B: 'aw==' },
      Tags: { BS: ['YQ=='] },
      M: { M: { x: { B: 'Yg==' } } },
    });
    expect(record.dynamodb.NewImage).toBeUndefined();
  });
});
