#!/usr/bin/env node
/**
 * The CDK app: `npx cdk synth|deploy|destroy -c owner=<you> [-c stage=dev|training] [-c nag=false]`.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, loadConfig, type AppConfig } from '../lib/config';
import { createStacks } from '../lib/create-stacks';

const app = new App();
let config: AppConfig;
try {
  config = loadConfig(app.node);
} catch (error) {
  // A bad -c value is the user's to fix: print the message alone, not a stack trace
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
createStacks(app, config);
if (config.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
