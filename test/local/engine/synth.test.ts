import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AssemblyFolderError, ensureAssembly } from '../../../local/engine/synth';

const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..');

/** A folder with a cloud assembly synthesized elsewhere (by `cdk synth -c owner=alice -o <dir>`). */
function foreignAssembly(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-assembly-'));
  const manifest = {
    version: '48.0.0',
    artifacts: {
      'alice-QueuePolling': { type: 'aws:cloudformation:stack', properties: { stackName: 'alice-QueuePolling' } },
    },
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'alice-QueuePolling.template.json'), '{}');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'my notes');
  return dir;
}

function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

describe('the assembly folder belongs to its user', () => {
  let dir: string;

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a folder holding an assembly for another owner WHEN the engine needs one for local THEN it refuses and leaves every file', async () => {
    dir = foreignAssembly();
    const before = listing(dir);

    const error = await ensureAssembly({ projectDir: PROJECT_DIR, outDir: dir, owner: 'local' }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(AssemblyFolderError);
    expect((error as Error).message).toContain('alice-QueuePolling');
    expect(listing(dir)).toEqual(before);
  });

  test('GIVEN a folder of files that are not a cloud assembly WHEN the engine is pointed at it THEN it refuses and leaves every file', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-files-'));
    fs.writeFileSync(path.join(dir, 'thesis.tex'), 'chapter 1');

    const error = await ensureAssembly({ projectDir: PROJECT_DIR, outDir: dir, owner: 'local' }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(AssemblyFolderError);
    expect((error as Error).message).toContain('not a cloud assembly');
    expect(fs.readFileSync(path.join(dir, 'thesis.tex'), 'utf8')).toBe('chapter 1');
  });

  test('GIVEN npm start with --cdk-out naming a foreign assembly WHEN it starts THEN it exits 1 with one line and the folder is intact', () => {
    dir = foreignAssembly();
    const before = listing(dir);

    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_DIR, 'bin', 'local.ts'), '--port', '0', '--cdk-out', dir],
      { cwd: PROJECT_DIR, encoding: 'utf8', timeout: 60_000 },
    );

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`Refusing to synthesize into ${dir}`)]);
    expect(listing(dir)).toEqual(before);
  }, 60_000);
});
