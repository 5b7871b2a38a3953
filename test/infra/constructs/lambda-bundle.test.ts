import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OrderFunction } from '../../../lib/constructs/order-function';
import { LAMBDA_ROOT, PROJECT_ROOT } from '../../../lib/constructs/lambda-bundle';
import { cdkJsonContext } from '../../helpers/synth';

const folders = fs
  .readdirSync(LAMBDA_ROOT)
  .filter((name) => fs.existsSync(path.join(LAMBDA_ROOT, name, 'handler.ts')))
  .sort();

// The one test that really bundles: every function folder, with bundling on, as `cdk synth` does
const app = new App({
  // The CLI sets asset metadata; the local engine finds bundles through it
  context: { ...cdkJsonContext, 'aws:cdk:enable-asset-metadata': true },
  builtinCloudFormationValidation: false,
});
const stack = new Stack(app, 'Bundles');
for (const folder of folders) {
  new OrderFunction(stack, folder, { handlerFolder: folder, description: folder, logRetentionDays: 1 });
}
const assembly = app.synth();
const template = Template.fromStack(stack);
const bundleDirs = Object.values(template.findResources('AWS::Lambda::Function')).map((fn) =>
  path.join(assembly.directory, (fn.Metadata as { 'aws:asset:path': string })['aws:asset:path']),
);

describe('bundledHandler', () => {
  test('bundles one distinct asset per function folder', () => {
    expect(folders).toEqual([
      'create-order',
      'get-order',
      'process-order-changes',
      'process-order-file',
      'process-order-notification',
      'process-order-queue',
      'process-order-stream',
    ]);
    expect(new Set(bundleDirs).size).toBe(folders.length);
  });

  test.each(folders.map((folder, index) => [folder, index] as const))(
    'bundles %s as CommonJS index.js with a source map, leaving the AWS SDK external',
    (_folder, index) => {
      const dir = bundleDirs[index] as string;
      expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
      const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      expect(code).toMatch(/require\("@aws-sdk\/client-dynamodb"\)/);
      expect(code).not.toMatch(/DynamoDBServiceException\s*=\s*class/);
      expect(code.length).toBeLessThan(200_000);
    },
  );

  test('loads every bundle in plain Node.js with the SDK on NODE_PATH and finds its handler, as the runtime will', () => {
    // A separate process, like the runtime: the SDK comes from NODE_PATH (/var/runtime/node_modules in Lambda)
    const script = `console.log(JSON.stringify(process.argv.slice(1).map((dir) => typeof require(dir + '/index.js').handler)))`;
    const output = execFileSync(process.execPath, ['-e', script, ...bundleDirs], {
      env: {
        PATH: process.env['PATH'],
        NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
        AWS_REGION: 'us-east-1',
        ORDERS_TABLE_NAME: 'orders',
        IDEMPOTENCY_TABLE_NAME: 'idempotency',
        ATTEMPTS_TABLE_NAME: 'attempts',
        IDEMPOTENCY_TTL_SECONDS: '3600',
        MAX_QUANTITY_PARAMETER_NAME: 'max-quantity',
        PARAMETER_CACHE_SECONDS: '30',
        RECEIPT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:receipt-key-AbCdEf',
        SECRET_CACHE_SECONDS: '30',
      },
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual(folders.map(() => 'function'));
  });
});
