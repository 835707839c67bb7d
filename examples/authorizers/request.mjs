// Lambda REQUEST authorizer for the petstore example (examples/apigw-authz.config.yaml, RequestAuth).
// Identity sources: header X-Tenant-Id, query string apiVersion, stage variable authStage (caching on, so API
// Gateway answers 401 itself when one is missing, without calling this function).

const EXPECTED = { tenant: 'tenant-1', apiVersion: '2024-01-01', authStage: 'prod-auth' };

/** Header lookup is case-insensitive: clients and proxies do not keep header-name casing. */
function header(headers, name) {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

export const handler = async (event) => {
  const tenant = header(event.headers, 'X-Tenant-Id');
  const apiVersion = event.queryStringParameters?.apiVersion;
  const authStage = event.stageVariables?.authStage;
  if (tenant !== EXPECTED.tenant || apiVersion !== EXPECTED.apiVersion || authStage !== EXPECTED.authStage) {
    throw new Error('Unauthorized');
  }
  const [apiAndStage, stage] = event.methodArn.split('/');
  return {
    principalId: `tenant:${tenant}`,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${apiAndStage}/${stage}/*/*` }],
    },
    context: { tenant },
  };
};
