#!/usr/bin/env node
/**
 * The CDK app: `npx cdk synth|deploy|destroy -c owner=<you> [-c stage=dev|training] [-c nag=false]`.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../lib/config';
import { createStacks } from '../lib/create-stacks';

const app = new App();
const config = loadConfig(app.node);
createStacks(app, config);
if (config.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
