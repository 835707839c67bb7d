/** Render: TestPlan -> Postman collection v2.1 + environment file (plain JSON objects). */
export { renderCollection } from './collection.js';
export { renderEnvironment } from './environment.js';
export { allVariables, requiredVariables } from './variables.js';
export { apiSlug, collectionFileNames, serializeJson } from './naming.js';
export { COLLECTION_SCHEMA_URL } from './postman-types.js';
export type {
  PostmanAuth,
  PostmanAuthAttribute,
  PostmanCollection,
  PostmanEnvironment,
  PostmanEnvironmentValue,
  PostmanEvent,
  PostmanFolder,
  PostmanItem,
  PostmanRequest,
  PostmanVariable,
} from './postman-types.js';
