// A synthetic CloudFormation template (YAML with short-form tags) of the same API as `syntheticExport(routes)`
// (scripts/synthetic-export.mjs): AWS::ApiGateway::Resource and ::Method resources, one per route, with their
// integrations, the four authorizers, a DEFAULT_4XX gateway response, a deployment and a `prod` stage. For the
// benchmark and the test that proves it is the same API.

const LAMBDA = (fn) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;

/**
 * @param {number} routes
 * @returns {string} the template text
 */
export function syntheticCloudFormation(routes) {
  const lines = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    `Description: synthetic API with ${routes} methods`,
    'Parameters:',
    '  UserPoolArn:',
    '    Type: String',
    '    Default: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PetStore1',
    '  StageName:',
    '    Type: String',
    '    Default: prod',
    'Resources:',
    '  Api:',
    '    Type: AWS::ApiGateway::RestApi',
    '    Properties:',
    `      Name: synthetic-${routes}`,
    '  CognitoAuth:',
    '    Type: AWS::ApiGateway::Authorizer',
    '    Properties:',
    '      Name: CognitoAuth',
    '      RestApiId: !Ref Api',
    '      Type: COGNITO_USER_POOLS',
    '      IdentitySource: method.request.header.Authorization',
    '      ProviderARNs:',
    '        - !Ref UserPoolArn',
    '  TokenAuth:',
    '    Type: AWS::ApiGateway::Authorizer',
    '    Properties:',
    '      Name: TokenAuth',
    '      RestApiId: !Ref Api',
    '      Type: TOKEN',
    '      IdentitySource: method.request.header.X-Auth-Token',
    "      IdentityValidationExpression: '^[a-z][a-z0-9-]{3,63}$'",
    `      AuthorizerUri: ${LAMBDA('token')}`,
    "      AuthorizerResultTtlInSeconds: '300'",
    '  RequestAuth:',
    '    Type: AWS::ApiGateway::Authorizer',
    '    Properties:',
    '      Name: RequestAuth',
    '      RestApiId: !Ref Api',
    '      Type: REQUEST',
    '      IdentitySource: method.request.header.X-Tenant-Id, method.request.querystring.apiVersion',
    `      AuthorizerUri: ${LAMBDA('request')}`,
    '      AuthorizerResultTtlInSeconds: 300',
    '  Default4xx:',
    '    Type: AWS::ApiGateway::GatewayResponse',
    '    Properties:',
    '      RestApiId: !Ref Api',
    '      ResponseType: DEFAULT_4XX',
    '      ResponseParameters:',
    `        gatewayresponse.header.Access-Control-Allow-Origin: "'*'"`,
    '      ResponseTemplates:',
    `        application/json: '{"message":$context.error.messageString}'`,
    '  Deployment:',
    '    Type: AWS::ApiGateway::Deployment',
    '    DependsOn: HealthGet',
    '    Properties:',
    '      RestApiId: !Ref Api',
    '  Stage:',
    '    Type: AWS::ApiGateway::Stage',
    '    Properties:',
    '      RestApiId: !Ref Api',
    '      StageName: !Ref StageName',
    '      DeploymentId: !Ref Deployment',
    '  Health:',
    '    Type: AWS::ApiGateway::Resource',
    '    Properties:',
    '      RestApiId: !Ref Api',
    '      ParentId: !GetAtt Api.RootResourceId',
    '      PathPart: health',
    ...method('HealthGet', 'Health', 'GET', 'NONE', undefined, undefined, '/health'),
  ];
  const kinds = ['CognitoAuth', 'TokenAuth', 'RequestAuth', 'sigv4'];
  for (let index = 0; index < routes; index += 1) {
    const kind = kinds[index % kinds.length];
    const parent = `R${Math.floor(index / 2)}`;
    const item = index % 2 === 1;
    const resource = item ? `${parent}Item` : parent;
    lines.push(
      `  ${resource}:`,
      '    Type: AWS::ApiGateway::Resource',
      '    Properties:',
      '      RestApiId: !Ref Api',
      item ? `      ParentId: !Ref ${parent}` : '      ParentId: !GetAtt [Api, RootResourceId]',
      `      PathPart: ${item ? "'{itemId}'" : `r${Math.floor(index / 2)}`}`,
    );
    const verb = index % 3 === 0 ? 'POST' : 'GET';
    const type = kind === 'CognitoAuth' ? 'COGNITO_USER_POOLS' : kind === 'sigv4' ? 'AWS_IAM' : 'CUSTOM';
    const scopes = kind === 'CognitoAuth' && index % 8 !== 0 ? ['pets/read'] : undefined;
    const uriPath = `/r${Math.floor(index / 2)}${item ? '/{itemId}' : ''}`;
    lines.push(
      ...method(`M${index}`, resource, verb, type, kind === 'sigv4' ? undefined : kind, scopes, uriPath),
    );
  }
  return `${lines.join('\n')}\n`;
}

function method(id, resource, verb, type, authorizer, scopes, uriPath) {
  return [
    `  ${id}:`,
    '    Type: AWS::ApiGateway::Method',
    '    Properties:',
    '      RestApiId: !Ref Api',
    `      ResourceId: !Ref ${resource}`,
    `      HttpMethod: ${verb}`,
    `      AuthorizationType: ${type}`,
    ...(authorizer ? [`      AuthorizerId: !Ref ${authorizer}`] : []),
    ...(scopes ? ['      AuthorizationScopes:', ...scopes.map((s) => `        - ${s}`)] : []),
    '      Integration:',
    uriPath === '/health' ? '        Type: MOCK' : '        Type: HTTP_PROXY',
    ...(uriPath === '/health'
      ? []
      : [
          `        IntegrationHttpMethod: ${verb}`,
          `        Uri: !Sub 'https://backend.example.com${uriPath}'`,
        ]),
  ];
}
