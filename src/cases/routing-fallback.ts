/**
 * Which route answers a concrete request, the way API Gateway routes it: the most specific resource whose
 * template matches the path (a literal segment before `{param}`, `{param}` before `{proxy+}`); when that resource
 * lacks the method (and has no ANY), API Gateway falls back to a less specific `{param}`/`{proxy+}` resource that
 * has it, and that route's authorization applies, which may be none. The plan reports where this happens and
 * takes the expectations from the route that answers. Deliberately not shared with the emulator: a suite run
 * against `serve` must test this reading, not agree with itself (issue 7 point 6).
 *
 * HTTP APIs route by route key (reference §B.6): a route with the request's method on a template matching the
 * whole path (most specific first), then the method on a greedy `{proxy+}` template, then an `ANY` route, then
 * `$default`; nothing: 404 Not Found.
 */

import type { ProjectConfig } from '../config/types.js';
import { DEFAULT_ROUTE_PATH } from '../model/types.js';
import type { ApiKind, HttpMethod, Route } from '../model/types.js';
import { compareRoutes, concretePath, routeId } from './route-request.js';

type SegmentRank = 0 | 1 | 2;

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function rankOf(segment: string): SegmentRank {
  if (/^\{[^}]+\+\}$/.test(segment)) return 2;
  if (/^\{[^}]+\}$/.test(segment)) return 1;
  return 0;
}

/** Whether a resource template matches a concrete path (a greedy segment takes one or more segments). */
export function templateMatches(template: string, path: string): boolean {
  const wanted = segmentsOf(template);
  const actual = segmentsOf(path);
  for (let i = 0; i < wanted.length; i += 1) {
    const segment = wanted[i] ?? '';
    const rank = rankOf(segment);
    if (rank === 2) return i === wanted.length - 1 && actual.length > i;
    const value = actual[i];
    if (value === undefined) return false;
    if (rank === 0 && value !== segment) return false;
  }
  return wanted.length === actual.length;
}

