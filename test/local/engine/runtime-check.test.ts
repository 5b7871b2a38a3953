import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngine } from '../../../local/engine/engine';

const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..');

/** A cloud assembly with one stack holding one inline function on `runtime`. */
function assemblyWithFunctionOn(runtime: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-runtime-check-'));
  const template = {
    Resources: {
      Handler: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: runtime,
          Handler: 'index.handler',
          Code: { ZipFile: 'exports.handler = async () => 1;' },
          Role: 'arn:aws:iam::000000000000:role/handler',
        },
      },
    },
  };
  fs.writeFileSync(path.join(dir, 'alice-Functions.template.json'), JSON.stringify(template));
  const artifacts = {
    'alice-Functions': {
      type: 'aws:cloudformation:stack',
      properties: { templateFile: 'alice-Functions.template.json' },
    },
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  return dir;
}

describe('deploying a function', () => {
  it('fails the deploy with InvalidParameterValueException when the engine cannot run its runtime', async () => {
    // GIVEN an assembly whose function runs on python3.13
    const cdkOut = assemblyWithFunctionOn('python3.13');
    try {
      // WHEN the engine deploys it
      const started = startEngine({ port: 0, owner: 'alice', projectDir: PROJECT_DIR, cdkOut });

      // THEN the deploy fails with Lambda's error for the runtime value
      await expect(started).rejects.toThrow(
        expect.objectContaining({
          name: 'InvalidParameterValueException',
          message: expect.stringMatching(/^The runtime parameter of python3\.13 is not supported/) as unknown,
        }) as Error,
      );
    } finally {
      fs.rmSync(cdkOut, { recursive: true, force: true });
    }
  });
});
