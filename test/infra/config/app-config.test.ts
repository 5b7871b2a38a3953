import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig, STAGE_PRESETS } from '../../../lib/config';

const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

describe('loadConfig', () => {
  test('defaults to owner "dev", stage "dev", nag on and the dev preset', () => {
    expect(loadConfig(context({}))).toEqual({ owner: 'dev', stage: 'dev', nag: true, settings: STAGE_PRESETS.dev });
  });

  test('reads -c values, which arrive as strings, and cdk.json values, which keep their JSON type', () => {
    const config = loadConfig(
      context({ owner: 'alice', stage: 'training', queueMaxConcurrency: '10', maxQuantity: 50, nag: 'false' }),
    );
    expect(config).toMatchObject({ owner: 'alice', stage: 'training', nag: false });
    expect(config.settings).toEqual({ ...STAGE_PRESETS.training, queueMaxConcurrency: 10, maxQuantity: 50 });
  });

  test('returns a frozen config', () => {
    const config = loadConfig(context({}));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.settings)).toBe(true);
  });

  test.each([
    [
      'owner',
      'Alice',
      'Invalid context "owner": "Alice" is not allowed. Allowed: 1-20 characters of lowercase letters',
    ],
    ['owner', 'a'.repeat(21), 'Invalid context "owner"'],
    ['owner', '1abc', 'Invalid context "owner": "1abc"'],
    ['stage', 'prod', 'Invalid context "stage": "prod" is not allowed. Allowed: one of dev, training.'],
    ['nag', 'yes', 'Invalid context "nag": "yes" is not allowed. Allowed: true or false.'],
    [
      'queueMaxConcurrency',
      '1',
      'Invalid context "queueMaxConcurrency": "1" is not allowed. Allowed: an integer from 2 to 1000.',
    ],
    [
      'asyncRetryAttempts',
      3,
      'Invalid context "asyncRetryAttempts": 3 is not allowed. Allowed: an integer from 0 to 2.',
    ],
    ['asyncMaxEventAgeSeconds', '30', 'Allowed: an integer from 60 to 21600.'],
    ['streamMaxRecordAgeSeconds', '59', 'Allowed: an integer from 60 to 604800.'],
    ['streamRetryAttempts', '-1', 'Allowed: an integer from 0 to 10000.'],
    ['apiRateLimit', '2.5', 'Invalid context "apiRateLimit": "2.5"'],
    ['maxQuantity', 'lots', 'Invalid context "maxQuantity": "lots"'],
    [
      'logRetentionDays',
      '10',
      'Invalid context "logRetentionDays": "10" is not allowed. Allowed: one of 1, 3, 5, 7, 14,',
    ],
  ])('fails on %s=%p naming the key, the value and what is allowed', (key, value, message) => {
    expect(() => loadConfig(context({ [key]: value }))).toThrow(ConfigError);
    expect(() => loadConfig(context({ [key]: value }))).toThrow(message);
  });

  test('rejects a burst limit below the rate limit', () => {
    expect(() => loadConfig(context({ apiRateLimit: '50', apiBurstLimit: '10' }))).toThrow(
      'Invalid context "apiBurstLimit": 10 is not allowed. Allowed: an integer no smaller than apiRateLimit (50).',
    );
  });

  test('reads the context of a CDK app, as bin/app.ts does, and fails synth on a bad owner', () => {
    expect(loadConfig(new App({ context: { owner: 'bob' } }).node).owner).toBe('bob');
    expect(() => loadConfig(new App({ context: { owner: 'Bob!' } }).node)).toThrow('Invalid context "owner": "Bob!"');
  });
});
