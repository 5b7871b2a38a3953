/**
 * `npm run trigger -- <source> …` and `npm run verify -- …`: see README "Trigger events from the command line".
 */
// The CLI runs on the host's Node.js 20; the SDK's notice about future Node.js requirements is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { run } from '../cli/program';

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
