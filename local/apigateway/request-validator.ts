import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import type { RestApiRouteModel } from '../assembly/model';
import type { ServiceRequest } from '../endpoint/types';

/** Why a request failed method request validation; the message is API Gateway's client body. */
export type ValidationFailure =
  | { readonly kind: 'parameters'; readonly missing: readonly string[]; readonly message: string }
  | { readonly kind: 'body'; readonly message: string; readonly details: string };

/**
 * Method request validation of a REST API (request validators with `ValidateRequestParameters`
 * and `ValidateRequestBody`). Models are JSON Schema draft 4, compiled once each.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-test.html
 */
export class RequestValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: false });
  private readonly compiled = new WeakMap<object, ValidateFunction | Error>();

  /** The failure API Gateway reports first (parameters before body), or undefined when valid. */
  validate(
    route: RestApiRouteModel,
    req: ServiceRequest,
    pathParameters: Readonly<Record<string, string>> | null,
  ): ValidationFailure | undefined {
    if (route.validateRequestParameters) {
      const missing = missingParameters(route.requestParameters, req, pathParameters);
      if (missing.length > 0) {
        return { kind: 'parameters', missing, message: `Missing required request parameters: [${missing.join(', ')}]` };
      }
    }
    if (route.validateRequestBody) {
      const schema = selectModel(route.requestModels, req.headers['content-type']);
      if (schema === undefined) return undefined;
      const validate = this.compile(schema);
      if (validate instanceof Error) return undefined;
      let body: unknown;
      try {
        body = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
      } catch (err) {
        return { kind: 'body', message: 'Invalid request body', details: (err as Error).message };
      }
      if (!validate(body)) {
        return { kind: 'body', message: 'Invalid request body', details: this.ajv.errorsText(validate.errors) };
      }
    }
    return undefined;
  }

  private compile(schema: unknown): ValidateFunction | Error {
    if (typeof schema !== 'object' || schema === null) return new Error('model is not a JSON schema object');
    const cached = this.compiled.get(schema);
    if (cached) return cached;
    let result: ValidateFunction | Error;
    try {
      result = this.ajv.compile(schema);
    } catch (err) {
      // A model API Gateway would accept but we cannot compile (e.g. a `$ref` to another model's
      // URL) is not validated locally rather than rejecting every request.
      result = err as Error;
    }
    this.compiled.set(schema, result);
    return result;
  }
}

/**
 * Names of required `method.request.{querystring,header,path}.<name>` parameters the request
 * lacks, in the template's order. Header names compare case-insensitively.
 */
export function missingParameters(
  required: Readonly<Record<string, boolean>>,
  req: Pick<ServiceRequest, 'headers' | 'query'>,
  pathParameters: Readonly<Record<string, string>> | null,
): string[] {
  const missing: string[] = [];
  for (const [key, isRequired] of Object.entries(required)) {
    if (!isRequired) continue;
    const m = /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.(.+)$/.exec(key);
    if (!m) continue;
    const [, where, name] = m as unknown as [string, string, string];
    const present =
      where === 'querystring' || where === 'multivaluequerystring'
        ? req.query.has(name)
        : where === 'header' || where === 'multivalueheader'
          ? req.headers[name.toLowerCase()] !== undefined
          : pathParameters?.[name] !== undefined;
    if (!present) missing.push(name);
  }
  return missing;
}

/**
 * The model for a request: by its Content-Type, `application/json` when it has none, else the
 * `$default` model.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
 */
export function selectModel(models: Readonly<Record<string, unknown>>, contentType: string | undefined): unknown {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() || 'application/json';
  return models[type] ?? models['$default'];
}
