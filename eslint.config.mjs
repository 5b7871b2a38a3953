// @ts-check
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

export default defineConfig(
  {
    ignores: [
      'cdk.out/**',
      '**/cdk.out/**',
      'cdk.out.*/**',
      'node_modules/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      '**/*.d.ts',
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine's layering (README, "What is in the repository"), imports pointing down only:
    // bin → local/engine → (apigateway, async, pollers) → (runtime, endpoint, assembly, iam) → local/core.
    // lambda/ imports nothing from lib/ or local/; lib/ refers to lambda/ only by entry path; local/ never reads lib/.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './local/core',
              from: ['./local', './lib', './lambda', './bin'],
              except: ['./core'],
              message: 'local/core is the bottom layer: it imports no other part of the project.',
            },
            {
              target: ['./local/runtime', './local/endpoint', './local/assembly', './local/iam'],
              from: ['./local/engine', './local/apigateway', './local/async', './local/pollers'],
              message: 'runtime, endpoint, assembly and iam sit below the runners and the engine: import down only.',
            },
            {
              target: ['./local/apigateway', './local/async', './local/pollers'],
              from: './local/engine',
              message: 'The runners sit below local/engine (the composition root): import down only.',
            },
            {
              target: './local',
              from: ['./lib', './bin'],
              message: 'local/ reads the cloud assembly in cdk.out, never lib/ or bin/.',
            },
            {
              target: './lambda',
              from: ['./lib', './local', './bin'],
              message: 'lambda/ is bundled runtime code: it imports nothing from lib/, local/ or bin/.',
            },
            {
              target: './console',
              from: ['./local', './lib', './lambda'],
              message: 'The console talks to the engine only through its public API (/_lab/… and the AWS APIs).',
            },
            {
              target: './local',
              from: './console',
              message:
                'local/ serves the console as static files handed in by bin/local.ts; it never imports console/.',
            },
            {
              target: './cli',
              from: ['./local', './bin'],
              message: 'The CLI talks to the local engine only over HTTP (/_lab/ and the AWS APIs), never by import.',
            },
            {
              target: './cli',
              from: './lib',
              except: ['./config'],
              message: 'The CLI may use lib/config (pure validation), never CDK constructs or stacks.',
            },
            {
              target: ['./lib', './local', './lambda'],
              from: './cli',
              message: 'Nothing below the command line imports it.',
            },
            {
              target: './lib',
              from: ['./local', './bin'],
              message: 'lib/ is infrastructure only: it never imports the local engine or the entry points.',
            },
          ],
        },
      ],
    },
  },
);
