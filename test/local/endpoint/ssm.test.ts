import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { getParameter, SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ACCOUNT, REGION, startLab, uniqueName, type Lab } from './sqs-sns-helpers';

let lab: Lab;
let ssm: SSMClient;

beforeAll(async () => {
  lab = await startLab();
  ssm = lab.ssm;
});
afterAll(() => lab.stop());

const put = (
  Name: string,
  Value: string,
  Type: 'String' | 'StringList' | 'SecureString' = 'String',
  Overwrite?: boolean,
) => ssm.send(new PutParameterCommand({ Name, Value, Type, Overwrite }));

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

describe('local SSM Parameter Store', () => {
  it('GIVEN a String parameter WHEN it is read THEN value, version 1, type and ARN with region and account come back', async () => {
    const name = `/${uniqueName('app')}/table`;
    await put(name, 'orders');
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
    expect(Parameter).toMatchObject({
      Name: name,
      Value: 'orders',
      Version: 1,
      Type: 'String',
      ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`,
    });
  });

  it('GIVEN an existing parameter WHEN it is put again with Overwrite THEN the version increments and the value changes', async () => {
    const name = `/${uniqueName('app')}/v`;
    await put(name, 'one');
    const out = await put(name, 'two', 'String', true);
    expect(out.Version).toBe(2);
    expect((await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value).toBe('two');
  });

  it('GIVEN an existing parameter WHEN it is put again without Overwrite THEN ParameterAlreadyExists is raised', async () => {
    const name = `/${uniqueName('app')}/dup`;
    await put(name, 'one');
    expect((await errorOf(put(name, 'two'))).name).toBe('ParameterAlreadyExists');
  });

  it('GIVEN a StringList parameter WHEN it is read THEN the comma-separated value and type come back', async () => {
    const name = `/${uniqueName('app')}/list`;
    await put(name, 'a,b,c', 'StringList');
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
    expect(Parameter).toMatchObject({ Type: 'StringList', Value: 'a,b,c' });
  });

  it('GIVEN a SecureString WHEN it is read without decryption THEN the plain value is not returned', async () => {
    const name = `/${uniqueName('app')}/secret`;
    await put(name, 'hunter2', 'SecureString');
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
    expect(Parameter?.Type).toBe('SecureString');
    expect(Parameter?.Value).not.toContain('hunter2');
  });

  it('GIVEN a SecureString WHEN it is read WithDecryption THEN the plain value is returned', async () => {
    const name = `/${uniqueName('app')}/secret`;
    await put(name, 'hunter2', 'SecureString');
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    expect(Parameter?.Value).toBe('hunter2');
  });

  it('GIVEN a missing parameter WHEN it is read THEN ParameterNotFound is raised', async () => {
    expect((await errorOf(ssm.send(new GetParameterCommand({ Name: '/missing/param' })))).name).toBe(
      'ParameterNotFound',
    );
  });

  it('GIVEN one existing and one missing name WHEN GetParameters is called THEN the missing one is in InvalidParameters', async () => {
    const name = `/${uniqueName('app')}/x`;
    await put(name, 'x');
    const out = await ssm.send(new GetParametersCommand({ Names: [name, '/nope/x'] }));
    expect(out.Parameters?.map((p) => p.Name)).toEqual([name]);
    expect(out.InvalidParameters).toEqual(['/nope/x']);
  });

  it('GIVEN a hierarchy WHEN GetParametersByPath runs without Recursive THEN only direct children come back', async () => {
    const root = `/${uniqueName('tree')}`;
    await put(`${root}/a`, '1');
    await put(`${root}/b/c`, '2');
    const out = await ssm.send(new GetParametersByPathCommand({ Path: root }));
    expect(out.Parameters?.map((p) => p.Name)).toEqual([`${root}/a`]);
  });

  it('GIVEN 12 parameters under a path WHEN GetParametersByPath pages recursively THEN all come back across pages', async () => {
    const root = `/${uniqueName('paged')}`;
    for (let i = 0; i < 12; i++) await put(`${root}/level/p${String(i).padStart(2, '0')}`, String(i));
    const names: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await ssm.send(
        new GetParametersByPathCommand({ Path: root, Recursive: true, MaxResults: 5, NextToken }),
      );
      names.push(...(out.Parameters ?? []).map((p) => p.Name!));
      NextToken = out.NextToken;
      pages++;
    } while (NextToken);
    expect(names).toHaveLength(12);
    expect(pages).toBe(3);
  });

  it('GIVEN a parameter WHEN it is deleted THEN reading it raises ParameterNotFound', async () => {
    const name = `/${uniqueName('app')}/del`;
    await put(name, 'x');
    await ssm.send(new DeleteParameterCommand({ Name: name }));
    expect((await errorOf(ssm.send(new GetParameterCommand({ Name: name })))).name).toBe('ParameterNotFound');
  });

  it('GIVEN a missing parameter WHEN DeleteParameter is called THEN ParameterNotFound is raised', async () => {
    expect((await errorOf(ssm.send(new DeleteParameterCommand({ Name: '/never/there' })))).name).toBe(
      'ParameterNotFound',
    );
  });

  it('GIVEN one existing and one missing name WHEN DeleteParameters is called THEN each is reported', async () => {
    const name = `/${uniqueName('app')}/d`;
    await put(name, 'x');
    const out = await ssm.send(new DeleteParametersCommand({ Names: [name, '/nope/d'] }));
    expect(out).toMatchObject({ DeletedParameters: [name], InvalidParameters: ['/nope/d'] });
  });

  it('GIVEN parameters WHEN DescribeParameters filters by name prefix THEN their metadata comes back without values', async () => {
    const root = `/${uniqueName('desc')}`;
    await put(`${root}/s`, 'secret', 'SecureString');
    const out = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [root] }] }),
    );
    expect(out.Parameters).toEqual([
      expect.objectContaining({ Name: `${root}/s`, Type: 'SecureString', KeyId: 'alias/aws/ssm', Version: 1 }),
    ]);
    expect(out.Parameters?.[0]).not.toHaveProperty('Value');
  });

  it('GIVEN a new parameter without a Type WHEN it is put THEN ValidationException is raised', async () => {
    const err = await errorOf(ssm.send(new PutParameterCommand({ Name: `/${uniqueName('app')}/t`, Value: 'x' })));
    expect(err.name).toBe('ValidationException');
  });

  it('GIVEN an AllowedPattern that is not a regular expression WHEN a parameter is put THEN InvalidAllowedPatternException is raised', async () => {
    const err = await errorOf(
      ssm.send(
        new PutParameterCommand({
          Name: `/${uniqueName('app')}/p`,
          Value: 'x',
          Type: 'String',
          AllowedPattern: '([a-z',
        }),
      ),
    );
    expect(err.name).toBe('InvalidAllowedPatternException');
  });
});

describe('Powertools parameters against the local Parameter Store', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    // What a function gets in local mode: the endpoint by environment, dummy credentials.
    process.env.AWS_ENDPOINT_URL = lab.endpoint.url;
    process.env.AWS_REGION = REGION;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCAL';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
  });
  afterAll(() => {
    process.env = saved;
  });

  it('GIVEN a SecureString WHEN Powertools getParameter reads it with decrypt THEN the plain value is returned', async () => {
    const name = `/${uniqueName('pt')}/secret`;
    await put(name, 's3cr3t', 'SecureString');
    expect(await getParameter(name, { decrypt: true })).toBe('s3cr3t');
  });

  it('GIVEN parameters under a path WHEN an SSMProvider reads the path THEN a name-to-value map is returned', async () => {
    const root = `/${uniqueName('pt')}`;
    await put(`${root}/a`, '1');
    await put(`${root}/b`, '2');
    const provider = new SSMProvider({ awsSdkV3Client: ssm });
    expect(await provider.getMultiple(root)).toEqual({ a: '1', b: '2' });
  });
});
