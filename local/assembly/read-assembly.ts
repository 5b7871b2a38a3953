import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AssemblyModel, StackModel } from './model';
import { type CodeLocator, buildStackModel } from './stack-models';
import { type AssemblyLookups, AssemblyError, StackReader, type Template } from './stack-reader';

export { AssemblyError } from './stack-reader';

/** Options of {@link readAssembly}. */
export interface ReadAssemblyOptions {
  /** Region in every ARN. */
  readonly region: string;
  /** Account id in every ARN. */
  readonly accountId: string;
  /** The local endpoint, e.g. `http://127.0.0.1:4566`; queue and API stage URLs are built from it. */
  readonly endpointUrl: string;
  /** Only stacks named `<owner>-…`. @default every stack */
  readonly owner?: string;
  /** Only these stacks (stack name, artifact id or display name). @default every stack */
  readonly stackNames?: readonly string[];
  /** Values for template parameters, by name; a parameter without one takes its `Default`. */
  readonly parameterValues?: Readonly<Record<string, string>>;
}

interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly file?: string;
    readonly directoryName?: string;
  };
}

interface Manifest {
  readonly artifacts?: Readonly<Record<string, ManifestArtifact>>;
}

interface AssetManifest {
  readonly files?: Readonly<Record<string, { readonly source?: { readonly path?: string } }>>;
}

interface StackArtifact {
  readonly id: string;
  readonly displayName?: string;
  readonly stackName: string;
  /** Folder of the (possibly nested) assembly that holds the template. */
  readonly directory: string;
  readonly template: Template;
}

function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AssemblyError(`${what} is missing: ${file}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new AssemblyError(`${what} is not valid JSON (${file}): ${(err as Error).message}`);
  }
}

/** Stack artifacts and asset paths of an assembly folder, including nested assemblies (CDK stages). */
function collect(directory: string, stacks: StackArtifact[], assets: Map<string, string>, top: boolean): void {
  const manifestFile = path.join(directory, 'manifest.json');
  if (top && !fs.existsSync(manifestFile)) {
    throw new AssemblyError(
      `No cloud assembly in ${directory}: manifest.json is missing. Run \`npx cdk synth -q\` first.`,
    );
  }
  const manifest = readJson<Manifest>(manifestFile, 'The cloud assembly manifest');
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && props.templateFile) {
      stacks.push({
        id,
        displayName: artifact.displayName,
        stackName: props.stackName ?? id,
        directory,
        template: readJson<Template>(path.join(directory, props.templateFile), `The template of stack ${id}`),
      });
    } else if (artifact.type === 'cdk:asset-manifest' && props.file) {
      const assetManifest = readJson<AssetManifest>(
        path.join(directory, props.file),
        `The asset manifest ${props.file}`,
      );
      for (const [hash, file] of Object.entries(assetManifest.files ?? {})) {
        if (file.source?.path) assets.set(hash, path.resolve(directory, file.source.path));
      }
    } else if (artifact.type === 'cdk:cloud-assembly' && props.directoryName) {
      collect(path.join(directory, props.directoryName), stacks, assets, false);
    }
  }
}

/**
 * Reads a synthesized cloud assembly (`cdk.out`) into the typed model the engine deploys: every
 * stack's resources with physical names, resolved intrinsics and AWS's defaults filled in.
 * Throws an {@link AssemblyError} naming the file, stack or value it cannot read.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/deploy.html#deploy-how-synth-assemblies
 */
export function readAssembly(cdkOutDir: string, opts: ReadAssemblyOptions): AssemblyModel {
  const directory = path.resolve(cdkOutDir);
  const artifacts: StackArtifact[] = [];
  const assetPaths = new Map<string, string>();
  collect(directory, artifacts, assetPaths, true);

  const readers = new Map<string, StackReader>();
  let exportIndex: Map<string, { reader: StackReader; output: string }> | undefined;
  let ssmIndex: Map<string, { reader: StackReader; logicalId: string }> | undefined;
  let indexingSsm = false;

  const lookups: AssemblyLookups = {
    region: opts.region,
    accountId: opts.accountId,
    endpointUrl: opts.endpointUrl,
    parameterValues: opts.parameterValues ?? {},
    importValue(name, from) {
      if (!exportIndex) {
        exportIndex = new Map();
        for (const reader of readers.values()) {
          for (const [key, output] of Object.entries(reader.template.Outputs ?? {})) {
            if (!output.Export) continue;
            const exportName = reader.resolve(output.Export.Name, `Outputs.${key}.Export.Name`);
            exportIndex.set(String(exportName), { reader, output: key });
          }
        }
      }
      const found = exportIndex.get(name);
      if (!found) throw new AssemblyError(`${from}: Fn::ImportValue ${name}: no stack of the assembly exports it`);
      const output = found.reader.template.Outputs?.[found.output];
      return found.reader.resolve(output?.Value, `${found.reader.stackName} Outputs.${found.output}.Value`);
    },
    ssmParameter(name) {
      if (indexingSsm) return undefined;
      if (!ssmIndex) {
        indexingSsm = true;
        try {
          ssmIndex = new Map();
          for (const reader of readers.values()) {
            for (const id of Object.keys(reader.template.Resources ?? {})) {
              if (reader.resource(id).Type !== 'AWS::SSM::Parameter') continue;
              ssmIndex.set(reader.identity(id).ref, { reader, logicalId: id });
            }
          }
        } finally {
          indexingSsm = false;
        }
      }
      const found = ssmIndex.get(name);
      if (!found) return undefined;
      const value = found.reader.properties(found.logicalId).Value;
      return value === undefined ? undefined : String(value);
    },
  };

  for (const artifact of artifacts) {
    readers.set(artifact.stackName, new StackReader(artifact.stackName, artifact.template, lookups));
  }

  const selected = artifacts.filter((a) => {
    if (opts.stackNames && !opts.stackNames.some((n) => n === a.stackName || n === a.id || n === a.displayName)) {
      return false;
    }
    return opts.owner === undefined || a.stackName.startsWith(`${opts.owner}-`);
  });
  if (selected.length === 0) {
    const which = [opts.owner && `owner '${opts.owner}'`, opts.stackNames && `stacks ${opts.stackNames.join(', ')}`]
      .filter(Boolean)
      .join(' and ');
    throw new AssemblyError(
      `No stack in ${directory} matches ${which || 'anything'}; the assembly has: ${artifacts.map((a) => a.stackName).join(', ') || 'no stacks'}`,
    );
  }

  const stacks: StackModel[] = selected.map((artifact) => {
    const code: CodeLocator = { directory: artifact.directory, assetPaths, endpointUrl: opts.endpointUrl };
    return buildStackModel(readers.get(artifact.stackName) as StackReader, code);
  });
  return { directory, region: opts.region, accountId: opts.accountId, stacks };
}
