// @ts-check
/**
 * Module resolve hook for ES module bundles that live outside the project (see bootstrap.cjs): a bare specifier the
 * default resolver cannot find (e.g. `@aws-sdk/client-dynamodb`, which the Lambda runtime provides) is resolved again
 * from the project's node_modules.
 * @see https://nodejs.org/docs/latest-v20.x/api/module.html#customization-hooks
 */

/** @type {string | undefined} */
let fallbackParentURL;

/** @param {{ fallbackParentURL: string }} data */
export async function initialize(data) {
  fallbackParentURL = data.fallbackParentURL;
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context: { parentURL?: string }) => Promise<unknown>} next
 */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const bare = !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.includes(':');
    const notFound = error instanceof Error && Reflect.get(error, 'code') === 'ERR_MODULE_NOT_FOUND';
    if (bare && notFound && fallbackParentURL) return next(specifier, { ...context, parentURL: fallbackParentURL });
    throw error;
  }
}
