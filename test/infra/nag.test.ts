import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthStacks } from '../helpers/synth';

interface Violation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}
interface Report {
  readonly pluginReports: readonly { readonly pluginName: string; readonly violations?: readonly Violation[] }[];
}

const synthesized = synthStacks({ nag: true });
const assembly = synthesized.app.synth();

/** `<rule> (<severity>) <construct path>` of every finding, errors and warnings alike, in a synthesized assembly's validation report. */
function findingsIn(directory: string): string[] {
  const report = JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8')) as Report;
  return report.pluginReports.flatMap((r) =>
    (r.violations ?? []).flatMap((v) =>
      v.violatingConstructs.map((c) => `${v.ruleName} (${v.severity}) ${c.constructPath}`),
    ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  test('flag a queue that allows plain HTTP (control: the plugin runs in this setup)', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    new Queue(new Stack(app, 'Control'), 'Queue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // Error findings make synth throw; the report is written first
    expect(() => app.synth()).toThrow();
    expect(findingsIn(app.outdir)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS4 (error) Control/Queue/Resource']),
    );
  });

  test('report no unacknowledged finding on any of the four stacks', () => {
    expect(findingsIn(assembly.directory)).toEqual([]);
  });

  test('every acknowledgment names an AwsSolutions finding and gives a reason a reviewer can judge', () => {
    // Each metadata entry maps the recorded rule id ("Annotation::AwsSolutions-…") to the reason
    const acknowledgments = synthesized.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgments.length).toBeGreaterThanOrEqual(8);
    for (const [id, reason] of acknowledgments) {
      expect(id).toMatch(/^Annotation::AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(reason.length).toBeGreaterThanOrEqual(60);
    }
  });
});
