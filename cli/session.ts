/** What both commands do first: resolve the target, build the clients, find the owner's stacks. */
import { createClients, type Clients } from './clients';
import { explainError } from './errors';
import { findStacks, requireStacks } from './stacks';
import type { Pattern, StackOutputs } from './sources';
import { resolveTarget, type Target, type TargetOptions } from './target';

/** A target with its clients and the outputs of the stacks a command needs. */
export interface Session {
  readonly target: Target;
  readonly clients: Clients;
  readonly outputs: StackOutputs;
  /** Turns an SDK or network error into a one-line user error where it is one. */
  explain(err: unknown): Error;
}

/** Resolves the target and finds the stacks of `patterns`; closes the clients if that fails. */
export async function openSession(
  opts: TargetOptions,
  env: Readonly<Record<string, string | undefined>>,
  patterns: readonly Pattern[],
): Promise<Session> {
  const target = resolveTarget(opts, env);
  const clients = createClients(target);
  const explain = (err: unknown): Error =>
    explainError(
      err,
      target.kind,
      target.kind === 'local' ? target.endpoint : undefined,
      target.kind === 'aws' ? (target.profile ?? env['AWS_PROFILE']) : undefined,
    );
  try {
    const where =
      target.kind === 'local'
        ? `the local engine at ${target.endpoint}`
        : `region ${await clients.cloudformation.config.region()}`;
    const found = await findStacks(clients.cloudformation, target.owner, where);
    return { target, clients, outputs: requireStacks(found, patterns), explain };
  } catch (err) {
    clients.destroy();
    throw explain(err);
  }
}
