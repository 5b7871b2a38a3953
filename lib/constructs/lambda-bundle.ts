/**
 * Bundles a function's `handler.ts` with the project's own esbuild, in-process.
 *
 * NodejsFunction's built-in bundling runs `npx --no-install esbuild …` once per function whenever esbuild is a
 * workspace package (aws-lambda-nodejs `bundling.js`: `esbuildRunner: isWorkspacePackage ?
 * packageManager.runBinCommand('esbuild') : ['esbuild']`, and aws-cdk-lib 2.276 reads no `ESBUILD` variable to
 * override it). Starting npx costs about 0.7 s per function (measured here with aws-cdk-lib 2.276), against
 * 10-40 ms for the build itself, so this module calls esbuild's JS API and hands the output to NodejsFunction as
 * its `code`. The output is what NodejsFunction would produce for nodejs24.x: one CommonJS `index.js` (+ source
 * map), the AWS SDK v3 left external because the runtime provides it.
 */
import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';

/** The project root (holds package.json and `lambda/`). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Folder of the functions' runtime code; `lib/` refers to it only by path. */
export const LAMBDA_ROOT = path.join(PROJECT_ROOT, 'lambda');

/** Handler string of every bundle: `index.js`, export `handler`. */
export const BUNDLE_HANDLER = 'index.handler';

/**
 * Bundle settings, listed so a reader sees every default this module imposes.
 * `external`: the SDK v3 ships with the nodejs24.x runtime (NodejsFunction's default for pinned runtimes).
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: ['@aws-sdk/*', '@smithy/*'],
  logLevel: 'warning',
} as const;

/**
 * The code asset for `lambda/<folder>/handler.ts`.
 *
 * Bundling is skipped (asset path = `lambda/`) when the CLI or a test lists no stacks in
 * `aws:cdk:bundling-stacks`, exactly like NodejsFunction: such an assembly is for templates only, never deploy it.
 *
 * @param folder function folder under `lambda/`, e.g. `create-order`
 */
export function bundledHandler(folder: string): Code {
  const entry = path.join(LAMBDA_ROOT, folder, 'handler.ts');
  return Code.fromAsset(LAMBDA_ROOT, {
    // Hash the bundle, not the folder, so an edit elsewhere in lambda/ changes only the bundles it reaches
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never used: local bundling either succeeds or throws (no Docker on purpose)
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
      // The CDK caches staged assets by source path + serializable bundling options; naming the entry here keeps
      // each function's bundle apart (the `local` closure alone is invisible to that cache key)
      environment: { LAMBDA_ENTRY: `${folder}/handler.ts` },
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync({
            ...BUNDLE_OPTIONS,
            external: [...BUNDLE_OPTIONS.external],
            entryPoints: [entry],
            outfile: path.join(outputDir, 'index.js'),
            absWorkingDir: PROJECT_ROOT,
          });
          return true;
        },
      },
    },
  });
}
