import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureAssembly } from '../../local/engine/synth';

/** The project root. */
export const PROJECT_DIR = path.resolve(__dirname, '..', '..');

/** The end-to-end tests' own cloud assembly, so `npm start`'s `cdk.out` (owner `local`) is left alone. */
export const E2E_CDK_OUT = path.join(PROJECT_DIR, 'cdk.out.e2e');

/** Stack name prefix of the end-to-end tests. */
export const E2E_OWNER = 'e2e';

const LOCK = `${E2E_CDK_OUT}.lock`;
const STALE_LOCK_MS = 180_000;

/**
 * Synthesizes the app (with real esbuild bundles) for the end-to-end tests unless their assembly is
 * up to date. Test files may run in parallel workers, so one synthesizes while the others wait on a
 * lock folder (mkdir is atomic).
 */
export async function ensureE2eAssembly(): Promise<void> {
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS || Date.now() > deadline) fs.rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await ensureAssembly({ projectDir: PROJECT_DIR, outDir: E2E_CDK_OUT, owner: E2E_OWNER, owned: true });
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
