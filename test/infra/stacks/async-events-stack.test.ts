import { Match } from 'aws-cdk-lib/assertions';
import { idOf, synthStacks } from '../../helpers/synth';

const { templates } = synthStacks();
const template = templates.asyncEvents;
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

describe('AsyncEventsStack', () => {
  test('invokes the file processor for objects created under orders/ only', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: idOf(template, 'AWS::S3::Bucket', 'FilesBucket') },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'orders/' }] } },
            LambdaFunctionArn: {
              'Fn::GetAtt': [idOf(template, 'AWS::Lambda::Function', 'FilesHandlerFunction'), 'Arn'],
            },
          },
        ],
      },
    });
  });

  test('gives the file processor 2 retries, a 1 h event age and on-failure and on-success SQS destinations', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: idOf(template, 'AWS::Lambda::Function', 'FilesHandlerFunction') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [idOf(template, 'AWS::SQS::Queue', 'FilesFailureQueue'), 'Arn'] } },
        OnSuccess: { Destination: { 'Fn::GetAtt': [idOf(template, 'AWS::SQS::Queue', 'FilesSuccessQueue'), 'Arn'] } },
      },
    });
  });

  test('gives the SNS subscriber 2 retries, a 1 h event age and a function dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: idOf(template, 'AWS::Lambda::Function', 'NotificationsHandlerFunction') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: Match.absent(),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: {
        TargetArn: { 'Fn::GetAtt': [idOf(template, 'AWS::SQS::Queue', 'NotificationsDeadLetterQueue'), 'Arn'] },
      },
    });
  });

  test('redrives messages SNS cannot deliver to the subscription dead-letter queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: idOf(template, 'AWS::SNS::Topic', 'NotificationsTopic') },
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [idOf(template, 'AWS::SQS::Queue', 'NotificationsSubscriptionDeadLetterQueue'), 'Arn'],
        },
      },
    });
  });

  test('lets the file processor read objects under orders/ and nothing else in the bucket', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: idOf(template, 'AWS::IAM::Role', 'FilesHandlerFunctionServiceRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 's3:GetObject',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [idOf(template, 'AWS::S3::Bucket', 'FilesBucket'), 'Arn'] }, '/orders/*'],
              ],
            },
          },
        ]),
      },
    });
  });

  test('keeps the bucket private, encrypted, TLS-only, and empties it on destroy', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test("creates the CDK handlers' log groups so destroy leaves none behind, after their last invocation", () => {
    const handlers = Object.keys(
      template.findResources('AWS::Lambda::Function', { Properties: { Runtime: Match.absent() } }),
    );
    const internal = Object.entries(json.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.['LoggingConfig'] === undefined)
      .map(([id]) => id);
    expect(internal).toHaveLength(2);
    expect(handlers.length).toBeLessThanOrEqual(2);
    for (const handler of internal) {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: handler }]] } },
        DeletionPolicy: 'Delete',
      });
    }
    template.hasResource('Custom::S3AutoDeleteObjects', {
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^InternalHandlerLogs')]),
    });
  });

  test('outputs the bucket, topic, destinations and dead-letter queues', () => {
    const keys = Object.keys(template.toJSON().Outputs as object);
    expect(keys).toEqual(
      expect.arrayContaining([
        'BucketName',
        'OrdersPrefix',
        'BucketConsoleLink',
        'TopicArn',
        'TopicConsoleLink',
        'FailureDestinationQueueUrl',
        'SuccessDestinationQueueUrl',
        'DeadLetterQueueUrl',
        'SubscriptionDeadLetterQueueUrl',
        'FileFunctionName',
        'NotificationFunctionName',
      ]),
    );
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
