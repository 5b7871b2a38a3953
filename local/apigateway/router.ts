import type { RestApiModel, RestApiRouteModel, RestApiStageModel } from '../assembly/model';

/** The parts of a local stage URL `/restapis/<apiId>/<stage>/_user_request_/<path>`. */
export interface StageRequestPath {
  readonly apiId: string;
  readonly stage: string;
  /** The API path after `_user_request_`, still percent-encoded, always starting with `/`. */
  readonly rawPath: string;
}

/** The prefix the engine mounts the gateway on. */
export const REST_API_PREFIX = '/restapis/';

/**
 * Splits a local stage URL path, the same shape LocalStack uses for REST APIs without custom
 * domains. Returns undefined when the path is not a stage URL.
 */
export function parseStageRequestPath(path: string): StageRequestPath | undefined {
  if (!path.startsWith(REST_API_PREFIX)) return undefined;
  const parts = path.slice(REST_API_PREFIX.length).split('/');
  const [apiId, stage, marker, ...rest] = parts;
  if (!apiId || !stage || marker !== '_user_request_') return undefined;
  return { apiId, stage, rawPath: `/${rest.join('/')}` };
}

/** A request matched to a method of a resource. */
export interface RouteMatch {
  readonly api: RestApiModel;
  readonly stage: RestApiStageModel;
  readonly route: RestApiRouteModel;
  /**
   * The decoded request path inside the stage, e.g. `/orders/42` (the event's `path`), with the
   * request's trailing slash if it had one.
   */
  readonly path: string;
  /** Values of the resource's path variables, decoded; null when it has none (as API Gateway sends). */
  readonly pathParameters: Readonly<Record<string, string>> | null;
}

interface ResourceNode {
  readonly literal: Map<string, ResourceNode>;
  variable?: { readonly name: string; readonly node: ResourceNode };
  greedy?: { readonly name: string; readonly node: ResourceNode };
  /** By HTTP method (`ANY` included). */
  readonly methods: Map<string, RestApiRouteModel>;
}

function newNode(): ResourceNode {
  return { literal: new Map(), methods: new Map() };
}

/**
 * The resource tree of one REST API. Every prefix of a route path is a resource too (API Gateway
 * resources have parents even when they have no methods), so `/orders` exists when only
 * `/orders/{id}` has methods and a request to it answers 403, not a fallback to `/{proxy+}`.
 */
export class ResourceTree {
  private readonly root = newNode();

  constructor(routes: readonly RestApiRouteModel[]) {
    for (const route of routes) {
      let node = this.root;
      for (const segment of splitPath(route.resourcePath)) node = child(node, segment);
      node.methods.set(route.httpMethod.toUpperCase(), route);
    }
  }

  /**
   * Finds the resource for a request path and then its method.
   *
   * Resource selection prefers, segment by segment, a literal part over a path variable over a
   * greedy `{proxy+}` variable; a method falls back to `ANY` on the chosen resource only.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
   */
  match(
    method: string,
    segments: readonly string[],
  ): { route: RestApiRouteModel; pathParameters: Record<string, string> | null } | undefined {
    const params: Record<string, string> = {};
    const node = find(this.root, segments, 0, params);
    if (!node) return undefined;
    const route = node.methods.get(method.toUpperCase()) ?? node.methods.get('ANY');
    if (!route) return undefined;
    return { route, pathParameters: Object.keys(params).length > 0 ? params : null };
  }
}

function child(node: ResourceNode, segment: string): ResourceNode {
  const greedy = /^\{(.+)\+\}$/.exec(segment);
  if (greedy) {
    node.greedy ??= { name: greedy[1]!, node: newNode() };
    return node.greedy.node;
  }
  const variable = /^\{(.+)\}$/.exec(segment);
  if (variable) {
    node.variable ??= { name: variable[1]!, node: newNode() };
    return node.variable.node;
  }
  let next = node.literal.get(segment);
  if (!next) {
    next = newNode();
    node.literal.set(segment, next);
  }
  return next;
}

function find(
  node: ResourceNode,
  segments: readonly string[],
  i: number,
  params: Record<string, string>,
): ResourceNode | undefined {
  if (i === segments.length) return node;
  const segment = segments[i]!;
  const literal = node.literal.get(segment);
  if (literal) {
    const found = find(literal, segments, i + 1, params);
    if (found) return found;
  }
  if (node.variable) {
    const found = find(node.variable.node, segments, i + 1, params);
    if (found) {
      params[node.variable.name] = segment;
      return found;
    }
  }
  if (node.greedy) {
    params[node.greedy.name] = segments.slice(i).join('/');
    return node.greedy.node;
  }
  return undefined;
}

/** `/a/b/` → `['a', 'b']`; empty segments are ignored as API Gateway does for repeated slashes. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** Percent-decodes one path segment, keeping it as is when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** All REST APIs of the assembly, indexed for routing. */
export class RestApiRouter {
  private readonly byId = new Map<string, { api: RestApiModel; tree: ResourceTree }>();

  constructor(apis: readonly RestApiModel[]) {
    for (const api of apis) this.byId.set(api.id, { api, tree: new ResourceTree(api.routes) });
  }

  /**
   * Matches a request; `undefined` is API Gateway's "Missing Authentication Token" case.
   * @see https://github.com/localstack/localstack/blob/main/tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json (AWS-recorded events: `"path": "/proxy-value/"`)
   */
  route(method: string, path: StageRequestPath): RouteMatch | undefined {
    const entry = this.byId.get(path.apiId);
    if (!entry) return undefined;
    const stage = entry.api.stages.find((s) => s.name === path.stage);
    if (!stage) return undefined;
    const segments = splitPath(path.rawPath).map(decodeSegment);
    const found = entry.tree.match(method, segments);
    if (!found) return undefined;
    // API Gateway keeps a trailing slash in the event's `path` ("/orders/"), not in path parameters.
    const trailingSlash = segments.length > 0 && path.rawPath.endsWith('/') ? '/' : '';
    return {
      api: entry.api,
      stage,
      route: found.route,
      path: `/${segments.join('/')}${trailingSlash}`,
      pathParameters: found.pathParameters,
    };
  }
}
