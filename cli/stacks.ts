/** Finds the app's stacks for an owner through CloudFormation and reads their outputs. */
import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { UserError } from './errors';
import { PATTERNS, type Pattern, type StackOutputs } from './sources';

const STACK_NAME = new RegExp(`^(.+)-(${PATTERNS.join('|')})$`);

/** The owner's deployed stacks: outputs by pattern (an absent pattern has no entry). */
export interface OwnerStacks {
  readonly owner: string;
  readonly outputs: Partial<StackOutputs>;
}

/**
 * Lists the stacks, keeps `<owner>-<Pattern>` and returns their outputs.
 *
 * @throws UserError when the owner has none, listing the owners that have some (or saying none are deployed)
 */
export async function findStacks(
  cloudformation: CloudFormationClient,
  owner: string,
  where: string,
): Promise<OwnerStacks> {
  const stacks: Stack[] = [];
  let token: string | undefined;
  do {
    const page = await cloudformation.send(new DescribeStacksCommand({ NextToken: token }));
    stacks.push(...(page.Stacks ?? []));
    token = page.NextToken;
  } while (token);
  const outputs: Partial<Record<Pattern, Record<string, string>>> = {};
  const owners = new Set<string>();
  for (const stack of stacks) {
    const match = STACK_NAME.exec(stack.StackName ?? '');
    if (!match) continue;
    owners.add(match[1]!);
    if (match[1] !== owner) continue;
    outputs[match[2] as Pattern] = Object.fromEntries(
      (stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  }
  if (Object.keys(outputs).length === 0) {
    const others = [...owners].sort();
    throw new UserError(
      others.length > 0
        ? `No stacks for owner "${owner}" in ${where}; owners found: ${others.join(', ')}. Pass --owner <name>`
        : `No Lambda Pipelines Lab stacks in ${where}: deploy them (\`npx cdk deploy --all -c owner=${owner}\`) or pick the region with --region`,
    );
  }
  return { owner, outputs };
}

/**
 * The outputs of the stacks `patterns` need.
 *
 * @throws UserError naming the missing stack and the deploy command
 */
export function requireStacks(found: OwnerStacks, patterns: readonly Pattern[]): StackOutputs {
  for (const pattern of patterns) {
    if (!found.outputs[pattern]) {
      const deployed = PATTERNS.filter((p) => found.outputs[p])
        .map((p) => `${found.owner}-${p}`)
        .join(', ');
      throw new UserError(
        `Stack ${found.owner}-${pattern} is not deployed (deployed: ${deployed}): run \`npx cdk deploy ${found.owner}-${pattern} -c owner=${found.owner}\``,
      );
    }
  }
  const empty: Record<string, string> = {};
  return {
    RequestResponse: found.outputs.RequestResponse ?? empty,
    AsyncEvents: found.outputs.AsyncEvents ?? empty,
    StreamPolling: found.outputs.StreamPolling ?? empty,
    QueuePolling: found.outputs.QueuePolling ?? empty,
  };
}
