/**
 * What the two OpenAPI readers share: the REST one (build-model.ts) and the HTTP API one (http-api.ts). Both
 * collect warnings one per kind, word errors with the file, the JSON pointer and its line, read the same operation
 * keys and security schemes, and walk `security` lists the same way; what a scheme means differs.
 */

import {
  InvalidExportError,
  UnsupportedAuthorizerError,
  type ApigwAuthzError,
  type ErrorDetails,
} from '../../errors.js';
import { fromPointer, toPointer } from '../../model/json-pointer.js';
import { isObject } from '../../model/parse.js';
import type { RouteMethod } from '../../model/types.js';
import type { ExportSource } from './build-model.js';

export type Segments = Array<string | number>;
export type Json = Record<string, unknown>;
export type ErrorClass = new (message: string, details?: ErrorDetails) => ApigwAuthzError;

/** The operation keys of a path item; API Gateway's `x-amazon-apigateway-any-method` is ANY. */
export const OPERATION_METHODS: Record<string, RouteMethod> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

/** SAM writes `security: [{ NONE: [] }]` for a route that opts out of the default authorizer, with no such scheme. */
const SAM_NONE = 'NONE';

/** A warning kind seen once or more: the first place and how many more. */
interface Note {
  pointer: string;
  message: string;
  more: number;
}

/** A security scheme as a reader sees it: what it means (`kind`) and where it is defined. */
interface SchemeLike {
  kind: string;
  path: Segments;
}
type Unsupported = { kind: 'unsupported'; message: string };

export abstract class OpenApiReaderBase {
  private readonly notes = new Map<string, Note>();
  protected readonly base: Segments;

  /**
   * @param source - the file, the document's pointer in it, and a pointer locator
   * @param exportFix - the fix for a scheme that is not an API Gateway authorizer: how to export with authorizers
   */
  constructor(
    protected readonly source: ExportSource,
    private readonly exportFix: string,
  ) {
    this.base = fromPointer(source.pointer ?? '#');
  }

  /** The warnings in the order their kinds were first met. */
  warnings(): string[] {
    return [...this.notes.values()].map(({ pointer, message, more }) => {
      const others = more === 0 ? '' : ` (and ${more} more like it)`;
      return `${this.source.file} ${pointer}: ${message.replace(/\.$/, '')}${others}.`;
    });
  }

  /** Records an assumption; one warning per kind, naming the first field of that kind. */
  protected note(kind: string, path: Segments, message: string): void {
    const seen = this.notes.get(kind);
    if (seen) seen.more++;
    else this.notes.set(kind, { pointer: toPointer([...this.base, ...path]), message, more: 0 });
  }

  /**
   * The warning for routes that take the root-level `security` (a file kept in a repository; exports write it
   * per operation).
   *
   * @param what - the root security's authorization, as the warning names it
   * @param aside - what else the reader has to say about it
   */
  protected noteRootSecurity(inherited: number, what: string, aside?: string): void {
    this.note(
      'root security',
      ['security'],
      `${inherited} ${inherited === 1 ? 'route inherits' : 'routes inherit'} the root-level security ` +
        `(${what})${aside === undefined ? '' : `; ${aside}`}; an operation's \`security: []\` opts out.`,
    );
  }

  /**
   * Reads a map of security schemes (`components.securitySchemes`, Swagger's `securityDefinitions`).
   *
   * @param readScheme - what one scheme means to this reader
   */
  protected readSchemeMap<M>(
    raw: unknown,
    base: Segments,
    readScheme: (name: string, scheme: Json, path: Segments) => M,
  ): Map<string, M & { path: Segments }> {
    const schemes = new Map<string, M & { path: Segments }>();
    if (raw === undefined) return schemes;
    if (!isObject(raw)) throw this.error(InvalidExportError, 'Expected an object of security schemes.', base);
    for (const [name, scheme] of Object.entries(raw)) {
      const path = [...base, name];
      if (!isObject(scheme))
        throw this.error(InvalidExportError, `Security scheme "${name}" is not an object.`, path);
      schemes.set(name, { ...readScheme(name, scheme, path), path });
    }
    return schemes;
  }

  /**
   * Walks one `security` list (an operation's or the root's): every requirement's schemes must be defined and be
   * authorizers, with a list of scopes; SAM's undefined `NONE` is no authorization (warned).
   *
   * @param schemesPath - where the schemes are defined, for the error that names an undefined one
   * @param use - called for each scheme named, in order, with its scopes and its pointer
   */
  protected forEachRequirement<S extends SchemeLike>(
    raw: unknown[],
    path: Segments,
    schemes: Map<string, S>,
    schemesPath: Segments,
    use: (name: string, scheme: Exclude<S, Unsupported>, scopes: string[], at: Segments) => void,
  ): void {
    raw.forEach((requirement: unknown, i) => {
      if (!isObject(requirement)) {
        throw this.error(InvalidExportError, 'Expected a security requirement object.', [...path, i]);
      }
      for (const [name, scopes] of Object.entries(requirement)) {
        const at = [...path, i, name];
        const scheme = schemes.get(name);
        if (scheme === undefined && name === SAM_NONE) {
          this.note(
            'NONE',
            at,
            'security names NONE, which no security scheme defines: read as "no authorization" (SAM writes it ' +
              'so for a route that opts out of the default authorizer).',
          );
          continue;
        }
        if (scheme === undefined) {
          throw this.error(
            InvalidExportError,
            `Security scheme "${name}" is not defined in ${toPointer(schemesPath)}.`,
            at,
            `Define "${name}" there, or remove it from this operation's security.`,
          );
        }
        if (scheme.kind === 'unsupported') {
          const { message } = scheme as unknown as Unsupported;
          throw this.error(UnsupportedAuthorizerError, message, scheme.path, this.exportFix);
        }
        if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
          throw this.error(InvalidExportError, 'Expected a list of scope strings.', at);
        }
        use(name, scheme as Exclude<S, Unsupported>, scopes as string[], at);
      }
    });
  }

  /** A scheme with an `x-amazon-apigateway-authtype` other than awsSigv4 and no authorizer: unknown. */
  protected authtypeWithoutAuthorizer(name: string, authtype: unknown, path: Segments): ApigwAuthzError {
    return this.error(
      InvalidExportError,
      `Security scheme "${name}" has x-amazon-apigateway-authtype ${JSON.stringify(authtype)} but no ` +
        'x-amazon-apigateway-authorizer, so its authorizer is unknown.',
      [...path, 'x-amazon-apigateway-authtype'],
      this.exportFix,
    );
  }

  /** An error naming the file, the JSON pointer and, when the locator knows it, the line. */
  protected error(Class: ErrorClass, message: string, path: Segments, fix?: string): ApigwAuthzError {
    const pointer = toPointer([...this.base, ...path]);
    const line = this.source.locate?.(pointer);
    return new Class(message, {
      file: this.source.file,
      location: line === undefined ? pointer : `${pointer} (${line})`,
      ...(fix === undefined ? {} : { fix }),
    });
  }
}
