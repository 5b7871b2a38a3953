/**
 * Failure drills: how an order asks a function to fail, so students can watch retries, DLQs and destinations.
 *
 * Pure: the attempt number comes from outside (a DynamoDB counter), never from module state, because every
 * retry may land in a fresh execution environment.
 */
import type { Drill } from './order';

/** What a drill asks the current attempt to do. */
export type DrillStep =
  { readonly kind: 'proceed' } | { readonly kind: 'fail'; readonly message: string } | { readonly kind: 'hang' };

/** Whether the drill needs the attempt number (read and incremented in DynamoDB) to decide. */
export function needsAttemptCount(drill: Drill | undefined): boolean {
  return drill === 'error-once';
}

/**
 * Decides what the attempt does.
 *
 * @param drill the order's drill, if any
 * @param attempt 1 for the first attempt at this order, 2 for the next…; ignored unless {@link needsAttemptCount}
 */
export function planDrill(drill: Drill | undefined, attempt: number): DrillStep {
  switch (drill) {
    case undefined:
      return { kind: 'proceed' };
    case 'error':
      return { kind: 'fail', message: 'drill "error": this order fails on every attempt' };
    case 'error-once':
      return attempt <= 1
        ? { kind: 'fail', message: `drill "error-once": attempt ${attempt} fails, the next one succeeds` }
        : { kind: 'proceed' };
    case 'timeout':
      return { kind: 'hang' };
  }
}

/** The error a failing drill throws; its name shows up as `errorType` in Lambda's error payload. */
export class DrillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrillError';
  }
}
