import type { ServiceRequest, ServiceResponse } from './types';

/** One file of a static site served by the endpoint, held in memory. */
export interface StaticAsset {
  /** URL path: `/` for the page, `/assets/<name>` for everything it loads. */
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** A web page served on the endpoint's own port (the lab console), built by the caller. */
export interface StaticSite {
  readonly assets: readonly StaticAsset[];
}

/** Path prefix of everything a static page loads. */
export const ASSETS_PREFIX = '/assets/';

/**
 * Answers an unsigned `GET`/`HEAD` of `/` or `/assets/…` from the site, or returns undefined so the
 * request goes on to the AWS services: a signed request for the same path (an S3 bucket named
 * `assets`, say) is never taken by the site.
 */
export function staticSiteHandler(site: StaticSite): (req: ServiceRequest) => ServiceResponse | undefined {
  const byPath = new Map(site.assets.map((asset) => [asset.path, asset]));
  return (req): ServiceResponse | undefined => {
    if (req.service !== '' || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
    if (req.path !== '/' && !req.path.startsWith(ASSETS_PREFIX)) return undefined;
    const asset = byPath.get(req.path);
    if (!asset) {
      const notFound: ServiceResponse = {
        status: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `No asset ${req.path}`,
      };
      return notFound;
    }
    return {
      status: 200,
      headers: {
        'content-type': asset.contentType,
        'content-length': String(asset.body.length),
        // The bundle is rebuilt at each start; the browser revalidates instead of keeping a stale copy.
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      },
      body: req.method === 'HEAD' ? Buffer.alloc(0) : asset.body,
    };
  };
}
