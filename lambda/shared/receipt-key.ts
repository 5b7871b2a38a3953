/**
 * The receipt key read from AWS Secrets Manager, cached per execution environment.
 *
 * The value is never logged or returned: callers get it only to sign or verify (see `receipt.ts`).
 *
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/parameters/
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
import { SettingError } from './settings';

/** What the reader needs of Powertools' `SecretsProvider`: a cached `get`. */
export interface SecretSource {
  get(name: string, options: { maxAge: number }): Promise<unknown>;
}

/** Returns the current receipt key. */
export type ReceiptKeyReader = () => Promise<string>;

/**
 * Reads the secret (its `AWSCURRENT` version) through the Powertools provider, which keeps the value for
 * `maxAgeSeconds`: a warm function does not call Secrets Manager on every event, yet a new value put in the
 * console is used for new orders within that time.
 */
export function createReceiptKeyReader(
  provider: SecretSource,
  secretId: string,
  maxAgeSeconds: number,
): ReceiptKeyReader {
  return async () => {
    const value = await provider.get(secretId, { maxAge: maxAgeSeconds });
    if (typeof value !== 'string' || value === '') {
      // The value itself stays out of the message: it is a secret
      throw new SettingError(`Secret ${secretId} must hold a non-empty SecretString`);
    }
    return value;
  };
}
