/**
 * Synthesizes the app the way `cdk synth` does (cdk.json context and feature flags), minus the slow parts:
 * bundling is skipped and the WASM CloudFormation validator is off. Call once per test file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig, type AppConfig } from '../../lib/config';
import { createStacks, type PatternStacks } from '../../lib/create-stacks';

/** The `context` of cdk.json: the same feature flags as `cdk synth` (a bare `new App()` would differ). */
export const cdkJsonContext: Record<string, unknown> = (
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/** Options of {@link synthStacks}. */
export interface SynthOptions {
  /** Extra context, e.g. `{ owner: 'alice' }`. */
  readonly context?: Record<string, unknown>;
  /** Run cdk-nag's AwsSolutions pack during synthesis. @default false */
  readonly nag?: boolean;
  /** Bundle the functions (slow). @default false */
  readonly bundling?: boolean;
}

/** The synthesized app. */
export interface Synthesized {
  readonly app: App;
  readonly config: AppConfig;
  readonly stacks: PatternStacks;
  /** Templates by stack key; the first access synthesizes the app. */
  readonly templates: { readonly [K in keyof PatternStacks]: Template };
}

/** Creates the four stacks in a fresh App (owner `test` unless given) and returns their templates. */
export function synthStacks(options: SynthOptions = {}): Synthesized {
  const app = new App({
    context: {
      ...cdkJsonContext,
      owner: 'test',
      nag: 'false',
      ...options.context,
      // Skips esbuild, as the CLI does for stacks it was not asked to bundle
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
    // The validator costs seconds per synth and checks CloudFormation's schema, not our intent
    builtinCloudFormationValidation: false,
  });
  const config = loadConfig(app.node);
  const stacks = createStacks(app, config);
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const cache = new Map<keyof PatternStacks, Template>();
  const templateOf = (key: keyof PatternStacks): Template => {
    const cached = cache.get(key) ?? Template.fromStack(stacks[key]);
    cache.set(key, cached);
    return cached;
  };
  return {
    app,
    config,
    stacks,
    // Lazy: Template.fromStack synthesizes without validation plugins, so the nag test must call app.synth() first
    templates: {
      get requestResponse() {
        return templateOf('requestResponse');
      },
      get asyncEvents() {
        return templateOf('asyncEvents');
      },
      get streamPolling() {
        return templateOf('streamPolling');
      },
      get queuePolling() {
        return templateOf('queuePolling');
      },
    },
  };
}

/** The logical id of the only resource of `type` whose properties contain `fragment`. */
export function logicalIdOf(template: Template, type: string, fragment: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: fragment }));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} matching ${JSON.stringify(fragment)}, found ${ids.length}`);
  return ids[0] as string;
}

/** The logical id of the only resource of `type` whose logical id starts with `prefix`. */
export function idOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found [${ids.join(', ')}]`);
  return ids[0] as string;
}
