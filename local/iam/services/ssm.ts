import { arnOf, field, type ArnContext, type OperationRule, type ServiceTable } from '../access';

/**
 * A parameter's ARN: `parameter/<name>` with the name's leading `/` dropped, so `/lab/max` and
 * `lab/max` share `…:parameter/lab/max`; a name given as an ARN stays as it is.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
 */
export function parameterArn(name: string, ctx: ArnContext): string {
  if (name.startsWith('arn:')) return name.replace(/:\d+$/, '');
  const bare = name.replace(/:[^/:]+$/, '').replace(/^\//, '');
  return arnOf('ssm', ctx, `parameter/${bare}`);
}

const onName =
  (op: string, member = 'Name'): OperationRule =>
  (input, ctx) => [{ action: `ssm:${op}`, resource: parameterArn(field(input, member) ?? '', ctx) }];

const onNames =
  (op: string): OperationRule =>
  (input, ctx) =>
    (Array.isArray(input.Names) ? input.Names.map(String) : []).map((n) => ({
      action: `ssm:${op}`,
      resource: parameterArn(n, ctx),
    }));

/**
 * Systems Manager Parameter Store: parameter operations on the parameter ARN (paths included),
 * `DescribeParameters` on `*`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
 */
export const ssmTable: ServiceTable = {
  prefix: 'ssm',
  rules: {
    GetParameter: onName('GetParameter'),
    PutParameter: onName('PutParameter'),
    DeleteParameter: onName('DeleteParameter'),
    GetParameterHistory: onName('GetParameterHistory'),
    LabelParameterVersion: onName('LabelParameterVersion'),
    GetParameters: onNames('GetParameters'),
    DeleteParameters: onNames('DeleteParameters'),
    GetParametersByPath: onName('GetParametersByPath', 'Path'),
    AddTagsToResource: onName('AddTagsToResource', 'ResourceId'),
    ListTagsForResource: onName('ListTagsForResource', 'ResourceId'),
  },
};
