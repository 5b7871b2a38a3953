import { createHash, randomBytes } from 'node:crypto';

/**
 * Who calls the endpoint. A function (or Lambda's own machinery acting for it: pollers, the
 * asynchronous queue, destinations) carries its execution role; an AWS service delivering to a
 * function or a queue is a service principal; anyone else is the local administrator.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
 */
export type Principal =
  | { readonly kind: 'admin' }
  | {
      readonly kind: 'role';
      readonly functionName: string;
      readonly roleArn: string;
      /** `arn:aws:sts::<acct>:assumed-role/<role>/<function>`: what AWS names in messages. */
      readonly sessionArn: string;
    }
  | {
      readonly kind: 'service';
      /** e.g. `s3.amazonaws.com`. */
      readonly service: string;
      readonly sourceArn?: string;
      readonly sourceAccount?: string;
    };

/** The local administrator: any credentials that are not a function's. */
export const ADMIN: Principal = { kind: 'admin' };

/** Session credentials as Lambda puts them in a function's environment. */
export interface RoleCredentials {
  readonly AWS_ACCESS_KEY_ID: string;
  readonly AWS_SECRET_ACCESS_KEY: string;
  readonly AWS_SESSION_TOKEN: string;
}

/**
 * Prefix of every access key id the engine gives a function (`ASIA` is AWS's prefix for temporary
 * credentials); a key with it that the engine did not issue is rejected as an invalid token.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
export const FUNCTION_KEY_PREFIX = 'ASIALAB';

/** The role session principal of a function, as Lambda assumes the role (session name = function name). */
export function rolePrincipal(functionName: string, roleArn: string): Principal {
  const m = /^arn:([^:]+):iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const sessionArn = m ? `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${functionName}` : roleArn;
  return { kind: 'role', functionName, roleArn, sessionArn };
}

/** Issues and recognizes the functions' credentials. */
export class CredentialIssuer {
  private readonly byKey = new Map<string, Principal>();
  private readonly secret = randomBytes(12).toString('hex');

  /** The credentials of a function's execution environments: one access key id per function. */
  issue(functionName: string, roleArn: string): RoleCredentials {
    const digest = createHash('sha256').update(functionName).digest('hex').toUpperCase();
    const key = `${FUNCTION_KEY_PREFIX}${digest
      .replace(/[^A-Z2-7]/g, '')
      .padEnd(13, 'Q')
      .slice(0, 13)}`;
    this.byKey.set(key, rolePrincipal(functionName, roleArn));
    return {
      AWS_ACCESS_KEY_ID: key,
      AWS_SECRET_ACCESS_KEY: `${this.secret}${digest.slice(0, 16)}`,
      AWS_SESSION_TOKEN: `lab-session-${digest.slice(0, 32)}`,
    };
  }

  /** The principal of an access key id; `undefined` for a function key the engine never issued. */
  principalOf(accessKeyId: string | undefined): Principal | undefined {
    if (!accessKeyId) return ADMIN;
    const known = this.byKey.get(accessKeyId);
    if (known) return known;
    return accessKeyId.startsWith(FUNCTION_KEY_PREFIX) ? undefined : ADMIN;
  }
}
