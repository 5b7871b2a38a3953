/**
 * The run-time business limit read from Systems Manager Parameter Store, cached per execution environment.
 *
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/parameters/
 */
import { SettingError } from './settings';

/** What the reader needs of Powertools' `SSMProvider`: a cached `get`. */
export interface ParameterSource {
  get(name: string, options: { maxAge: number }): Promise<unknown>;
}

/** Returns the current largest accepted quantity. */
export type MaxQuantityReader = () => Promise<number>;

/**
 * Reads the parameter through the Powertools provider, which keeps the value for `maxAgeSeconds` so a warm
 * function does not call SSM on every event, yet picks up a change made in the console within that time.
 */
export function createMaxQuantityReader(
  provider: ParameterSource,
  parameterName: string,
  maxAgeSeconds: number,
): MaxQuantityReader {
  return async () => {
    const raw = await provider.get(parameterName, { maxAge: maxAgeSeconds });
    const value = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || value < 1) {
      throw new SettingError(`Parameter ${parameterName} must hold a positive integer (given ${JSON.stringify(raw)})`);
    }
    return value;
  };
}
