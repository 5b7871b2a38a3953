/**
 * `npm run bench`: runs every benchmark one after the other, each in its own process, and prints
 * their numbers. Goals are in the issues and README; these print numbers, they never fail on them.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const BENCHES = ['runtime', 'endpoint-data', 'endpoint-sqs', 'gateway', 'pollers', 'engine', 'console', 'iam'];
const only = process.argv.slice(2);

let failed = 0;
for (const name of BENCHES.filter((b) => only.length === 0 || only.includes(b))) {
  console.log(`\n=== bench/${name}.ts`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, `${name}.ts`)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
