/** The shapes the request map and its per-service tables share. */
import type { ServiceRequest } from '../endpoint/types';

/** The parts of an endpoint request the map reads: all but the caller's address. */
export type MappedRequest = Pick<
  ServiceRequest,
  'method' | 'path' | 'rawQuery' | 'query' | 'headers' | 'body' | 'service' | 'region'
>;

/** One authorization check: an action on a resource ARN (`*` for actions without a resource type). */
export interface AccessCheck {
  readonly action: string;
  readonly resource: string;
}

/** Facts the map needs to build ARNs. */
export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
  /** A secret's ARN by name, when the engine knows the secret (ARNs end in a random suffix). */
  readonly secretArnOf?: (nameOrArn: string) => string | undefined;
}

/** Builds the checks of one operation from its parsed input. */
export type OperationRule = (input: Record<string, unknown>, ctx: ArnContext) => readonly AccessCheck[];

/** A service's table: IAM prefix and the rule per operation (absent: the action on `*`). */
export interface ServiceTable {
  readonly prefix: string;
  readonly rules: Readonly<Record<string, OperationRule>>;
}

/** `arn:aws:<service>:<region>:<account>:<resource>`. */
export function arnOf(service: string, ctx: ArnContext, resource: string): string {
  return `arn:aws:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
}

/** A string member of an operation's input, or `undefined`. */
export function field(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' ? v : undefined;
}
