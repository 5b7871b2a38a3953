/**
 * Builds the four pattern stacks from a validated config; used by `bin/app.ts` and the tests.
 */
import { Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import { AsyncEventsStack } from './stacks/async-events-stack';
import { QueuePollingStack } from './stacks/queue-polling-stack';
import { RequestResponseStack } from './stacks/request-response-stack';
import { StreamPollingStack } from './stacks/stream-polling-stack';

/** The four stacks, one per invocation pattern. */
export interface PatternStacks {
  readonly requestResponse: RequestResponseStack;
  readonly asyncEvents: AsyncEventsStack;
  readonly streamPolling: StreamPollingStack;
  readonly queuePolling: QueuePollingStack;
}

/** Stack name suffix of each pattern; the full name is `<owner>-<suffix>`. */
export const STACK_SUFFIXES = {
  requestResponse: 'RequestResponse',
  asyncEvents: 'AsyncEvents',
  streamPolling: 'StreamPolling',
  queuePolling: 'QueuePolling',
} as const;

/**
 * Creates `<owner>-RequestResponse`, `<owner>-AsyncEvents`, `<owner>-StreamPolling` and `<owner>-QueuePolling`,
 * env-agnostic (synth needs no credentials), each tagged with the project, owner and stage.
 */
export function createStacks(scope: Construct, config: AppConfig): PatternStacks {
  const props = (pattern: string) => ({
    config,
    description: `Lambda Pipelines Lab: ${pattern} pattern (owner ${config.owner}, stage ${config.stage})`,
  });
  const id = (suffix: string): string => `${config.owner}-${suffix}`;
  const stacks: PatternStacks = {
    requestResponse: new RequestResponseStack(scope, id(STACK_SUFFIXES.requestResponse), props('request/response')),
    asyncEvents: new AsyncEventsStack(scope, id(STACK_SUFFIXES.asyncEvents), props('asynchronous events')),
    streamPolling: new StreamPollingStack(scope, id(STACK_SUFFIXES.streamPolling), props('stream polling')),
    queuePolling: new QueuePollingStack(scope, id(STACK_SUFFIXES.queuePolling), props('queue polling')),
  };
  for (const stack of Object.values(stacks)) {
    Tags.of(stack).add('project', 'lambda-pipelines-lab');
    Tags.of(stack).add('owner', config.owner);
    Tags.of(stack).add('stage', config.stage);
  }
  return stacks;
}
