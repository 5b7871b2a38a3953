import { API_DEFAULTS, BUILT_IN_MODELS } from './defaults';
import type { RestApiModel, RestApiRouteModel, RestApiStageModel } from './model';
import type { StackReader } from './stack-reader';

type Props = Record<string, unknown>;
type Throttle = { readonly rateLimit: number; readonly burstLimit: number };

const isObject = (v: unknown): v is Props => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

/** The local invoke URL of a stage. */
export function localStageUrl(endpointUrl: string, apiId: string, stage: string): string {
  return `${endpointUrl.replace(/\/+$/, '')}/restapis/${apiId}/${stage}/_user_request_/`;
}

/**
 * Rewrites `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>/<rest>` to the local stage URL
 * for the assembly's APIs, so outputs and environment variables point at the local gateway.
 */
export function localizeApiUrls(text: string, apis: readonly RestApiModel[]): string {
  if (!text.includes('.execute-api.')) return text;
  return text.replace(
    /https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([A-Za-z0-9_-]+)\/?/g,
    (whole, apiId: string, stage: string) => {
      const found = apis.find((a) => a.id === apiId)?.stages.find((s) => s.name === stage);
      return found ? found.url : whole;
    },
  );
}

/**
 * The path the function ARN in a Lambda proxy integration URI names:
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`.
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html
 */
export function functionNameFromIntegrationUri(uri: string): string | undefined {
  const m = /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri);
  if (!m?.[1]) return undefined;
  const fm = /:function:([^:/]+)/.exec(m[1]);
  return fm?.[1] ?? m[1];
}

/**
 * Decodes a `MethodSettings` resource path (`/~1orders~1{id}` → `/orders/{id}`).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
 */
export function decodeMethodSettingPath(resourcePath: string): string {
  const decoded = resourcePath.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~');
  return decoded.startsWith('/') ? decoded : `/${decoded}`;
}

function throttleOf(setting: Props): Throttle | undefined {
  const rate = num(setting.ThrottlingRateLimit);
  const burst = num(setting.ThrottlingBurstLimit);
  if (rate === undefined && burst === undefined) return undefined;
  return { rateLimit: rate ?? API_DEFAULTS.accountRateLimit, burstLimit: burst ?? API_DEFAULTS.accountBurstLimit };
}

/**
 * REST APIs with their resource tree, methods (validators, models, parameters) and stages.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_ApiGateway.html
 */
