import {
  type IntrinsicContext,
  IntrinsicError,
  NO_VALUE,
  evaluateCondition,
  resolveValue,
} from '../../../local/assembly/intrinsics';

const refs: Record<string, unknown> = {
  Queue: 'http://127.0.0.1:4566/000000000000/q',
  Greeting: 'hello',
  Zones: ['a', 'b'],
};
const atts: Record<string, string> = { 'Queue.Arn': 'arn:aws:sqs:eu-west-1:111122223333:q', 'Fn.Arn': 'arn:fn' };
const conditions: Record<string, boolean> = { IsProd: false, IsLocal: true };

const ctx: IntrinsicContext = {
  region: 'eu-west-1',
  accountId: '111122223333',
  stackName: 'alice-Queues',
  stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/alice-Queues/id',
  mappings: { Sizes: { small: { memory: 128 } } },
  ref: (name) => {
    if (!(name in refs)) throw new IntrinsicError(`no ${name}`);
    return refs[name];
  },
  getAtt: (id, attr) => atts[`${id}.${attr}`],
  importValue: (name) => (name === 'shared-QueueArn' ? 'arn:imported' : undefined),
  condition: (name) => conditions[name] ?? false,
  dynamicReference: (text) => text.replace('{{resolve:ssm:/lab/mode}}', 'fast'),
};

describe('resolveValue', () => {
  it.each<[string, unknown, unknown]>([
    ['Ref of a resource', { Ref: 'Queue' }, 'http://127.0.0.1:4566/000000000000/q'],
    ['Ref of a parameter', { Ref: 'Greeting' }, 'hello'],
    ['AWS::Region', { Ref: 'AWS::Region' }, 'eu-west-1'],
    ['AWS::AccountId', { Ref: 'AWS::AccountId' }, '111122223333'],
    ['AWS::Partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, 'amazonaws.com'],
    ['AWS::StackName', { Ref: 'AWS::StackName' }, 'alice-Queues'],
    ['AWS::StackId', { Ref: 'AWS::StackId' }, ctx.stackId],
    ['Fn::GetAtt as a list', { 'Fn::GetAtt': ['Queue', 'Arn'] }, 'arn:aws:sqs:eu-west-1:111122223333:q'],
    ['Fn::GetAtt as a dotted string', { 'Fn::GetAtt': 'Queue.Arn' }, 'arn:aws:sqs:eu-west-1:111122223333:q'],
    ['Fn::Join', { 'Fn::Join': ['-', ['a', { Ref: 'Greeting' }, 1]] }, 'a-hello-1'],
    ['Fn::Join of a resolved list', { 'Fn::Join': [',', { Ref: 'Zones' }] }, 'a,b'],
    ['Fn::Sub with pseudo parameters', { 'Fn::Sub': '${AWS::StackName}-${AWS::Region}' }, 'alice-Queues-eu-west-1'],
    [
      'Fn::Sub with Ref and GetAtt',
      { 'Fn::Sub': '${Greeting}@${Queue.Arn}' },
      'hello@arn:aws:sqs:eu-west-1:111122223333:q',
    ],
    ['Fn::Sub with a variable map', { 'Fn::Sub': ['x-${Name}', { Name: { Ref: 'Greeting' } }] }, 'x-hello'],
    ['Fn::Sub keeps ${!Literal}', { 'Fn::Sub': 'a ${!Literal} b' }, 'a ${Literal} b'],
    ['Fn::Select', { 'Fn::Select': ['1', ['x', 'y', 'z']] }, 'y'],
    ['Fn::Split', { 'Fn::Split': [',', 'a,b,c'] }, ['a', 'b', 'c']],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [2, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'c'],
    ['Fn::If true branch', { 'Fn::If': ['IsLocal', 'yes', 'no'] }, 'yes'],
    ['Fn::If false branch', { 'Fn::If': ['IsProd', 'yes', 'no'] }, 'no'],
    ['Fn::Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
    ['Fn::GetAZs of the current region', { 'Fn::GetAZs': '' }, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
    ['Fn::ImportValue', { 'Fn::ImportValue': 'shared-QueueArn' }, 'arn:imported'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Sizes', 'small', 'memory'] }, 128],
    ['Fn::FindInMap default value', { 'Fn::FindInMap': ['Sizes', 'large', 'memory', { DefaultValue: 512 }] }, 512],
    ['Fn::ToJsonString', { 'Fn::ToJsonString': { a: { Ref: 'Greeting' } } }, '{"a":"hello"}'],
    ['a dynamic SSM reference', 'mode={{resolve:ssm:/lab/mode}}', 'mode=fast'],
    ['nested objects', { A: { B: [{ Ref: 'Greeting' }] } }, { A: { B: ['hello'] } }],
    ['AWS::NoValue drops an object member', { A: 1, B: { Ref: 'AWS::NoValue' } }, { A: 1 }],
    ['AWS::NoValue drops a list item', [1, { 'Fn::If': ['IsProd', 2, { Ref: 'AWS::NoValue' }] }], [1]],
  ])('resolves %s', (_name, input, expected) => {
    // GIVEN a template value  WHEN it is resolved  THEN it has the value CloudFormation gives it
    expect(resolveValue(input, ctx)).toEqual(expected);
  });

  it('returns the NoValue marker for a bare AWS::NoValue', () => {
    expect(resolveValue({ Ref: 'AWS::NoValue' }, ctx)).toBe(NO_VALUE);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unsupported function', { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, /does not support Fn::Cidr/],
    ['a Select outside the list', { 'Fn::Select': [5, ['a']] }, /index 5 is outside a list of 1/],
    ['a missing mapping', { 'Fn::FindInMap': ['Sizes', 'huge', 'memory'] }, /no mapping Sizes\.huge\.memory/],
    ['a Join of a non-list', { 'Fn::Join': ['-', 'abc'] }, /expected a list/],
  ])('rejects %s with a message naming it', (_name, input, message) => {
    expect(() => resolveValue(input, ctx)).toThrow(message);
  });
});

describe('evaluateCondition', () => {
  it.each<[string, unknown, boolean]>([
    ['Fn::Equals of equal strings', { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }, true],
    ['Fn::Equals of different strings', { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'cn-north-1'] }, false],
    ['Fn::Equals of a number and its string', { 'Fn::Equals': [1, '1'] }, true],
    ['Fn::And', { 'Fn::And': [{ Condition: 'IsLocal' }, { 'Fn::Equals': ['a', 'a'] }] }, true],
    ['Fn::Or', { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'IsLocal' }] }, true],
    ['Fn::Not', { 'Fn::Not': [{ Condition: 'IsLocal' }] }, false],
    ['Condition', { Condition: 'IsProd' }, false],
  ])('evaluates %s', (_name, expr, expected) => {
    expect(evaluateCondition(expr, ctx)).toBe(expected);
  });
});
