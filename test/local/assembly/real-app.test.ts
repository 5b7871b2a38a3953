import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AssemblyModel } from '../../../local/assembly/model';
import { readAssembly } from '../../../local/assembly/read-assembly';
import { E2E_CDK_OUT, E2E_OWNER, ensureE2eAssembly } from '../../e2e/assembly';

describe('readAssembly of the project app', () => {
  let model: AssemblyModel;

  beforeAll(async () => {
    // GIVEN the four pattern stacks synthesized with real bundles (shared with the end-to-end tests)
    await ensureE2eAssembly();
    // WHEN the engine reads it
    model = readAssembly(E2E_CDK_OUT, {
      region: 'us-east-1',
      accountId: '000000000000',
      endpointUrl: 'http://127.0.0.1:4566',
      owner: E2E_OWNER,
    });
  }, 180_000);

  it('reads the four pattern stacks', () => {
    expect(model.stacks.map((s) => s.stackName).sort()).toEqual(
      ['e2e-AsyncEvents', 'e2e-QueuePolling', 'e2e-RequestResponse', 'e2e-StreamPolling'].sort(),
    );
  });

  it('supports every resource type the app uses', () => {
    const unsupported = model.stacks.flatMap((s) => s.resources.filter((r) => r.disposition === 'unsupported'));
    expect(unsupported).toEqual([]);
  });

  it('finds the bundle of every function through its asset metadata', () => {
    const functions = model.stacks.flatMap((s) => s.functions);
    expect(functions).toHaveLength(8);
    for (const fn of functions) expect(fs.existsSync(path.join(fn.codeDir, 'index.js'))).toBe(true);
  });

  it('points the API URL output at the local gateway', () => {
    const outputs = model.stacks.flatMap((s) => s.outputs);
    const apiUrls = outputs.filter((o) => o.value.includes('execute-api.') && !o.key.includes('Console'));
    expect(apiUrls).toEqual([]);
    expect(outputs.some((o) => o.value.startsWith('http://127.0.0.1:4566/restapis/'))).toBe(true);
  });
});