export function buildRestApis(reader: StackReader, ids: readonly string[], endpointUrl: string): RestApiModel[] {
  const ofType = (type: string): string[] => ids.filter((id) => reader.resource(id).Type === type);
  const apiOf = (id: string): string => String(reader.properties(id).RestApiId);
  return ofType('AWS::ApiGateway::RestApi').map((apiLogicalId) => {
    const apiProps = reader.properties(apiLogicalId);
    const identity = reader.identity(apiLogicalId);
    const apiId = identity.ref;
    const rootId = identity.attributes.RootResourceId ?? '';

    // Resource id → full path, walking ParentId chains up to the root resource.
    const parents = new Map<string, { parentId: string; pathPart: string }>();
    for (const id of ofType('AWS::ApiGateway::Resource')) {
      const p = reader.properties(id);
      if (String(p.RestApiId) !== apiId) continue;
      parents.set(reader.identity(id).ref, { parentId: String(p.ParentId), pathPart: String(p.PathPart) });
    }
    const pathOf = (resourceId: string, depth = 0): string => {
      if (resourceId === rootId || depth > 100) return '/';
      const node = parents.get(resourceId);
      if (!node) return '/';
      const parent = pathOf(node.parentId, depth + 1);
      return `${parent === '/' ? '' : parent}/${node.pathPart}`;
    };

    const validators = new Map<string, Props>();
    for (const id of ofType('AWS::ApiGateway::RequestValidator')) {
      if (apiOf(id) === apiId) validators.set(reader.identity(id).ref, reader.properties(id));
    }
    const models = new Map<string, unknown>(Object.entries(BUILT_IN_MODELS));
    for (const id of ofType('AWS::ApiGateway::Model')) {
      if (apiOf(id) !== apiId) continue;
      const schema = reader.properties(id).Schema;
      models.set(
        reader.identity(id).ref,
        typeof schema === 'string' ? (JSON.parse(schema) as unknown) : (schema ?? {}),
      );
    }

    const routes: RestApiRouteModel[] = ofType('AWS::ApiGateway::Method')
      .filter((id) => apiOf(id) === apiId)
      .map((id) => {
        const p = reader.properties(id);
        const integration = isObject(p.Integration) ? p.Integration : {};
        const validator = p.RequestValidatorId === undefined ? undefined : validators.get(String(p.RequestValidatorId));
        const functionName =
          typeof integration.Uri === 'string' ? functionNameFromIntegrationUri(integration.Uri) : undefined;
        const requestModels: Record<string, unknown> = {};
        for (const [type, name] of Object.entries(isObject(p.RequestModels) ? p.RequestModels : {})) {
          requestModels[type] = models.get(String(name)) ?? {};
        }
        const requestParameters: Record<string, boolean> = {};
        for (const [k, v] of Object.entries(isObject(p.RequestParameters) ? p.RequestParameters : {})) {
          requestParameters[k] = v === true || v === 'true';
        }
        return {
          resourcePath: pathOf(String(p.ResourceId)),
          httpMethod: String(p.HttpMethod).toUpperCase(),
          integrationType: String(integration.Type ?? 'MOCK'),
          ...(functionName && { functionName }),
          timeoutInMillis: num(integration.TimeoutInMillis) ?? API_DEFAULTS.timeoutInMillis,
          authorizationType: String(p.AuthorizationType ?? API_DEFAULTS.authorizationType),
          apiKeyRequired: p.ApiKeyRequired === true || p.ApiKeyRequired === 'true',
          validateRequestBody: validator?.ValidateRequestBody === true || validator?.ValidateRequestBody === 'true',
          validateRequestParameters:
            validator?.ValidateRequestParameters === true || validator?.ValidateRequestParameters === 'true',
          requestParameters,
          requestModels,
        };
      });

    const stages: RestApiStageModel[] = [];
    const stage = (name: string, variables: unknown, settings: unknown): RestApiStageModel => {
      const methodThrottling: Record<string, Throttle> = {};
      let throttling: Throttle | undefined;
      for (const s of Array.isArray(settings) ? settings : []) {
        if (!isObject(s)) continue;
        const t = throttleOf(s);
        if (!t) continue;
        const method = String(s.HttpMethod ?? '*');
        const resourcePath = String(s.ResourcePath ?? '/*');
        if (method === '*' && resourcePath === '/*') throttling = t;
        else methodThrottling[`${method} ${decodeMethodSettingPath(resourcePath)}`] = t;
      }
      const vars: Record<string, string> = {};
      for (const [k, v] of Object.entries(isObject(variables) ? variables : {})) vars[k] = String(v);
      return {
        name,
        url: localStageUrl(endpointUrl, apiId, name),
        variables: vars,
        ...(throttling && { throttling }),
        methodThrottling,
      };
    };
    for (const id of ofType('AWS::ApiGateway::Stage')) {
      const p = reader.properties(id);
      if (String(p.RestApiId) === apiId) stages.push(stage(String(p.StageName), p.Variables, p.MethodSettings));
    }
    // A Deployment with StageName creates that stage itself.
    for (const id of ofType('AWS::ApiGateway::Deployment')) {
      const p = reader.properties(id);
      if (String(p.RestApiId) !== apiId || p.StageName === undefined) continue;
      if (stages.some((s) => s.name === String(p.StageName))) continue;
      const desc = isObject(p.StageDescription) ? p.StageDescription : {};
      const settings = [
        { HttpMethod: '*', ResourcePath: '/*', ...desc },
        ...(Array.isArray(desc.MethodSettings) ? desc.MethodSettings : []),
      ];
      stages.push(stage(String(p.StageName), desc.Variables, settings));
    }

    return {
      logicalId: apiLogicalId,
      id: apiId,
      name: String(apiProps.Name ?? apiLogicalId),
      stages,
      routes,
      binaryMediaTypes: Array.isArray(apiProps.BinaryMediaTypes) ? apiProps.BinaryMediaTypes.map(String) : [],
    };
  });
}
