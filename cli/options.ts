/** Option parsers shared by the commands: each rejects a bad value with the range and the given value. */
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../lib/config/app-config';

/** An integer parser for `--name` within `min`-`max`. */
export function integerIn(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer ${min}-${max} (given ${value})`);
    }
    return n;
  };
}

/** A number parser for `--name` within `min`-`max`. */
export function numberIn(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a number ${min}-${max} (given ${value})`);
    }
    return n;
  };
}

/** `--owner`, checked with the CDK app's own rule (lib/config), so the CLI accepts exactly what deploys. */
export function parseOwner(value: string): string {
  try {
    return loadConfig({ tryGetContext: (key) => (key === 'owner' ? value : undefined) }).owner;
  } catch {
    throw new InvalidArgumentError(
      `--owner must be 1-20 lowercase letters, digits or hyphens, starting with a letter (given ${value})`,
    );
  }
}

/** `--endpoint`: an http(s) URL. */
export function parseEndpoint(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw new InvalidArgumentError(`--endpoint must be an http(s) URL such as http://127.0.0.1:4566 (given ${value})`);
}
