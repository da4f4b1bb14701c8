import { methodNotAllowed, unknownOperation } from './errors.js';

/** Who may call a route when API keys are configured (with none configured, everyone on loopback may). */
export type RouteAccess =
  /** Anyone: the dashboard's files, `/healthz`. */
  | 'public'
  /** Any caller with a tenant key or the admin key. */
  | 'caller'
  /** Only the admin key. */
  | 'admin';

/** One route: a method, a path pattern with `{name}` segments, who may call it, and its handler. */
export interface Route<Context> {
  method: string;
  /** E.g. `/model/{modelId}/converse`. A `{name}` matches one path segment (no `/`), still URL-encoded. */
  pattern: string;
  access: RouteAccess;
  /** A short name for metrics and logs, e.g. `converse`. */
  name: string;
  handle(context: Context, params: Record<string, string>): Promise<void> | void;
}

/** A route that matched a request, with its path parameters. */
export interface RouteMatch<Context> {
  route: Route<Context>;
  params: Record<string, string>;
}

interface CompiledRoute<Context> {
  route: Route<Context>;
  regex: RegExp;
  names: string[];
}

/**
 * A small method-and-path router. An unknown path is a 404 UnknownOperationException; a known path with
 * another method is a 405 with an `allow` header. `HEAD` is served by a `GET` route.
 */
export class Router<Context> {
  private readonly routes: CompiledRoute<Context>[] = [];

  add(route: Route<Context>): this {
    const names: string[] = [];
    const source = route.pattern
      .split('/')
      .map((segment) => {
        const parameter = /^\{([A-Za-z]+)\}$/.exec(segment);
        if (!parameter) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(parameter[1]!);
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ route, regex: new RegExp(`^${source}$`), names });
    return this;
  }

  /** The route for a request. @throws {GatewayError} 404 or 405. */
  match(method: string, path: string): RouteMatch<Context> {
    const allowed: string[] = [];
    for (const { route, regex, names } of this.routes) {
      const found = regex.exec(path);
      if (!found) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        const params: Record<string, string> = {};
        names.forEach((name, index) => {
          params[name] = found[index + 1]!;
        });
        return { route, params };
      }
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    if (allowed.length > 0) throw methodNotAllowed(method, path, allowed);
    throw unknownOperation(method, path);
  }

  /** Every route, in the order added (for documentation and tests). */
  list(): readonly Route<Context>[] {
    return this.routes.map((compiled) => compiled.route);
  }
}
