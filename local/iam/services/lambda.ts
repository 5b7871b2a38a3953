import { arnOf, type AccessCheck, type ArnContext, type MappedRequest } from '../access';

const FUNCTION = /^\/\d{4}-\d{2}-\d{2}\/functions\/([^/]+)(\/[a-z-]+)?\/?$/;

/** The function ARN of a `FunctionName` path segment (name, partial or full ARN, maybe qualified). */
function functionArn(segment: string, ctx: ArnContext): string {
  const id = decodeURIComponent(segment);
  if (id.startsWith('arn:')) return id;
  const name = /^(?:\d{12}:)?function:(.+)$/.exec(id)?.[1] ?? id;
  return arnOf('lambda', ctx, `function:${name}`);
}

/**
 * The Lambda API the engine serves: `Invoke` needs `lambda:InvokeFunction` on the function ARN (with
 * its qualifier when the call names one), the read operations their own actions, lists `*`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html
 */
export function lambdaAccess(req: MappedRequest, ctx: ArnContext): readonly AccessCheck[] {
  const m = FUNCTION.exec(req.path);
  if (m) {
    const qualifier = req.query.get('Qualifier');
    const arn = functionArn(m[1]!, ctx) + (qualifier ? `:${qualifier}` : '');
    const sub = m[2];
    const action =
      sub === '/invocations'
        ? 'InvokeFunction'
        : sub === '/event-invoke-config'
          ? 'GetFunctionEventInvokeConfig'
          : sub === '/configuration'
            ? 'GetFunctionConfiguration'
            : 'GetFunction';
    return [{ action: `lambda:${action}`, resource: arn }];
  }
  const mapping = /\/event-source-mappings\/([^/]+)/.exec(req.path)?.[1];
  if (mapping) {
    return [
      { action: 'lambda:GetEventSourceMapping', resource: arnOf('lambda', ctx, `event-source-mapping:${mapping}`) },
    ];
  }
  if (/\/event-source-mappings\/?$/.test(req.path))
    return [{ action: 'lambda:ListEventSourceMappings', resource: '*' }];
  return [{ action: 'lambda:ListFunctions', resource: '*' }];
}
