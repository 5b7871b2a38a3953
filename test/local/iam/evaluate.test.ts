import { evaluate, type AuthorizationRequest, type Decision } from '../../../local/iam/evaluate';
import { parsePolicy } from '../../../local/iam/policy';

const DOCS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide';
const ROLE = 'arn:aws:iam::000000000000:role/fn-role';
const SESSION = 'arn:aws:sts::000000000000:assumed-role/fn-role/fn';
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders';
const BUCKET = 'arn:aws:s3:::files';

type Doc = Record<string, unknown>;
const allow = (Action: unknown, Resource: unknown, extra: Doc = {}): Doc => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: unknown, Resource: unknown, extra: Doc = {}): Doc => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});

interface Case {
  readonly name: string;
  /** The AWS page that states the rule. */
  readonly source: string;
  readonly identity?: readonly Doc[];
  readonly resource?: readonly Doc[];
  readonly action: string;
  readonly on: string;
  readonly principal?: AuthorizationRequest['principal'];
  readonly context?: AuthorizationRequest['context'];
  readonly expected: Decision['reason'];
}

const CASES: readonly Case[] = [
  {
    name: 'no statement allows: implicit deny',
    source: `${DOCS}/reference_policies_evaluation-logic.html`,
    identity: [allow('dynamodb:PutItem', TABLE)],
    action: 'dynamodb:GetItem',
    on: TABLE,
    expected: 'implicit-deny',
  },
  {
    name: 'an exact Action and Resource allow',
    source: `${DOCS}/reference_policies_evaluation-logic.html`,
    identity: [allow('dynamodb:GetItem', TABLE)],
    action: 'dynamodb:GetItem',
    on: TABLE,
    expected: 'allow',
  },
  {
    name: 'an explicit deny wins over an allow',
    source: `${DOCS}/reference_policies_evaluation-logic_policy-eval-denyallow.html`,
    identity: [allow('dynamodb:*', '*'), deny('dynamodb:GetItem', TABLE)],
    action: 'dynamodb:GetItem',
    on: TABLE,
    expected: 'explicit-deny',
  },
  {
    name: 'action names compare case-insensitively',
    source: `${DOCS}/reference_policies_elements_action.html`,
    identity: [allow('DynamoDB:getitem', TABLE)],
    action: 'dynamodb:GetItem',
    on: TABLE,
    expected: 'allow',
  },
  {
    name: 'resource ARNs compare case-sensitively',
    source: `${DOCS}/reference_policies_elements_resource.html`,
    identity: [allow('dynamodb:GetItem', TABLE.toLowerCase())],
    action: 'dynamodb:GetItem',
    on: TABLE,
    expected: 'implicit-deny',
  },
  {
    name: '* in an action matches any run of characters',
    source: `${DOCS}/reference_policies_elements_action.html`,
    identity: [allow('dynamodb:Get*', TABLE)],
    action: 'dynamodb:GetItem',
    on: TABLE,
    expected: 'allow',
  },
  {
    name: '? in a resource matches exactly one character',
    source: `${DOCS}/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards`,
    identity: [allow('s3:GetObject', `${BUCKET}/orders/?.json`)],
    action: 's3:GetObject',
    on: `${BUCKET}/orders/ab.json`,
    expected: 'implicit-deny',
  },
  {
    name: '* in a resource spans slashes',
    source: `${DOCS}/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards`,
    identity: [allow('s3:GetObject', `${BUCKET}/orders/*`)],
    action: 's3:GetObject',
    on: `${BUCKET}/orders/2026/a.json`,
    expected: 'allow',
  },
  {
    name: 'a bucket grant does not cover its objects',
    source: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html',
    identity: [allow('s3:GetObject', BUCKET)],
    action: 's3:GetObject',
    on: `${BUCKET}/orders/a.json`,
    expected: 'implicit-deny',
  },
  {
    name: 'a table grant does not cover its indexes',
    source: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html',
    identity: [allow('dynamodb:Query', TABLE)],
    action: 'dynamodb:Query',
    on: `${TABLE}/index/byCustomer`,
    expected: 'implicit-deny',
  },
  {
    name: 'NotAction allows every action but the listed ones',
    source: `${DOCS}/reference_policies_elements_notaction.html`,
    identity: [{ Effect: 'Allow', NotAction: 'dynamodb:DeleteItem', Resource: TABLE }],
    action: 'dynamodb:GetItem',
    on: TABLE,
    expected: 'allow',
  },
  {
    name: 'NotAction does not allow the listed action',
    source: `${DOCS}/reference_policies_elements_notaction.html`,
    identity: [{ Effect: 'Allow', NotAction: 'dynamodb:DeleteItem', Resource: TABLE }],
    action: 'dynamodb:DeleteItem',
    on: TABLE,
    expected: 'implicit-deny',
  },
  {
    name: 'Deny with NotResource denies everything outside the listed resources',
    source: `${DOCS}/reference_policies_elements_notresource.html`,
    identity: [allow('s3:*', '*'), { Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/*` }],
    action: 's3:GetObject',
    on: 'arn:aws:s3:::other/a.json',
    expected: 'explicit-deny',
  },
  {
    name: 'StringEquals on a key the request has',
    source: `${DOCS}/reference_policies_elements_condition_operators.html#Conditions_String`,
    identity: [allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalAccount': '000000000000' } } })],
    action: 's3:GetObject',
    on: `${BUCKET}/a`,
    context: { 'aws:principalaccount': '000000000000' },
    expected: 'allow',
  },
  {
    name: 'StringLike with a wildcard that does not match',
    source: `${DOCS}/reference_policies_elements_condition_operators.html#Conditions_String`,
    identity: [allow('s3:GetObject', '*', { Condition: { StringLike: { 'aws:PrincipalArn': '*:role/admin-*' } } })],
    action: 's3:GetObject',
    on: `${BUCKET}/a`,
    context: { 'aws:principalarn': ROLE },
    expected: 'implicit-deny',
  },
  {
    name: 'a condition on a key the request lacks does not hold',
    source: `${DOCS}/reference_policies_elements_condition_operators.html`,
    identity: [allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:SourceAccount': '000000000000' } } })],
    action: 's3:GetObject',
    on: `${BUCKET}/a`,
    expected: 'implicit-deny',
  },
  {
    name: '…IfExists holds when the key is absent',
    source: `${DOCS}/reference_policies_elements_condition_operators.html#Conditions_IfExists`,
    identity: [
      allow('s3:GetObject', '*', { Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '000000000000' } } }),
    ],
    action: 's3:GetObject',
    on: `${BUCKET}/a`,
    expected: 'allow',
  },
  {
    name: 'Bool aws:SecureTransport false: the TLS-only deny does not apply to a TLS request',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
    identity: [allow('s3:*', '*')],
    resource: [
      deny('s3:*', [BUCKET, `${BUCKET}/*`], {
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ],
    action: 's3:GetObject',
    on: `${BUCKET}/a`,
    context: { 'aws:securetransport': 'true' },
    expected: 'allow',
  },
  {
    name: 'Bool aws:SecureTransport false: the TLS-only deny applies to a plain-HTTP request',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
    identity: [allow('s3:*', '*')],
    resource: [
      deny('s3:*', [BUCKET, `${BUCKET}/*`], {
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ],
    action: 's3:GetObject',
    on: `${BUCKET}/a`,
    context: { 'aws:securetransport': 'false' },
    expected: 'explicit-deny',
  },
  {
    name: 'a resource policy allows a service principal whose source ARN matches ArnLike',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html',
    resource: [
      allow('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:000000000000:function:fn', {
        Principal: { Service: 's3.amazonaws.com' },
        Condition: { ArnLike: { 'AWS:SourceArn': BUCKET } },
      }),
    ],
    principal: { service: 's3.amazonaws.com' },
    action: 'lambda:InvokeFunction',
    on: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
    context: { 'aws:sourcearn': BUCKET },
    expected: 'allow',
  },
  {
    name: 'a resource policy for another service principal does not allow',
    source: `${DOCS}/reference_policies_elements_principal.html#principal-services`,
    resource: [
      allow('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:000000000000:function:fn', {
        Principal: { Service: 'sns.amazonaws.com' },
      }),
    ],
    principal: { service: 's3.amazonaws.com' },
    action: 'lambda:InvokeFunction',
    on: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
    expected: 'implicit-deny',
  },
  {
    name: 'ArnEquals on the SNS topic lets SNS send to a queue',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html',
    resource: [
      allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:000000000000:dlq', {
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:000000000000:topic' } },
      }),
    ],
    principal: { service: 'sns.amazonaws.com' },
    action: 'sqs:SendMessage',
    on: 'arn:aws:sqs:us-east-1:000000000000:dlq',
    context: { 'aws:sourcearn': 'arn:aws:sns:us-east-1:000000000000:other' },
    expected: 'implicit-deny',
  },
  {
    name: 'a same-account resource policy naming the role allows without an identity policy',
    source: `${DOCS}/reference_policies_evaluation-logic-cross-account.html`,
    resource: [allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:000000000000:q', { Principal: { AWS: ROLE } })],
    action: 'sqs:SendMessage',
    on: 'arn:aws:sqs:us-east-1:000000000000:q',
    expected: 'allow',
  },
  {
    name: 'a condition key not evaluated locally is taken as met for an Allow',
    source: 'docs/engine-fidelity.md (local rule)',
    identity: [
      allow('kms:Decrypt', '*', { Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } } }),
    ],
    action: 'kms:Decrypt',
    on: 'arn:aws:kms:us-east-1:000000000000:key/k',
    expected: 'allow',
  },
  {
    name: 'a condition key not evaluated locally never makes a Deny apply',
    source: 'docs/engine-fidelity.md (local rule)',
    identity: [
      allow('s3:*', '*'),
      deny('s3:*', '*', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
    ],
    action: 's3:GetObject',
    on: `${BUCKET}/a`,
    expected: 'allow',
  },
];

describe('policy evaluation', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN the case's identity and resource policies
    const policies = {
      identity: c.identity ? [parsePolicy({ Statement: c.identity }, 'identity')] : [],
      resource: c.resource ? [parsePolicy({ Statement: c.resource }, 'resource')] : [],
    };
    // WHEN its request is evaluated
    const decision = evaluate(policies, {
      principal: c.principal ?? { roleArn: ROLE, sessionArn: SESSION },
      action: c.action,
      resource: c.on,
      context: c.context ?? {},
    });
    // THEN the decision is the one the source page gives
    expect({ decision: decision.reason, source: c.source }).toEqual({ decision: c.expected, source: c.source });
  });

  it('names the condition keys it took as met', () => {
    // GIVEN an allow conditioned on a key the engine does not evaluate
    const doc = parsePolicy(
      { Statement: [allow('kms:Decrypt', '*', { Condition: { StringEquals: { 'kms:ViaService': 'x' } } })] },
      'p',
    );
    // WHEN a request is evaluated against it
    const decision = evaluate(
      { identity: [doc], resource: [] },
      { principal: { roleArn: ROLE }, action: 'kms:Decrypt', resource: '*', context: {} },
    );
    // THEN the key is reported
    expect(decision.unevaluated).toEqual(['kms:ViaService']);
  });
});
