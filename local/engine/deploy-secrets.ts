/**
 * Deploying `AWS::SecretsManager::Secret` onto the local endpoint, through the Secrets Manager API as
 * CloudFormation does: a generated value comes from `GetRandomPassword`.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { GenerateSecretStringModel, SecretModel } from '../assembly/model';

const errorName = (err: unknown): string => (err instanceof Error ? err.name : '');

/**
 * The value CloudFormation stores for `GenerateSecretString`: the password alone, or the `SecretStringTemplate`
 * JSON with the password under `GenerateStringKey`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-secretsmanager-secret-generatesecretstring.html
 */
export async function generatedValue(client: SecretsManagerClient, g: GenerateSecretStringModel): Promise<string> {
  const { RandomPassword } = await client.send(
    new GetRandomPasswordCommand({
      PasswordLength: g.passwordLength,
      ExcludeCharacters: g.excludeCharacters,
      ExcludeNumbers: g.excludeNumbers,
      ExcludePunctuation: g.excludePunctuation,
      ExcludeUppercase: g.excludeUppercase,
      ExcludeLowercase: g.excludeLowercase,
      IncludeSpace: g.includeSpace,
      RequireEachIncludedType: g.requireEachIncludedType,
    }),
  );
  const password = RandomPassword ?? '';
  if (g.secretStringTemplate === undefined || g.generateStringKey === undefined) return password;
  const template = JSON.parse(g.secretStringTemplate) as Record<string, unknown>;
  return JSON.stringify({ ...template, [g.generateStringKey]: password });
}

/**
 * Creates the secret with its value; a secret an earlier deploy created keeps its value, as a CloudFormation
 * update without changes would. Records the endpoint's ARN (its 6-character suffix is random) in `replacements`
 * in place of the model's prediction.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
 */
export async function createSecret(
  client: SecretsManagerClient,
  secret: SecretModel,
  replacements: Map<string, string>,
): Promise<'created' | 'exists'> {
  const value = secret.secretString ?? (secret.generate ? await generatedValue(client, secret.generate) : undefined);
  try {
    const out = await client.send(
      new CreateSecretCommand({ Name: secret.name, SecretString: value, Description: secret.description }),
    );
    if (out.ARN) replacements.set(secret.arn, out.ARN);
    return 'created';
  } catch (err) {
    if (errorName(err) !== 'ResourceExistsException') throw err;
    const existing = await client.send(new DescribeSecretCommand({ SecretId: secret.name }));
    if (existing.ARN) replacements.set(secret.arn, existing.ARN);
    return 'exists';
  }
}

/**
 * Deletes the secret at once. CloudFormation deletes a stack's secret without a recovery window too, so the
 * next deploy can create it again under the same name.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
 */
export async function deleteSecret(client: SecretsManagerClient, secret: SecretModel): Promise<void> {
  await client.send(new DeleteSecretCommand({ SecretId: secret.name, ForceDeleteWithoutRecovery: true }));
}
