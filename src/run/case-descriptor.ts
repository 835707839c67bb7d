/**
 * The data a generated collection carries for `run`: each request's case descriptor (the fenced
 * ```apigw-authz-case block that ends its description) and the suite metadata (the ```apigw-authz-suite block
 * that ends the collection description). Reads the collection JSON or postman-collection/Newman objects alike.
 */

import { parseCaseDescriptor, parseSuiteMetadata } from '../render/descriptor.js';
import type { CaseDescriptor, SuiteMetadata } from '../render/descriptor.js';

export type {
  CaseDescriptor,
  CaseDescriptorData,
  SuiteAuthorizer,
  SuiteMetadata,
} from '../render/descriptor.js';

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The case descriptor of a collection item (its JSON, or a postman-collection `Item` as Newman's events give
 * it), or undefined for an item apigw-authz did not generate.
 */
export function caseDescriptorOf(item: unknown): CaseDescriptor | undefined {
  const name = field(item, 'name');
  return parseCaseDescriptor(
    field(field(item, 'request'), 'description'),
    typeof name === 'string' ? name : '',
  );
}

/** The suite metadata of a collection (its JSON, or a postman-collection `Collection`), if it has any. */
export function suiteMetadataOf(collection: unknown): SuiteMetadata | undefined {
  const info = field(collection, 'info');
  // JSON: info.description; postman-collection objects: description on the collection itself.
  return parseSuiteMetadata(field(info, 'description') ?? field(collection, 'description'));
}
