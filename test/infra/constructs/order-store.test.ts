import { Match } from 'aws-cdk-lib/assertions';
import { RECEIPT_KEY_LENGTH } from '../../../lib/constructs/order-store';
import { logicalIdOf, synthStacks } from '../../helpers/synth';

const { templates } = synthStacks();
const all = [
  ['RequestResponse', templates.requestResponse],
  ['AsyncEvents', templates.asyncEvents],
  ['StreamPolling', templates.streamPolling],
  ['QueuePolling', templates.queuePolling],
] as const;

type Statement = { readonly Action: string | string[]; readonly Resource: unknown };
type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown>; DeletionPolicy?: string };

/** Every IAM policy statement of the template, with the roles its policy is attached to. */
function statements(resources: Record<string, Resource>): { roles: string[]; statement: Statement }[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r) => {
      const props = r.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
      const roles = props.Roles.map((role) => role.Ref);
      return props.PolicyDocument.Statement.map((statement) => ({ roles, statement }));
    });
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('OrderStore receipt key', () => {
  test.each(all)('%s generates a 64-character alphanumeric key at deploy and deletes it with the stack', (_n, t) => {
    const id = logicalIdOf(t, 'AWS::SecretsManager::Secret');
    const secret = (t.toJSON().Resources as Record<string, Resource>)[id];
    expect(secret?.Properties?.['GenerateSecretString']).toEqual({
      PasswordLength: RECEIPT_KEY_LENGTH,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(secret?.Properties).not.toHaveProperty('SecretString');
    expect(secret?.DeletionPolicy).toBe('Delete');
  });

  test.each(all)('%s grants every order function GetSecretValue on the key and nothing else of it', (_n, t) => {
    const resources = t.toJSON().Resources as Record<string, Resource>;
    const secretId = logicalIdOf(t, 'AWS::SecretsManager::Secret');
    const functionRoles = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .filter((r) => (r.Properties?.['Environment'] as { Variables?: object } | undefined)?.Variables)
      .map((r) => (r.Properties?.['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
    const secretStatements = statements(resources).filter((s) =>
      actionsOf(s.statement).some((a) => a.startsWith('secretsmanager:')),
    );
    // THEN read-only (one action), on this secret only, for exactly the order functions' roles
    for (const { statement } of secretStatements) {
      expect(statement).toEqual({
        Action: 'secretsmanager:GetSecretValue',
        Effect: 'Allow',
        Resource: { Ref: secretId },
      });
    }
    expect(secretStatements.flatMap((s) => s.roles).sort()).toEqual([...functionRoles].sort());
    expect(functionRoles.length).toBeGreaterThanOrEqual(2);
  });

  test.each(all)('%s tells each order function where the key is and how long to cache it', (_n, t) => {
    const secretId = logicalIdOf(t, 'AWS::SecretsManager::Secret');
    const fns = t.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: Match.anyValue() }) } },
    });
    expect(Object.keys(fns).length).toBeGreaterThanOrEqual(2);
    for (const fn of Object.values(fns) as Resource[]) {
      expect((fn.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables).toMatchObject({
        RECEIPT_KEY_SECRET_ARN: { Ref: secretId },
        SECRET_CACHE_SECONDS: '30',
      });
    }
  });

  test.each(all)('%s outputs the key ARN and its console link', (_n, t) => {
    expect(Object.keys(t.toJSON().Outputs as object)).toEqual(
      expect.arrayContaining(['ReceiptKeySecretArn', 'ReceiptKeySecretConsoleLink']),
    );
  });
});
