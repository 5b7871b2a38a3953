/**
 * Errors a user will hit, each turned into one line that says what to do. Anything else is a bug and keeps
 * its stack trace.
 */

/** An error whose message is the whole story: printed as one line, never with a stack trace. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
]);

const CONNECTION_CODES = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH)\b/;

/** Whether `err` says the process could not reach anything at the address (nothing listening, no route). */
function isConnectionError(err: unknown): boolean {
  const seen = new Set<unknown>();
  // The SDK keeps a network error as `cause` or, when it had to wrap it, as `$cause`.
  const next = (e: object): unknown => (e as { cause?: unknown }).cause ?? (e as { $cause?: unknown }).$cause;
  for (let e: unknown = err; e && typeof e === 'object' && !seen.has(e); e = next(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.test(code)) return true;
    // An error from another realm (a test sandbox) reaches the SDK as a plain object it wraps by message.
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && CONNECTION_CODES.test(message)) return true;
  }
  return false;
}

/**
 * Turns an SDK or network error into a {@link UserError} when it is one a user can fix, naming the fix.
 *
 * @param target `local` (fix: `npm start`) or `aws` (fix: credentials)
 * @param endpoint the local engine's address, for the message
 * @param profile the AWS profile in use, for the message
 */
export function explainError(err: unknown, target: 'local' | 'aws', endpoint?: string, profile?: string): Error {
  if (err instanceof UserError) return err;
  const e = err as { name?: string; message?: string };
  if (target === 'local' && isConnectionError(err)) {
    return new UserError(
      `The local engine is not running at ${endpoint ?? 'http://127.0.0.1:4566'}: start it with \`npm start\` (or pass --endpoint <url>)`,
    );
  }
  if (target === 'aws') {
    const message = e.message ?? '';
    if (/sso/i.test(message) && /expired|refresh/i.test(message)) {
      return new UserError(
        `The SSO session has expired: run \`aws sso login --profile ${profile ?? '<profile>'}\` and try again`,
      );
    }
    if (e.name !== undefined && CREDENTIAL_ERRORS.has(e.name)) {
      return new UserError(
        `No valid AWS credentials (${e.name}: ${firstLine(message)}): run \`aws configure sso\` / \`aws sso login\`, or pass --profile <name>`,
      );
    }
    if (/region is missing/i.test(message)) {
      return new UserError('No AWS region configured: pass --region <region> or set AWS_REGION');
    }
    if (isConnectionError(err)) {
      return new UserError(`Cannot reach AWS (${firstLine(message)}): check the network or --region`);
    }
  }
  return err instanceof Error ? err : new Error(String(err));
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
