import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ScaledClock } from '../../../local/core/clock';
import { startEndpoint, type Endpoint } from '../../../local/endpoint/server';
import { secretsManagerService } from '../../../local/endpoint/services/secrets-manager';
import { randomPassword } from '../../../local/endpoint/services/random-password';
import { ACCOUNT, clientConfig, REGION, uniqueName } from '../test-clients';

/** A clock the tests move forward by hand, to end recovery windows. */
class ManualClock extends ScaledClock {
  offsetMs = 0;
  constructor() {
    super(1);
  }
  override now(): number {
    return super.now() + this.offsetMs;
  }
}

let endpoint: Endpoint;
let sm: SecretsManagerClient;
const clock = new ManualClock();

beforeAll(async () => {
  endpoint = await startEndpoint({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    services: [secretsManagerService({ clock })],
  });
  sm = new SecretsManagerClient(clientConfig(endpoint));
});
afterAll(async () => {
  sm.destroy();
  await endpoint.stop();
});

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

const create = (Name: string, SecretString = 'first') => sm.send(new CreateSecretCommand({ Name, SecretString }));

describe('local Secrets Manager', () => {
  it('GIVEN a new secret WHEN it is created THEN its ARN carries region, account, name and a 6-character suffix', async () => {
    const name = uniqueName('app/key');
    const out = await create(name);
    expect(out.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-[A-Za-z0-9]{6}$`));
    expect(out.VersionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GIVEN a secret WHEN its value is read by name, by ARN and by partial ARN THEN each gives the AWSCURRENT value', async () => {
    const name = uniqueName('key');
    const { ARN } = await create(name, 's3cret');
    for (const id of [name, ARN as string, (ARN as string).slice(0, -7)]) {
      const value = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      expect(value).toMatchObject({ Name: name, ARN, SecretString: 's3cret', VersionStages: ['AWSCURRENT'] });
    }
  });

  it('GIVEN a secret WHEN a new value is put THEN it is AWSCURRENT and the old value is AWSPREVIOUS', async () => {
    const name = uniqueName('key');
    await create(name, 'one');
    const put = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
    expect([current.SecretString, previous.SecretString]).toEqual(['two', 'one']);
    expect(current.VersionId).toBe(put.VersionId);
  });

  it('GIVEN three values WHEN the secret is described THEN only the newest two carry a staging label', async () => {
    const name = uniqueName('key');
    const v1 = (await create(name, 'one')).VersionId as string;
    const v2 = (await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }))).VersionId as string;
    const v3 = (await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'three' }))).VersionId;
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.VersionIdsToStages).toEqual({ [v1]: [], [v2]: ['AWSPREVIOUS'], [v3 as string]: ['AWSCURRENT'] });
  });

  it('GIVEN a secret WHEN UpdateSecret changes description and value THEN both show', async () => {
    const name = uniqueName('key');
    await create(name, 'one');
    await sm.send(new UpdateSecretCommand({ SecretId: name, Description: 'receipt key', SecretString: 'two' }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Description).toBe('receipt key');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('two');
  });

  it('GIVEN a binary secret WHEN it is read THEN the same bytes come back', async () => {
    const name = uniqueName('bin');
    await sm.send(new CreateSecretCommand({ Name: name, SecretBinary: Uint8Array.from([0, 1, 254, 255]) }));
    const value = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect([...(value.SecretBinary ?? [])]).toEqual([0, 1, 254, 255]);
  });

  it('GIVEN no such secret WHEN it is read THEN ResourceNotFoundException', async () => {
    const err = await errorOf(sm.send(new GetSecretValueCommand({ SecretId: uniqueName('missing') })));
    expect([err.name, err.message]).toEqual([
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    ]);
  });

  it('GIVEN a secret with one value WHEN AWSPREVIOUS is asked for THEN ResourceNotFoundException names the label', async () => {
    const name = uniqueName('key');
    await create(name);
    const err = await errorOf(sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' })));
    expect([err.name, err.message]).toEqual([
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    ]);
  });

  it('GIVEN an existing name WHEN it is created again THEN ResourceExistsException', async () => {
    const name = uniqueName('key');
    await create(name);
    expect((await errorOf(create(name))).name).toBe('ResourceExistsException');
  });

  it.each([
    ['a name with a space', { Name: 'bad name', SecretString: 'x' }],
    ['both a string and a binary value', { Name: 'both', SecretString: 'x', SecretBinary: Uint8Array.from([1]) }],
  ])('GIVEN %s WHEN the secret is created THEN InvalidParameterException', async (_what, input) => {
    expect((await errorOf(sm.send(new CreateSecretCommand(input)))).name).toBe('InvalidParameterException');
  });

  it('GIVEN a secret deleted with the default window WHEN it is read THEN InvalidRequestException, and DescribeSecret shows the date 30 days on', async () => {
    const name = uniqueName('key');
    await create(name);
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name }));
    const err = await errorOf(sm.send(new GetSecretValueCommand({ SecretId: name })));
    expect(err.name).toBe('InvalidRequestException');
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.DeletedDate).toEqual(deleted.DeletionDate);
    expect((deleted.DeletionDate as Date).getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
  });

  it('GIVEN a secret scheduled for deletion WHEN it is restored THEN its value reads again', async () => {
    const name = uniqueName('key');
    await create(name, 'kept');
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    await sm.send(new RestoreSecretCommand({ SecretId: name }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('kept');
  });

  it('GIVEN a 7-day recovery window WHEN 7 days pass THEN the secret is gone and its name is free', async () => {
    const name = uniqueName('key');
    await create(name);
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    clock.offsetMs += 7 * 24 * 3600 * 1000 + 1000;
    expect((await errorOf(sm.send(new DescribeSecretCommand({ SecretId: name })))).name).toBe(
      'ResourceNotFoundException',
    );
    await expect(create(name)).resolves.toMatchObject({ Name: name });
  });

  it('GIVEN ForceDeleteWithoutRecovery WHEN the secret is deleted THEN it is gone at once', async () => {
    const name = uniqueName('key');
    await create(name);
    await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    expect((await errorOf(sm.send(new DescribeSecretCommand({ SecretId: name })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it.each([
    ['a 6-day window', { RecoveryWindowInDays: 6 }],
    ['a window and the force option', { RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }],
  ])('GIVEN %s WHEN a secret is deleted THEN InvalidParameterException', async (_what, options) => {
    const name = uniqueName('key');
    await create(name);
    const err = await errorOf(sm.send(new DeleteSecretCommand({ SecretId: name, ...options })));
    expect(err.name).toBe('InvalidParameterException');
  });

  it('GIVEN secrets under a prefix WHEN they are listed with a name filter THEN only those come back, deleted ones left out', async () => {
    const prefix = uniqueName('list');
    await create(`${prefix}/a`);
    await create(`${prefix}/b`);
    await sm.send(new DeleteSecretCommand({ SecretId: `${prefix}/b` }));
    const out = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }] }));
    expect(out.SecretList?.map((s) => s.Name)).toEqual([`${prefix}/a`]);
  });

  it('GIVEN password options WHEN GetRandomPassword is called THEN the password has the length and only the allowed characters', async () => {
    const out = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 64, ExcludePunctuation: true }));
    expect(out.RandomPassword).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it('GIVEN a length of 0 WHEN GetRandomPassword is called THEN InvalidParameterException', async () => {
    const err = await errorOf(sm.send(new GetRandomPasswordCommand({ PasswordLength: 0 })));
    expect(err.name).toBe('InvalidParameterException');
  });

  it('GIVEN Powertools SecretsProvider WHEN it reads a secret by ARN THEN it gets the string value', async () => {
    const name = uniqueName('pt');
    const { ARN } = await create(name, 'from-powertools');
    const provider = new SecretsProvider({ awsSdkV3Client: sm });
    await expect(provider.get(ARN as string)).resolves.toBe('from-powertools');
  });
});

describe('randomPassword', () => {
  const counter = (): ((max: number) => number) => {
    let n = 0;
    return (max) => n++ % max;
  };

  test('includes one character of every included type by default', () => {
    const password = randomPassword({ passwordLength: 4, includeSpace: false }, counter());
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
  });

  test('never uses an excluded character', () => {
    expect(randomPassword({ passwordLength: 200, excludeCharacters: 'abc', excludePunctuation: true })).not.toMatch(
      /[abc]/,
    );
  });

  test('rejects options that exclude every character', () => {
    expect(() =>
      randomPassword({
        excludeLowercase: true,
        excludeUppercase: true,
        excludeNumbers: true,
        excludePunctuation: true,
      }),
    ).toThrow('exclude every character');
  });
});
