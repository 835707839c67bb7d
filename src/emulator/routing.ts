/**
 * Route matching as API Gateway REST does it: the most specific resource that has the method wins (exact segment
 * over `{param}` over `{proxy+}`; on one resource the exact verb over `ANY`).
 */

import { DEFAULT_ROUTE_PATH, type Route } from '../model/types.js';

export interface RouteMatch {
  route: Route;
  /** Decoded values of `{param}` and `{proxy+}` (`proxy` keeps its slashes). */
  pathParameters: Record<string, string>;
}

/** Per-segment rank: lower is more specific. */
const EXACT = 0;
const PARAM = 1;
const GREEDY = 2;

/** Split a path into segments; `/` has none, and one trailing slash is ignored. */
export function splitPath(path: string): string[] {
  const segments = path.split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

interface TemplateMatch {
  ranks: number[];
  pathParameters: Record<string, string>;
}

/** Match one path template against concrete segments; undefined when it does not apply. */
export function matchTemplate(template: string, segments: string[]): TemplateMatch | undefined {
  const parts = splitPath(template);
  const ranks: number[] = [];
  const pathParameters: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      // `{proxy+}` is always the last part and takes one or more segments.
      if (i !== parts.length - 1 || segments.length <= i) return undefined;
      pathParameters[greedy[1] as string] = segments.slice(i).map(decode).join('/');
      ranks.push(GREEDY);
      return { ranks, pathParameters };
    }
    const segment = segments[i];
    if (segment === undefined || segment === '') return undefined;
    const param = /^\{(.+)\}$/.exec(part);
    if (param) {
      pathParameters[param[1] as string] = decode(segment);
      ranks.push(PARAM);
    } else if (part === segment) {
      ranks.push(EXACT);
    } else {
      return undefined;
    }
  }
  return segments.length === parts.length ? { ranks, pathParameters } : undefined;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  // Same prefix: the longer template consumed more segments literally (a greedy tail is shorter).
  return b.length - a.length;
}

/**
 * Find the route for a request, or undefined (API Gateway then answers 403 Missing Authentication Token).
 *
 * Resources are tried from the most specific to the least; the first one that has the method (or `ANY`) wins. So
 * when the most specific resource lacks the method, a `{param}` or `{proxy+}` resource that has it takes the request
 * (for example `POST /pets` with only `GET /pets` and `ANY /{proxy+}` goes to `/{proxy+}`), and that resource's
 * own authorization applies, which may be none (issue 7, point 6; LocalStack's AWS-validated router matches path
 * and method together the same way).
 *
 * @param options.greedyLast - HTTP APIs: every template without `{proxy+}` comes before every greedy one, whatever
 *   the segment order; REST ranks segment by segment only
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
  options: { greedyLast?: boolean } = {},
): RouteMatch | undefined {
  const segments = splitPath(path);
  const candidates: { template: string; greedy: boolean; match: TemplateMatch }[] = [];
  for (const template of new Set(routes.map((r) => r.path))) {
    // An HTTP API's `$default` route is no path template: it is the fallback, never a literal `/$default`.
    if (template === DEFAULT_ROUTE_PATH) continue;
    const match = matchTemplate(template, segments);
    if (match) candidates.push({ template, greedy: template.endsWith('+}'), match });
  }
  const greedyLast = options.greedyLast === true;
  // Ties cannot happen between distinct templates of the same shape; sort by template text for determinism anyway.
  candidates.sort(
    (a, b) =>
      (greedyLast ? Number(a.greedy) - Number(b.greedy) : 0) ||
      compareRanks(a.match.ranks, b.match.ranks) ||
      (a.template < b.template ? -1 : 1),
  );
  for (const { template, match } of candidates) {
    const onResource = routes.filter((r) => r.path === template);
    const route = onResource.find((r) => r.method === method) ?? onResource.find((r) => r.method === 'ANY');
    if (route) return { route, pathParameters: match.pathParameters };
  }
  return undefined;
}

/** The methods a resource answers, for CORS preflight `Access-Control-Allow-Methods`. */
export function methodsOnResource(routes: readonly Route[], template: string): string[] {
  return [...new Set(routes.filter((r) => r.path === template).map((r) => r.method))].sort();
}

/**
 * The `methodArn` API Gateway hands to Lambda authorizers: the concrete request path, percent-encoded as sent
 * (encoding of special characters in the ARN is unsettled, see the reference's open question 8); the root is
 * `.../GET/` as the AWS examples write it.
 */
export function buildMethodArn(parts: {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  method: string;
  path: string;
}): string {
  const { region, accountId, apiId, stage, method, path } = parts;
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${method}/${path.replace(/^\//, '')}`;
}
