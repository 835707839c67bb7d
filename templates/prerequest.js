// apigw-authz: the pre-request logic, once per folder whose requests need any (a Cognito token, a forged token,
// an optional input): requests of other folders run no pre-request script at all. It reads the request's case
// descriptor (the fenced `apigw-authz-case` JSON block at the end of the request description), then
//   1. skips the request when the case's optional input (`skipUnless`, e.g. the expired token) is not given;
//   2. fetches the real token the case needs (templates/cognito-token.js, or templates/oidc-token.js for a JWT
//      authorizer's generic OIDC issuer; cached for the run);
//   3. forges `{{_forged}}` from a real token when the case is a forgery (templates/forge-token.js; the
//      algorithm-confusion forgery first fetches the issuer's key set).
// The renderer puts one setup line above the functions it includes:
//   var apigwAuthzSetup = { tokens: { NAME: <flows of cognito-token.js or, with provider 'oidc', of
//     oidc-token.js> }, foreignKey: <JWK> | null };
// Runs in Newman 6's sandbox and the Postman app / Postman CLI: ES5 style, callback pm.sendRequest.

/* global apigwAuthzSetup, apigwAuthzTokens, apigwAuthzOidcTokens, apigwAuthzForge */

var CASE_FENCE = '```apigw-authz-case\n';

// The case descriptor of this request, or null (a request the renderer did not write: nothing to do).
function caseDescriptor() {
  var description = pm.request.description;
  var text = description && typeof description === 'object' ? description.content : description;
  if (typeof text !== 'string') return null;
  var open = text.lastIndexOf(CASE_FENCE);
  if (open < 0) return null;
  var end = text.indexOf('\n```', open + CASE_FENCE.length);
  try {
    return JSON.parse(text.slice(open + CASE_FENCE.length, end < 0 ? undefined : end));
  } catch {
    return null;
  }
}

var testCase = caseDescriptor();
if (!testCase) return;

if (testCase.skipUnless && !pm.variables.get(testCase.skipUnless)) {
  pm.execution.skipRequest(); // optional input not given
  return;
}

function forgeStep() {
  if (!testCase.forge) return;
  apigwAuthzForge(testCase.forge, apigwAuthzSetup.foreignKey, function (result) {
    // Never leave `{{_forged}}` unresolved: the literal would be rejected and the case would pass for the wrong
    // reason. An empty source token blocks the case (the test script says so); another problem fails it here.
    pm.variables.set('_forged', result.token);
    if (result.problem && !result.blocked) {
      pm.test(pm.info.requestName + ': forge ' + testCase.forge.forgery + ' token', function () {
        throw new Error(
          '[' +
            pm.info.requestName +
            '] cannot forge the ' +
            testCase.forge.forgery +
            ' token: ' +
            result.problem,
        );
      });
    }
  });
}

var flows = testCase.token ? apigwAuthzSetup.tokens[testCase.token.authorizer] : undefined;
if (flows && flows.provider === 'oidc') apigwAuthzOidcTokens(testCase.token.authorizer, flows, forgeStep);
else if (flows) apigwAuthzTokens(testCase.token.authorizer, flows, forgeStep);
else forgeStep();
