/**
 * Builds the lab console (the web page `npm start` serves) with the project's esbuild: one browser
 * bundle of `console/src/main.ts` (AWS SDK v3 browser clients included), its stylesheet and
 * `index.html`, all held in memory. A build is cached under `node_modules/.cache/lab-console/`,
 * keyed by the console's sources and the lockfile, so a restart with nothing changed skips esbuild.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** One file of the built console, as the engine's static site takes it. */
export interface ConsoleAsset {
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** The built console. */
export interface ConsoleBuild {
  readonly assets: readonly ConsoleAsset[];
  /** True when the bundle came from the cache. */
  readonly cached: boolean;
  readonly ms: number;
}

const CONSOLE_DIR = __dirname;
const PROJECT_DIR = path.resolve(CONSOLE_DIR, '..');
const CACHE_DIR = path.join(PROJECT_DIR, 'node_modules', '.cache', 'lab-console');
const BUNDLE = 'console.js';
const STYLES = 'console.css';

/** Builds the console, or reads the cached build when its inputs have not changed. */
export async function buildConsole(opts: { readonly cacheDir?: string } = {}): Promise<ConsoleBuild> {
  const started = Date.now();
  const cacheDir = path.join(opts.cacheDir ?? CACHE_DIR, inputsHash());
  const bundlePath = path.join(cacheDir, BUNDLE);
  let cached = fs.existsSync(bundlePath);
  if (!cached) {
    const tmp = `${cacheDir}.${process.pid}.tmp`;
    await esbuild.build({
      entryPoints: [path.join(CONSOLE_DIR, 'src', 'main.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2022'],
      outfile: path.join(tmp, BUNDLE),
      legalComments: 'none',
      logLevel: 'silent',
    });
    fs.copyFileSync(path.join(CONSOLE_DIR, 'styles.css'), path.join(tmp, STYLES));
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.renameSync(tmp, cacheDir);
    cached = false;
  }
  return {
    cached,
    ms: Date.now() - started,
    assets: [
      {
        path: '/',
        contentType: 'text/html; charset=utf-8',
        body: fs.readFileSync(path.join(CONSOLE_DIR, 'index.html')),
      },
      {
        path: `/assets/${BUNDLE}`,
        contentType: 'text/javascript; charset=utf-8',
        body: fs.readFileSync(bundlePath),
      },
      {
        path: `/assets/${STYLES}`,
        contentType: 'text/css; charset=utf-8',
        body: fs.readFileSync(path.join(cacheDir, STYLES)),
      },
    ],
  };
}

/** A hash of everything the bundle is made of: the console's files, the lockfile and esbuild's version. */
function inputsHash(): string {
  const hash = createHash('sha256').update(esbuild.version);
  const files = [path.join(PROJECT_DIR, 'package-lock.json'), ...listFiles(CONSOLE_DIR)].sort();
  for (const file of files) hash.update(file).update(fs.readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
