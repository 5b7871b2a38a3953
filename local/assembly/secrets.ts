/**
 * Secrets Manager secrets of a template, as the deployer creates them.
 */
import type { SecretModel } from './model';
import type { StackReader } from './stack-reader';

type Props = Record<string, unknown>;

const isObject = (v: unknown): v is Props => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html */
export function buildSecret(reader: StackReader, id: string): SecretModel {
  const p = reader.properties(id);
  const identity = reader.identity(id);
  const g = isObject(p.GenerateSecretString) ? p.GenerateSecretString : undefined;
  const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
  const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || v === 'true');
  const generate = g && {
    ...(g.PasswordLength !== undefined && { passwordLength: num(g.PasswordLength) }),
    ...(g.ExcludeCharacters !== undefined && { excludeCharacters: String(g.ExcludeCharacters) }),
    ...(g.ExcludeNumbers !== undefined && { excludeNumbers: bool(g.ExcludeNumbers) }),
    ...(g.ExcludePunctuation !== undefined && { excludePunctuation: bool(g.ExcludePunctuation) }),
    ...(g.ExcludeUppercase !== undefined && { excludeUppercase: bool(g.ExcludeUppercase) }),
    ...(g.ExcludeLowercase !== undefined && { excludeLowercase: bool(g.ExcludeLowercase) }),
    ...(g.IncludeSpace !== undefined && { includeSpace: bool(g.IncludeSpace) }),
    ...(g.RequireEachIncludedType !== undefined && { requireEachIncludedType: bool(g.RequireEachIncludedType) }),
    ...(g.SecretStringTemplate !== undefined && { secretStringTemplate: String(g.SecretStringTemplate) }),
    ...(g.GenerateStringKey !== undefined && { generateStringKey: String(g.GenerateStringKey) }),
  };
  return {
    logicalId: id,
    name: identity.ref.replace(/^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, ''),
    arn: identity.ref,
    ...(p.Description !== undefined && { description: String(p.Description) }),
    ...(p.SecretString !== undefined && { secretString: String(p.SecretString) }),
    ...(generate && { generate }),
  };
}
