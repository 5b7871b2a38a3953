import { Match } from 'aws-cdk-lib/assertions';
import { logicalIdOf, synthStacks } from '../../helpers/synth';

const { templates } = synthStacks();
const template = templates.queuePolling;

describe('QueuePollingStack', () => {
  test('moves a standard-queue message to its DLQ after 3 receives', () => {
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      FifoQueue: Match.absent(),
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: Match.absent(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 3 },
    });
  });

  test('sets the standard queue visibility timeout to 6 × the 5 s function timeout + the 2 s batching window', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: Match.absent(), VisibilityTimeout: 32 });
  });

  test('consumes the standard queue in batches of 10 with a 2 s window, partial batch responses and max concurrency 2', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StandardQueue'), 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  test('pairs the FIFO queue with a FIFO DLQ and content-based deduplication', () => {
    const fifoDlq = logicalIdOf(template, 'AWS::SQS::Queue', { FifoQueue: true, RedrivePolicy: Match.absent() });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: true,
      VisibilityTimeout: 30,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [fifoDlq, 'Arn'] }, maxReceiveCount: 3 },
    });
  });

  test('consumes the FIFO queue without a batching window (FIFO mappings do not support one)', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FifoQueue'), 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  test('encrypts every queue and allows TLS only', () => {
    expect(
      Object.values(template.findResources('AWS::SQS::Queue')).map((q) => q.Properties.SqsManagedSseEnabled),
    ).toEqual([true, true, true, true]);
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      4,
    );
  });

  test('lets each consumer receive and delete only from its own queue', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'sqs:ChangeMessageVisibility',
              'sqs:DeleteMessage',
              'sqs:GetQueueAttributes',
              'sqs:GetQueueUrl',
              'sqs:ReceiveMessage',
            ],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StandardQueue'), 'Arn'] },
          }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^StandardHandlerFunctionServiceRole') }],
    });
  });

  test('outputs the URL, ARN, name and console link of both queues and both DLQs', () => {
    const keys = Object.keys(template.toJSON().Outputs as object);
    for (const prefix of ['Queue', 'DeadLetterQueue', 'FifoQueue', 'FifoDeadLetterQueue']) {
      expect(keys).toEqual(expect.arrayContaining(['Url', 'Arn', 'Name', 'ConsoleLink'].map((s) => `${prefix}${s}`)));
    }
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
