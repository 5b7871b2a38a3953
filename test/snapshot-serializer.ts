/**
 * Replaces 64-hex asset hashes so stack snapshots change only when a template does,
 * not when a handler is edited or the checkout moves to another path.
 */
const HASH = /[0-9a-f]{64}/g;
const HAS_HASH = /[0-9a-f]{64}/;
type Printer = (val: unknown, config: unknown, indentation: string, depth: number, refs: unknown) => string;
export = {
  test(val: unknown): boolean {
    return typeof val === 'string' && HAS_HASH.test(val);
  },
  serialize(val: string, config: unknown, indentation: string, depth: number, refs: unknown, printer: Printer): string {
    return printer(val.replace(HASH, '[ASSET HASH]'), config, indentation, depth, refs);
  },
};
