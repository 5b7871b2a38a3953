/**
 * Secrets Manager's `GetRandomPassword` rules, as a pure function over a source of random integers.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html
 */
import { randomInt } from 'node:crypto';

/** The request members of `GetRandomPassword` (and of CloudFormation's `GenerateSecretString`). */
export interface PasswordOptions {
  /** 1-4096. @default 32 */
  readonly passwordLength?: number;
  /** Characters never used. @default none */
  readonly excludeCharacters?: string;
  readonly excludeNumbers?: boolean;
  readonly excludePunctuation?: boolean;
  readonly excludeUppercase?: boolean;
  readonly excludeLowercase?: boolean;
  /** @default false */
  readonly includeSpace?: boolean;
  /** At least one character of every included type. @default true */
  readonly requireEachIncludedType?: boolean;
}

/** Why the options cannot make a password; the service turns it into `InvalidParameterException`. */
export class PasswordOptionsError extends Error {}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
/** The punctuation set the API page lists. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Draws an integer in `[0, max)`. */
export type RandomIndex = (max: number) => number;

/**
 * A random password following the options. With `requireEachIncludedType`, one character of each included type
 * is placed at a random position, the rest drawn from all included characters.
 *
 * @throws PasswordOptionsError for a length outside 1-4096, no characters left, or fewer characters than types
 */
export function randomPassword(options: PasswordOptions, random: RandomIndex = randomInt): string {
  const length = options.passwordLength ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > 4096) {
    throw new PasswordOptionsError(
      `1 validation error detected: Value '${length}' at 'passwordLength' failed to satisfy constraint: Member must have value between 1 and 4096`,
    );
  }
  const excluded = new Set(options.excludeCharacters ?? '');
  const keep = (chars: string): string => [...chars].filter((c) => !excluded.has(c)).join('');
  const types = [
    options.excludeLowercase ? '' : LOWER,
    options.excludeUppercase ? '' : UPPER,
    options.excludeNumbers ? '' : DIGITS,
    options.excludePunctuation ? '' : PUNCTUATION,
    options.includeSpace ? ' ' : '',
  ]
    .map(keep)
    .filter((chars) => chars !== '');
  const all = types.join('');
  if (all === '') throw new PasswordOptionsError('The password options exclude every character.');
  const required = (options.requireEachIncludedType ?? true) ? types : [];
  if (required.length > length) {
    throw new PasswordOptionsError(
      `The password length ${length} is too short to include a character of each of the ${required.length} included types.`,
    );
  }
  const pick = (chars: string): string => chars[random(chars.length)] as string;
  const out = Array.from({ length: length - required.length }, () => pick(all));
  for (const chars of required) out.splice(random(out.length + 1), 0, pick(chars));
  return out.join('');
}
