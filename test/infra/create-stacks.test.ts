import { Match } from 'aws-cdk-lib/assertions';
import { synthStacks } from '../helpers/synth';

const synthesized = synthStacks({ context: { owner: 'alice', stage: 'training' } });
const all = Object.entries(synthesized.templates);

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}
const resourcesOf = (name: string): Record<string, Resource> =>
  (
    synthesized.templates[name as keyof typeof synthesized.templates].toJSON() as {
      Resources: Record<string, Resource>;
    }
  ).Resources;

/** Our functions (not the CDK's custom resource handlers): they carry the Powertools service name. */
const isOrderFunction = (r: { Type: string; Properties?: Record<string, unknown> }): boolean =>
  r.Type === 'AWS::Lambda::Function' &&
  (r.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[
    'POWERTOOLS_SERVICE_NAME'
  ] !== undefined;

describe('createStacks', () => {
  test('names the four stacks after the owner and the pattern', () => {
    expect(Object.values(synthesized.stacks).map((s) => s.stackName)).toEqual([
      'alice-RequestResponse',
      'alice-AsyncEvents',
      'alice-StreamPolling',
      'alice-QueuePolling',
    ]);
  });

  test('keeps every stack env-agnostic, so synth needs no AWS credentials', () => {
    for (const stack of Object.values(synthesized.stacks)) {
      expect(stack.environment).toBe('aws://unknown-account/unknown-region');
    }
  });

  test.each(all)('tags every taggable resource of %s with project, owner and stage', (_name, template) => {
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([
        { Key: 'owner', Value: 'alice' },
        { Key: 'project', Value: 'lambda-pipelines-lab' },
        { Key: 'stage', Value: 'training' },
      ]),
    });
  });

  test.each(all)(
    'runs every function of %s on nodejs24.x, arm64, 256 MB, a short timeout and its own log group',
    (name) => {
      const functions = Object.entries(resourcesOf(name)).filter(([, r]) => isOrderFunction(r));
      expect(functions.length).toBeGreaterThanOrEqual(2);
      for (const [, fn] of functions) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          MemorySize: 256,
          Handler: 'index.handler',
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/Logs/) } },
        });
        expect(fn.Properties?.['Timeout']).toBeGreaterThanOrEqual(3);
        expect(fn.Properties?.['Timeout']).toBeLessThanOrEqual(6);
      }
    },
  );

  test.each(all)('gives every function of %s its settings as environment variables', (name) => {
    const functions = Object.values(resourcesOf(name)).filter((r) => isOrderFunction(r));
    for (const fn of functions) {
      expect(Object.keys((fn.Properties?.['Environment'] as { Variables: object }).Variables).sort()).toEqual([
        'ATTEMPTS_TABLE_NAME',
        'IDEMPOTENCY_TABLE_NAME',
        'IDEMPOTENCY_TTL_SECONDS',
        'MAX_QUANTITY_PARAMETER_NAME',
        'NODE_OPTIONS',
        'ORDERS_TABLE_NAME',
        'PARAMETER_CACHE_SECONDS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'RECEIPT_KEY_SECRET_ARN',
        'SECRET_CACHE_SECONDS',
      ]);
    }
  });

  test.each(all)(
    'keeps the log groups of %s for the stage retention and deletes them on destroy',
    (_name, template) => {
      template.allResources('AWS::Logs::LogGroup', {
        Properties: Match.objectLike({ RetentionInDays: 7 }),
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      });
    },
  );

  test.each(all)('retains nothing of %s on cdk destroy', (name) => {
    const retained = Object.entries(resourcesOf(name)).filter(
      ([, r]) => (r.DeletionPolicy ?? 'Delete') !== 'Delete' || (r.UpdateReplacePolicy ?? 'Delete') !== 'Delete',
    );
    expect(retained.map(([id]) => id)).toEqual([]);
    const stateful = Object.values(resourcesOf(name)).filter((r) =>
      [
        'AWS::DynamoDB::Table',
        'AWS::S3::Bucket',
        'AWS::Kinesis::Stream',
        'AWS::SQS::Queue',
        'AWS::Logs::LogGroup',
      ].includes(r.Type),
    );
    expect(stateful.every((r) => r.DeletionPolicy === 'Delete')).toBe(true);
  });

  test.each(all)(
    'creates the orders, idempotency and attempts tables of %s with TTL where records expire',
    (_name, template) => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      });
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'attemptKey', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      });
    },
  );

  test.each(all)(
    'stores the largest accepted quantity of %s in Parameter Store and lets the functions only get its current value',
    (_name, template) => {
      template.hasResourceProperties('AWS::SSM::Parameter', { Type: 'String', Value: '100' });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Action: 'ssm:GetParameter',
              Effect: 'Allow',
              Resource: Match.objectLike({
                'Fn::Join': [
                  '',
                  Match.arrayWith([':parameter/', { Ref: Match.stringLikeRegexp('^StoreMaxQuantity') }]),
                ],
              }),
            },
          ]),
        },
      });
    },
  );

  test.each(all)('outputs the store of %s and a console link for every function and log group', (_name, template) => {
    const keys = Object.keys(template.toJSON().Outputs as object);
    expect(keys).toEqual(
      expect.arrayContaining([
        'OrdersTableName',
        'OrdersTableConsoleLink',
        'IdempotencyTableName',
        'AttemptsTableName',
        'MaxQuantityParameterName',
        'MaxQuantityParameterConsoleLink',
      ]),
    );
    const functionNames = keys.filter((k) => k.endsWith('FunctionName'));
    expect(functionNames.length).toBeGreaterThanOrEqual(2);
    for (const key of functionNames) {
      const prefix = key.slice(0, -'FunctionName'.length);
      expect(keys).toEqual(
        expect.arrayContaining([`${prefix}FunctionConsoleLink`, `${prefix}LogGroupName`, `${prefix}LogsConsoleLink`]),
      );
    }
  });
});
