import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Options of {@link ensureAssembly}. */
export interface EnsureAssemblyOptions {
  /** The project root (where `cdk.json` is). */
  readonly projectDir: string;
  /** The cloud assembly folder. @default `<projectDir>/cdk.out` */
  readonly outDir?: string;
  /** Stack name prefix the assembly must be synthesized for. */
  readonly owner: string;
  /** Synthesize even when the assembly looks up to date. @default false */
  readonly force?: boolean;
  /**
   * The caller owns `outDir` (a test harness's own folder) and lets the engine rewrite it.
   * @default false: only empty folders, folders the engine synthesized and the project's `cdk.out`
   */
  readonly owned?: boolean;
}

/** What {@link ensureAssembly} did. */
export interface EnsureAssemblyResult {
  readonly outDir: string;
  /** False when an up-to-date assembly was reused. */
  readonly synthesized: boolean;
  readonly reason: string;
  readonly ms: number;
}

/** Thrown when the CDK app fails to synthesize; carries the app's own output. */
export class SynthError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'SynthError';
  }
}

/**
 * Thrown when the assembly folder holds something the engine did not make: a user's folder is
 * never deleted or overwritten.
 */
export class AssemblyFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyFolderError';
  }
}

/** The file the engine leaves in every folder it synthesizes into: its licence to rewrite it. */
export const ENGINE_MARKER = '.local-engine';

/** What the CDK app writes into a cloud assembly folder; nothing else is ever removed. */
const ASSEMBLY_ENTRY = /^(manifest\.json|tree\.json|cdk\.out|.+\.template\.json|.+\.assets\.json|asset\..+)$/;

/** Inputs of the synthesized assembly: when any is newer than `manifest.json`, it is stale. */
const SOURCES = ['bin', 'lib', 'lambda', 'cdk.json', 'package-lock.json'];

/**
 * Makes sure `cdk.out` holds an up-to-date assembly of the app for `owner`, synthesizing only when
 * a source is newer than the manifest or the manifest was made for another owner.
 *
 * It runs the app the way the CDK CLI does (`CDK_OUTDIR` and `CDK_CONTEXT_JSON` with the cdk.json
 * context, `aws:cdk:enable-asset-metadata` on so each function's code folder is named in the
 * template), without the CLI's own start-up cost.
 */
export async function ensureAssembly(opts: EnsureAssemblyOptions): Promise<EnsureAssemblyResult> {
  const started = Date.now();
  const outDir = opts.outDir ?? path.join(opts.projectDir, 'cdk.out');
  const reason = opts.force ? 'forced' : staleness(opts.projectDir, outDir, opts.owner);
  if (!reason) return { outDir, synthesized: false, reason: 'up to date', ms: Date.now() - started };

  const cdkJson = JSON.parse(fs.readFileSync(path.join(opts.projectDir, 'cdk.json'), 'utf8')) as {
    app?: string;
    context?: Record<string, unknown>;
  };
  const context = {
    ...cdkJson.context,
    owner: opts.owner,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:enable-path-metadata': true,
  };
  assertRewritable(outDir, path.join(opts.projectDir, 'cdk.out'), reason, opts.owned ?? false);
  clearAssembly(outDir);
  const output = await run(process.execPath, ['--import', 'tsx', path.join(opts.projectDir, 'bin', 'app.ts')], {
    cwd: opts.projectDir,
    env: {
      ...process.env,
      CDK_OUTDIR: outDir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      // The WASM template validator costs seconds per synth; `cdk synth` in CI keeps it.
      CDK_VALIDATION: 'false',
    },
  });
  if (!fs.existsSync(path.join(outDir, 'manifest.json'))) {
    throw new SynthError(`The CDK app wrote no cloud assembly to ${outDir}`, output);
  }
  fs.writeFileSync(path.join(outDir, ENGINE_MARKER), `Synthesized by the local engine for owner '${opts.owner}'.\n`);
  return { outDir, synthesized: true, reason, ms: Date.now() - started };
}

/**
 * Refuses to synthesize into a folder the engine may not rewrite: anything but a missing or empty
 * folder, one the engine synthesized (its marker), the project's own `cdk.out`, or an owned folder.
 */
function assertRewritable(outDir: string, projectCdkOut: string, reason: string, owned: boolean): void {
  const entries = fs.existsSync(outDir) ? fs.readdirSync(outDir) : [];
  if (owned || entries.length === 0 || entries.includes(ENGINE_MARKER)) return;
  const isAssembly = entries.includes('manifest.json');
  if (isAssembly && path.resolve(outDir) === path.resolve(projectCdkOut)) return;
  const what = isAssembly
    ? `a cloud assembly the local engine did not make (${reason})`
    : 'files that are not a cloud assembly';
  throw new AssemblyFolderError(
    `Refusing to synthesize into ${outDir}: it holds ${what}. Pass an empty or new folder to --cdk-out, or leave the option out.`,
  );
}

/** Removes what a previous synth wrote, and only that. */
function clearAssembly(outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  for (const entry of fs.readdirSync(outDir)) {
    if (ASSEMBLY_ENTRY.test(entry)) fs.rmSync(path.join(outDir, entry), { recursive: true, force: true });
  }
}

/** Why the assembly must be synthesized again, or undefined when it is up to date. */
export function staleness(projectDir: string, outDir: string, owner: string): string | undefined {
  const manifestPath = path.join(outDir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) return 'no cloud assembly yet';
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    artifacts?: Record<string, { type?: string; properties?: { stackName?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => a.properties?.stackName ?? id);
  if (stacks.length === 0) return 'the assembly has no stacks';
  const foreign = stacks.find((s) => !s.startsWith(`${owner}-`));
  if (foreign) return `the assembly was synthesized for another owner (${foreign})`;
  const built = fs.statSync(manifestPath).mtimeMs;
  for (const source of SOURCES) {
    const newer = newestMtime(path.join(projectDir, source));
    if (newer > built) return `${source} changed since the last synth`;
  }
  return undefined;
}

function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => reject(new SynthError(`Could not run the CDK app: ${err.message}`, output)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new SynthError(`The CDK app failed to synthesize (exit code ${code})`, output));
    });
  });
}
