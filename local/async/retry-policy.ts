/**
 * Lambda's asynchronous retry timing, as pure functions.
 *
 * Function errors: "by default Lambda attempts to run it two more times, with a one-minute wait
 * between the first two attempts, and two minutes between the second and third attempts."
 * Throttles and system errors: "The retry interval increases exponentially from 1 second after the
 * first attempt to a maximum of 5 minutes", for up to the maximum event age, without using up
 * `MaximumRetryAttempts`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */

/** Waits before the 1st and 2nd retry of a function error. */
export const FUNCTION_ERROR_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];

/** First and longest wait after a throttle or system error. */
export const THROTTLE_RETRY_FIRST_MS = 1_000;
export const THROTTLE_RETRY_MAX_MS = 300_000;

/** Range of `MaximumRetryAttempts` (default 2). @see https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html */
export const MAX_RETRY_ATTEMPTS = 2;
/** Range of `MaximumEventAgeInSeconds`: 60–21,600, default 21,600 (6 hours). */
export const MIN_EVENT_AGE_SECONDS = 60;
export const MAX_EVENT_AGE_SECONDS = 21_600;

/** Wait before retry number `retry` (1-based) after a function error. */
export function functionErrorRetryDelay(retry: number): number {
  const delays = FUNCTION_ERROR_RETRY_DELAYS_MS;
  return delays[Math.min(Math.max(retry, 1), delays.length) - 1]!;
}

/** Wait after the `throttles`-th (1-based) throttle or system error of an event: 1 s, 2 s, 4 s, … capped at 5 min. */
export function throttleRetryDelay(throttles: number): number {
  const exponent = Math.max(0, throttles - 1);
  return Math.min(THROTTLE_RETRY_FIRST_MS * 2 ** Math.min(exponent, 30), THROTTLE_RETRY_MAX_MS);
}

/** True when an event received at `receivedAt` is too old to be tried at `now`. */
export function isEventTooOld(receivedAt: number, now: number, maximumEventAgeInSeconds: number): boolean {
  return now - receivedAt >= maximumEventAgeInSeconds * 1000;
}
