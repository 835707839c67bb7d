/**
 * The subset of the Postman Collection Format v2.1.0 and of the environment file format that apigw-authz emits.
 * Plain JSON shapes: the renderer builds these objects directly (never through the postman-collection SDK, which
 * invents random ids and drops `url.raw`).
 */

export const COLLECTION_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** One `{key, value, type}` attribute of a v2.1 auth definition. */
export interface PostmanAuthAttribute {
  key: string;
  value: string | boolean;
  type: 'string' | 'boolean';
}

/** `auth` on a collection, folder or request. `inherit` is never emitted: omit `auth` to inherit. */
export type PostmanAuth =
  | { type: 'noauth' }
  | { type: 'oauth2'; oauth2: PostmanAuthAttribute[] }
  | { type: 'awsv4'; awsv4: PostmanAuthAttribute[] };

export interface PostmanScript {
  id: string;
  type: 'text/javascript';
  /** The script, one string per line. */
  exec: string[];
}

export interface PostmanEvent {
  listen: 'prerequest' | 'test';
  script: PostmanScript;
}

export interface PostmanHeader {
  key: string;
  value: string;
  type: 'text';
}

export interface PostmanQueryParam {
  key: string;
  value: string;
}

export interface PostmanBody {
  mode: 'raw';
  raw: string;
  options: { raw: { language: 'json' } };
}

export interface PostmanRequest {
  /** Absent: inherit the folder's auth (positive Cognito cases only). */
  auth?: PostmanAuth;
  method: string;
  /** Absent when the request sends no header of its own. */
  header?: PostmanHeader[];
  body?: PostmanBody;
  /** `{{baseUrl}}/path?query`: v2.1's string form. */
  url: string;
  /** Markdown for the Postman app, ending with the case descriptor (see descriptor.ts). */
  description: string;
}

/** A request: no scripts of its own (they live once, at folder and collection level). */
export interface PostmanItem {
  id: string;
  name: string;
  request: PostmanRequest;
}

export interface PostmanFolder {
  id: string;
  name: string;
  description?: string;
  auth?: PostmanAuth;
  event?: PostmanEvent[];
  item: (PostmanFolder | PostmanItem)[];
}

export interface PostmanVariable {
  key: string;
  value: string;
  type: 'string';
  description: string;
}

export interface PostmanCollection {
  info: {
    _postman_id: string;
    name: string;
    description: string;
    schema: typeof COLLECTION_SCHEMA_URL;
  };
  item: PostmanFolder[];
  auth: PostmanAuth;
  event: PostmanEvent[];
  variable: PostmanVariable[];
}

export interface PostmanEnvironmentValue {
  key: string;
  value: string;
  type: 'default' | 'secret';
  enabled: true;
  /** Not part of the app's export format; Postman and Newman ignore it, people reading the file do not. */
  description: string;
}

export interface PostmanEnvironment {
  id: string;
  name: string;
  values: PostmanEnvironmentValue[];
  _postman_variable_scope: 'environment';
}
