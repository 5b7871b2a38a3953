import type { AssemblyModel, QueueModel } from '../assembly/model';

/**
 * Queues in creation order: a dead-letter queue before the queues that redrive to it (CreateQueue
 * rejects a RedrivePolicy whose target does not exist), otherwise in model order.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html
 */
export function queueCreationOrder(queues: readonly QueueModel[]): QueueModel[] {
  const byArn = new Map(queues.map((q) => [q.arn, q]));
  const done = new Set<string>();
  const out: QueueModel[] = [];
  const visit = (q: QueueModel, path: Set<string>): void => {
    if (done.has(q.arn) || path.has(q.arn)) return;
    path.add(q.arn);
    const dlq = q.redrivePolicy ? byArn.get(q.redrivePolicy.deadLetterTargetArn) : undefined;
    if (dlq) visit(dlq, path);
    done.add(q.arn);
    out.push(q);
  };
  for (const q of queues) visit(q, new Set());
  return out;
}

/**
 * Queues in waves that can be created concurrently: every queue comes in a wave after its
 * dead-letter queue's.
 */
export function queueCreationWaves(queues: readonly QueueModel[]): QueueModel[][] {
  const byArn = new Map(queues.map((q) => [q.arn, q]));
  const depth = new Map<QueueModel, number>();
  const depthOf = (q: QueueModel, seen: Set<QueueModel>): number => {
    const known = depth.get(q);
    if (known !== undefined) return known;
    const dlq = q.redrivePolicy ? byArn.get(q.redrivePolicy.deadLetterTargetArn) : undefined;
    const d = dlq && !seen.has(dlq) ? depthOf(dlq, new Set([...seen, q])) + 1 : 0;
    depth.set(q, d);
    return d;
  };
  const waves: QueueModel[][] = [];
  for (const q of queueCreationOrder(queues)) (waves[depthOf(q, new Set())] ??= []).push(q);
  return waves.filter((w) => w.length > 0);
}

/**
 * Replaces every value the reader predicted with the one the local service reported (a DynamoDB
 * stream label, a subscription ARN, a queue URL), everywhere in the model: mappings, outputs,
 * environment variables. Pure; returns the same object when nothing changes.
 */
export function substituteValues(model: AssemblyModel, replacements: ReadonlyMap<string, string>): AssemblyModel {
  const pairs = [...replacements].filter(([from, to]) => from !== '' && from !== to);
  if (pairs.length === 0) return model;
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      let out = value;
      for (const [from, to] of pairs) if (out.includes(from)) out = out.split(from).join(to);
      return out;
    }
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    }
    return value;
  };
  return visit(model) as AssemblyModel;
}
