import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The layering of the engine and the app (eslint.config.mjs, `import-x/no-restricted-paths`):
 * bin → local/engine → (apigateway, async, pollers) → (runtime, endpoint, assembly, iam) → local/core,
 * and lambda/ imports nothing from lib/ or local/. Each case plants an import in a real folder
 * (as text, nothing is written) and asks ESLint whether it passes.
 */
const root = path.resolve(__dirname, '../..');

const refused: Array<[string, string, string]> = [
  ['local/core/planted.ts', "export { startEngine } from '../engine/engine';", 'bottom layer'],
  ['local/core/planted.ts', "export { LambdaRuntime } from '../runtime';", 'bottom layer'],
  ['local/pollers/planted.ts', "export { startEngine } from '../engine/engine';", 'composition root'],
  ['local/runtime/planted.ts', "export { SqsPoller } from '../pollers/sqs-poller';", 'import down only'],
  ['local/endpoint/planted.ts', "export { TimelineInvoker } from '../engine/invoker';", 'import down only'],
  ['local/iam/planted.ts', "export { startEngine } from '../engine/engine';", 'import down only'],
  ['local/iam/planted.ts', "export { SqsPoller } from '../pollers/sqs-poller';", 'import down only'],
  ['lambda/shared/planted.ts', "export * from '../../lib/config';", 'imports nothing from lib/'],
  ['lambda/shared/planted.ts', "export { Timeline } from '../../local/core/timeline';", 'imports nothing from lib/'],
  ['local/engine/planted.ts', "export * from '../../lib/config';", 'never lib/'],
];
const allowed: Array<[string, string]> = [
  ['local/pollers/planted.ts', "export { Timeline } from '../core/timeline';"],
  ['local/engine/planted.ts', "export { SqsPoller } from '../pollers/sqs-poller';"],
  ['local/async/planted.ts', "export { LambdaRuntime } from '../runtime';"],
  ['bin/planted.ts', "export { startEngine } from '../local/engine/engine';"],
  ['local/engine/planted.ts', "export { LocalIam } from '../iam';"],
  ['local/iam/planted.ts', "export { Timeline } from '../core/timeline';"],
];

/**
 * ESLint loads its flat config by dynamic import, which Jest's VM does not allow, so the cases are
 * linted in one plain Node process through ESLint's API (`lintText`: nothing is written to disk).
 */
function lintAll(cases: ReadonlyArray<readonly [string, string]>): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const path = require('node:path');
    const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const [file, source] of cases) {
        const [result] = await eslint.lintText(source, { filePath: path.resolve(file) });
        out.push(result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const stdout = execFileSync(process.execPath, ['-e', script], { cwd: root, input: JSON.stringify(cases) });
  return JSON.parse(stdout.toString()) as string[][];
}

let results: string[][];
beforeAll(() => {
  results = lintAll([...refused.map(([f, s]) => [f, s] as const), ...allowed]);
}, 60_000);

describe('import boundaries', () => {
  it.each(refused.map((c, i) => [...c, i] as const))(
    'refuses an import that points up or across: %s ← %s',
    (_file, _source, message, i) => {
      expect(results[i]).toHaveLength(1);
      expect(results[i]?.[0]).toContain(message);
    },
  );

  it.each(allowed.map((c, i) => [...c, refused.length + i] as const))(
    'allows an import that points down: %s ← %s',
    (_file, _source, i) => {
      expect(results[i]).toEqual([]);
    },
  );
});
