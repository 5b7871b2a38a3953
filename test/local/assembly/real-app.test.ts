import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { AssemblyModel } from '../../../local/assembly/model';
import { readAssembly } from '../../../local/assembly/read-assembly';
import { loadConfig } from '../../../lib/config';
import { createStacks } from '../../../lib/create-stacks';

/** The project's cdk.json context (feature flags), so the test synthesizes what `cdk synth` does. */
const cdkContext = (
  JSON.parse(fs.readFileSync(path.join(__dirname, '../../../cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

describe('readAssembly of the project app', () => {
  let outdir: string;
  let model: AssemblyModel;

  beforeAll(() => {
    // GIVEN the four pattern stacks synthesized for owner `lab` (templates only: bundling skipped)
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-app-'));
    const app = new App({
      outdir,
      context: {
        ...cdkContext,
        owner: 'lab',
        nag: false,
        'aws:cdk:bundling-stacks': [],
        'aws:cdk:enable-asset-metadata': true,
      },
    });
    createStacks(app, loadConfig(app.node));
    app.synth();
    // WHEN the engine reads it
    model = readAssembly(outdir, {
      region: 'us-east-1',
      accountId: '000000000000',
      endpointUrl: 'http://127.0.0.1:4566',
      owner: 'lab',
    });
  }, 180_000);

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('reads the four pattern stacks', () => {
    expect(model.stacks.map((s) => s.stackName).sort()).toEqual(
      ['lab-AsyncEvents', 'lab-QueuePolling', 'lab-RequestResponse', 'lab-StreamPolling'].sort(),
    );
  });

  it('supports every resource type the app uses', () => {
    const unsupported = model.stacks.flatMap((s) => s.resources.filter((r) => r.disposition === 'unsupported'));
    expect(unsupported).toEqual([]);
  });

  it('finds a code folder for every function', () => {
    const functions = model.stacks.flatMap((s) => s.functions);
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const fn of functions) expect(fs.existsSync(fn.codeDir)).toBe(true);
  });

  it('points the API URL output at the local gateway', () => {
    const outputs = model.stacks.flatMap((s) => s.outputs);
    const apiUrls = outputs.filter((o) => o.value.includes('execute-api.') && !o.key.includes('Console'));
    expect(apiUrls).toEqual([]);
    expect(outputs.some((o) => o.value.startsWith('http://127.0.0.1:4566/restapis/'))).toBe(true);
  });
});
