import { Match } from 'aws-cdk-lib/assertions';
import { synthStacks } from '../../helpers/synth';

const { templates } = synthStacks();
const template = templates.streamPolling;

describe('StreamPollingStack', () => {
  test('creates one encrypted Kinesis shard with 24 h retention', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 1,
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  test('streams new and old images of the intake table', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  test.each([
    ['Kinesis', ['Stream790BDEE4', 'Arn'], 'StreamConsumerFailureQueue'],
    ['DynamoDB', ['IntakeA0CA28E8', 'StreamArn'], 'ChangeConsumerFailureQueue'],
  ])(
    'maps the %s stream from TRIM_HORIZON with bisect, 3 retries, 1 h record age, partial batch responses and an SQS on-failure destination',
    (_name, source, failureQueue) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': source },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 3600,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${failureQueue}`), 'Arn'] } },
        },
      });
    },
  );

  test('lets the Kinesis consumer read its stream and send to its on-failure queue, nothing wider', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^StreamConsumerHandlerFunctionServiceRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamConsumerFailureQueue'), 'Arn'] },
          }),
          Match.objectLike({
            Action: Match.arrayWith(['kinesis:GetRecords', 'kinesis:GetShardIterator']),
            Resource: { 'Fn::GetAtt': ['Stream790BDEE4', 'Arn'] },
          }),
        ]),
      },
    });
  });

  test('grants the DynamoDB consumer the stream actions on the table stream, and only ListStreams on "*"', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ChangeConsumerHandlerFunctionServiceRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'dynamodb:ListStreams', Effect: 'Allow', Resource: '*' },
          {
            Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': ['IntakeA0CA28E8', 'StreamArn'] },
          },
        ]),
      },
    });
  });

  test('outputs the stream, the intake table and both on-failure queues', () => {
    const keys = Object.keys(template.toJSON().Outputs as object);
    expect(keys).toEqual(
      expect.arrayContaining([
        'StreamName',
        'StreamArn',
        'StreamConsoleLink',
        'StreamFailureQueueUrl',
        'StreamFailureQueueArn',
        'IntakeTableName',
        'IntakeTableStreamArn',
        'IntakeTableConsoleLink',
        'ChangesFailureQueueUrl',
        'ChangesFailureQueueArn',
      ]),
    );
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