/** Negative when `a` is the more specific template: compared segment by segment, literal < param < greedy. */
function compareSpecificity(a: string, b: string): number {
  const left = segmentsOf(a).map(rankOf);
  const right = segmentsOf(b).map(rankOf);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const l = left[i];
    const r = right[i];
    if (l === r) continue;
    // a greedy segment matches more than a longer template that has reached this depth
    if (l === undefined) return 1;
    if (r === undefined) return -1;
    return l - r;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A resource tree node: children by literal segment, one `{param}` child, greedy `{name+}` resources. */
interface TrieNode {
  literal: Map<string, TrieNode>;
  param?: TrieNode;
  /** Templates of `{name+}` resources under this node. */
  greedy: string[];
  /** The template of the resource that ends here. */
  resource?: string;
}

function trieNode(): TrieNode {
  return { literal: new Map(), greedy: [] };
}

/**
 * API Gateway's resource tree of a route list, built once: the routes of each resource and the templates that
 * match a concrete path, without scanning every route per request (a plan of a 5,000-route API asks ~10,000 times).
 */
export class RouteIndex {
  private readonly root = trieNode();
  private readonly byResource = new Map<string, Route[]>();
  /** HTTP APIs: the `$default` route, which answers what no other route matches. */
  readonly defaultRoute: Route | undefined;

  /** @param kind `HTTP`: route-key priority and `$default` (see the module comment); default REST. */
  constructor(
    routes: readonly Route[],
    private readonly kind: ApiKind = 'REST',
  ) {
    this.defaultRoute =
      kind === 'HTTP' ? routes.find((route) => route.path === DEFAULT_ROUTE_PATH) : undefined;
    for (const route of routes) {
      if (kind === 'HTTP' && route.path === DEFAULT_ROUTE_PATH) continue;
      const own = this.byResource.get(route.path);
      if (own) {
        own.push(route);
        continue;
      }
      this.byResource.set(route.path, [route]);
      let node = this.root;
      for (const segment of segmentsOf(route.path)) {
        const rank = rankOf(segment);
        if (rank === 2) break;
        if (rank === 1) node = node.param ??= trieNode();
        else {
          const next = node.literal.get(segment) ?? trieNode();
          node.literal.set(segment, next);
          node = next;
        }
      }
      if (segmentsOf(route.path).some((segment) => rankOf(segment) === 2)) node.greedy.push(route.path);
      else node.resource = route.path;
    }
  }

  /** The routes of one resource template. */
  routesOf(template: string): readonly Route[] {
    return this.byResource.get(template) ?? [];
  }

  /** Every resource template that matches a concrete path, most specific first. */
  matching(path: string): string[] {
    const actual = segmentsOf(path);
    const found: string[] = [];
    const walk = (node: TrieNode, depth: number): void => {
      if (depth < actual.length) found.push(...node.greedy);
      if (depth === actual.length) {
        if (node.resource !== undefined) found.push(node.resource);
        return;
      }
      const segment = actual[depth] ?? '';
      const literal = node.literal.get(segment);
      if (literal) walk(literal, depth + 1);
      if (node.param) walk(node.param, depth + 1);
    };
    walk(this.root, 0);
    return found.sort(compareSpecificity);
  }

  /**
   * The route that answers `method path`, or undefined when API Gateway finds none (REST: 403 Missing
   * Authentication Token; HTTP: 404 Not Found).
   */
  answer(method: HttpMethod, path: string): Route | undefined {
    if (this.kind === 'HTTP') return this.httpAnswer(method, path);
    for (const resource of this.matching(path)) {
      const own = this.routesOf(resource);
      const answer =
        own.find((route) => route.method === method) ?? own.find((route) => route.method === 'ANY');
      if (answer) return answer;
    }
    return undefined;
  }

  /** HTTP route-key priority: method on a full template, method on a greedy one, `ANY`, `$default`. */
  private httpAnswer(method: HttpMethod, path: string): Route | undefined {
    const templates = this.matching(path);
    const greedy = (template: string) => segmentsOf(template).some((segment) => rankOf(segment) === 2);
    const withMethod = (template: string, wanted: HttpMethod | 'ANY') =>
      this.routesOf(template).find((route) => route.method === wanted);
    for (const template of templates) {
      const exact = greedy(template) ? undefined : withMethod(template, method);
      if (exact) return exact;
    }
    for (const template of templates) {
      const onGreedy = greedy(template) ? withMethod(template, method) : undefined;
      if (onGreedy) return onGreedy;
    }
    for (const template of templates) {
      const any = withMethod(template, 'ANY');
      if (any) return any;
    }
    return this.defaultRoute;
  }
}

/** The route that answers `method path` (builds an index: for many requests, use one `RouteIndex`). */
export function answeringRoute(
  routes: readonly Route[],
  method: HttpMethod,
  path: string,
  kind: ApiKind = 'REST',
): Route | undefined {
  return new RouteIndex(routes, kind).answer(method, path);
}

/** Whether two routes authorize a request the same way (authorizer, scopes, API key). */
export function sameAuthorization(a: Route, b: Route): boolean {
  if (a.apiKeyRequired !== b.apiKeyRequired) return false;
  if (a.authorization.type !== b.authorization.type) return false;
  if (a.authorization.type === 'NONE' || b.authorization.type === 'NONE') return true;
  const scopes = (route: Route): string =>
    route.authorization.type === 'AUTHORIZER' ? [...route.authorization.scopes].sort().join(' ') : '';
  return a.authorization.authorizer === b.authorization.authorizer && scopes(a) === scopes(b);
}

/** `authorizer X`, `no authorization` or `an API key only`. */
export function describeAuthorization(route: Route): string {
  if (route.authorization.type === 'NONE')
    return route.apiKeyRequired ? 'an API key only' : 'no authorization';
  return `authorizer ${route.authorization.authorizer}`;
}

const PROBED_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

/**
 * Protected resources whose missing methods an open (`NONE`, no API key) `{param}`/`{proxy+}` resource answers:
 * one warning per (resource, fallback route), naming the methods.
 */
export function openFallbackWarnings(
  index: RouteIndex,
  routes: readonly Route[],
  config: ProjectConfig,
): string[] {
  const warnings: string[] = [];
  const resources = [...new Set(routes.map((route) => route.path))].sort();
  for (const resource of resources) {
    const own = index.routesOf(resource);
    if (own.some((route) => route.method === 'ANY')) continue;
    if (!own.some((route) => route.authorization.type === 'AUTHORIZER' || route.apiKeyRequired)) continue;
    const path = concretePath(resource, config.pathParameters);
    // Only another resource (or an HTTP API's `$default`) can answer a missing method: most resources have none.
    if (!index.defaultRoute && index.matching(path).every((template) => template === resource)) continue;
    const byFallback = new Map<string, { route: Route; methods: HttpMethod[] }>();
    for (const method of PROBED_METHODS) {
      if (own.some((route) => route.method === method)) continue;
      const answer = index.answer(method, path);
      if (!answer || answer.path === resource) continue;
      if (answer.authorization.type !== 'NONE' || answer.apiKeyRequired) continue;
      const entry = byFallback.get(routeId(answer)) ?? { route: answer, methods: [] };
      entry.methods.push(method);
      byFallback.set(routeId(answer), entry);
    }
    for (const { route, methods } of [...byFallback.values()].sort((a, b) =>
      compareRoutes(a.route, b.route),
    )) {
      warnings.push(
        `${resource} is protected but has no ${methods.join(', ')}: API Gateway answers ${methods.join(', ')} ` +
          `${path} with ${routeId(route)}, which has ${describeAuthorization(route)}. Add the methods to ` +
          `${resource} (or protect ${routeId(route)}) if that is not meant.`,
      );
    }
  }
  return warnings;
}

/** The warning for a case whose request another route answers. */
export function fallbackWarning(route: Route, method: HttpMethod, path: string, answer: Route): string {
  return (
    `${routeId(route)}: the suite's request ${method} ${path} is answered by ${routeId(answer)} ` +
    `(${describeAuthorization(answer)}), as API Gateway routes it; its cases expect what that route does. ` +
    'Set pathParameters in the config to a value only this route matches.'
  );
}
