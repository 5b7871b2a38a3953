/**
 * The `timeout` drill: keep the invocation busy past the function's timeout.
 */
import { DrillError } from './drills';

/** Lambda stops the invocation at the deadline; this margin only matters where nothing stops it (unit tests). */
const OVERRUN_MS = 250;

/** Anything with Lambda's `getRemainingTimeInMillis()`. */
export interface Deadline {
  getRemainingTimeInMillis(): number;
}

/**
 * Waits until just after the invocation's deadline, then throws: in Lambda the runtime has already ended the
 * invocation with `Task timed out after N seconds` by then.
 *
 * @see docs/aws-semantics.md §A.4 (L-TIMEOUT)
 */
export async function hangPastDeadline(deadline: Deadline): Promise<never> {
  const waitMs = Math.max(0, deadline.getRemainingTimeInMillis()) + OVERRUN_MS;
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  throw new DrillError(`drill "timeout": still running ${OVERRUN_MS} ms after the function timeout`);
}
