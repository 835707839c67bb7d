// HTTP API Lambda authorizer for the orders-http example (examples/orders-http.config.yaml, LambdaAuth):
// payload format 2.0 with simple responses. Identity sources: header X-Api-Token and query string tenant (caching
// on, so API Gateway answers 401 itself when one is missing or empty, without calling this function).
// Every identity value must be a known one: an unknown value of ANY source is refused, so a cache keyed on one
// source only would show up as a cached allow for an identity this function never allowed.
// The context reaches the integration as `requestContext.authorizer.lambda`, with its JSON types kept.

const TENANTS = { 'tenant-1': { plan: 'gold', seats: 25 } };
const TOKENS = { 'orders-token-1': { tenant: 'tenant-1', user: 'alice' } };

/** Payload 2.0 lower-cases header names; look up case-insensitively anyway (payload 1.0, hand-written events). */
function header(headers, name) {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

export const handler = async (event) => {
  const token = header(event.headers, 'X-Api-Token');
  const tenant = event.queryStringParameters?.tenant;
  const identity = TOKENS[token];
  if (identity === undefined || identity.tenant !== tenant || TENANTS[tenant] === undefined) {
    return { isAuthorized: false };
  }
  return {
    isAuthorized: true,
    // A string, a number and a boolean: payload 2.0 keeps each JSON type (the config's expectContext checks it).
    context: { tenant, seats: TENANTS[tenant].seats, admin: false, user: identity.user },
  };
};
