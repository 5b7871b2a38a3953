import { arnOf, field, type OperationRule, type ServiceTable } from '../access';

const onSecret =
  (op: string): OperationRule =>
  (input, ctx) => {
    const id = field(input, 'SecretId') ?? field(input, 'Name') ?? '';
    // A secret's ARN ends in a random suffix; the engine resolves names it knows (ArnContext.secretArnOf).
    const resource = id.startsWith('arn:')
      ? id
      : (ctx.secretArnOf?.(id) ?? arnOf('secretsmanager', ctx, `secret:${id}`));
    return [{ action: `secretsmanager:${op}`, resource }];
  };

/**
 * Secrets Manager: secret operations on the secret ARN, keyed by operation name; `ListSecrets` and
 * `GetRandomPassword` on `*`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html
 */
export const secretsManagerTable: ServiceTable = {
  prefix: 'secretsmanager',
  rules: Object.fromEntries(
    [
      'GetSecretValue',
      'DescribeSecret',
      'PutSecretValue',
      'UpdateSecret',
      'DeleteSecret',
      'RestoreSecret',
      'CreateSecret',
      'TagResource',
      'UntagResource',
      'RotateSecret',
      'GetResourcePolicy',
      'PutResourcePolicy',
      'DeleteResourcePolicy',
      'ListSecretVersionIds',
      'UpdateSecretVersionStage',
    ].map((op) => [op, onSecret(op)]),
  ),
};
