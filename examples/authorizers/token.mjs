// Lambda TOKEN authorizer for the petstore example (examples/apigw-authz.config.yaml, TokenAuth).
// Written as real Lambda code: API Gateway calls it with { type: 'TOKEN', authorizationToken, methodArn }.
//
// It returns a policy for the whole stage (arn:...:<apiId>/<stage>/*/*), not just the called method: API Gateway
// caches the policy per token (TTL 300) and reuses it on every route, so a method-scoped policy would make the
// next route answer 403 within the TTL.

function policy(principalId, effect, methodArn, context) {
  const [apiAndStage, stage] = methodArn.split('/');
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: `${apiAndStage}/${stage}/*/*` }],
    },
    ...(context ? { context } : {}),
  };
}

export const handler = async (event) => {
  switch (event.authorizationToken) {
    case 'allow-alice':
      return policy('alice', 'Allow', event.methodArn, { user: 'alice' });
    case 'deny-mallory':
      return policy('mallory', 'Deny', event.methodArn);
    default:
      // Exactly "Unauthorized": API Gateway answers 401. Any other error would be a 500.
      throw new Error('Unauthorized');
  }
};
