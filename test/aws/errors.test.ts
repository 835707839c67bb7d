import { describe, expect, it } from 'vitest';
import {
  AwsAccessDeniedError,
  AwsCredentialsError,
  AwsNotFoundError,
  AwsRequestError,
  EnvironmentError,
  type ApigwAuthzError,
} from '../../src/errors.js';
import { createApiGatewayClient } from '../../src/sources/aws-rest/client.js';
import { loadRestApi } from '../../src/sources/aws-rest/reader.js';
import { FakeApiGateway } from './fake-apigateway.js';
import {
  FAKE_ACCESS_KEY,
  FAKE_SECRET_ACCESS_KEY,
  fakeClient,
  oneLineFailure,
  startFakeForSuite,
} from './helpers.js';
import { PETSTORE_ID, PETSTORE_STAGE, petstoreApi } from './petstore-fixture.js';

/** Every AWS failure is an EnvironmentError (exit 3) in one line naming the call and a fix. */
const failure = (promise: Promise<unknown>): Promise<ApigwAuthzError> =>
  oneLineFailure(promise, EnvironmentError);

describe('AWS errors become one-line EnvironmentErrors (exit 3)', () => {
  let fake: FakeApiGateway;
  startFakeForSuite(
    async () =>
      (fake = await FakeApiGateway.start({
        apis: [petstoreApi()],
        quotas: false,
        accessKeys: [FAKE_ACCESS_KEY],
      })),
  );

  const read = (restApi = PETSTORE_ID, stage = PETSTORE_STAGE) =>
    loadRestApi({ restApi, stage, client: fakeClient(fake) });

  it('expired credentials (403 ExpiredTokenException) -> AwsCredentialsError naming the call', async () => {
    fake.inject({ kind: 'expired-token', operation: 'GetRestApis' });
    const error = await failure(read());
    expect(error).toBeInstanceOf(AwsCredentialsError);
    expect(error.toLine()).toMatch(/^GetRestApis \(.*\) failed: the AWS credentials have expired/);
    expect(error.fix).toMatch(/refresh the credentials/);
  });

  it('an access key the service does not know (403 UnrecognizedClientException) -> AwsCredentialsError', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAUNKNOWNUNKNOWNXX';
    try {
      const error = await failure(read());
      expect(error).toBeInstanceOf(AwsCredentialsError);
      expect(error.toLine()).toMatch(/^GetRestApis .*UnrecognizedClientException/);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = FAKE_ACCESS_KEY;
    }
  });

  it('no credentials anywhere in the default chain -> AwsCredentialsError before any request', async () => {
    const before = fake.calls.length;
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const error = await failure(read());
      expect(error).toBeInstanceOf(AwsCredentialsError);
      expect(error.toLine()).toMatch(/^GetRestApis .*no valid AWS credentials/);
      expect(error.fix).toMatch(/--profile/);
      expect(fake.calls.length).toBe(before);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = FAKE_ACCESS_KEY;
      process.env.AWS_SECRET_ACCESS_KEY = FAKE_SECRET_ACCESS_KEY;
    }
  });

  it('access denied on one call -> AwsAccessDeniedError naming that call and the action to allow', async () => {
    fake.inject({ kind: 'access-denied', operation: 'GetResources' });
    const error = await failure(read());
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error.toLine()).toMatch(/^GetResources \(REST API a1b2c3d4e5, stage prod, us-east-1\) was denied/);
    expect(error.fix).toMatch(/apigateway:GET/);
  });

  it('unknown API id or name -> AwsNotFoundError that points at --region', async () => {
    const error = await failure(read('zzzzzzzzzz'));
    expect(error).toBeInstanceOf(AwsNotFoundError);
    expect(error.toLine()).toMatch(
      /^GetRestApis \(us-east-1\): no REST API with the id or name "zzzzzzzzzz"/,
    );
    expect(error.fix).toMatch(/--region \(us-east-1\)/);
  });

  it('unknown stage -> AwsNotFoundError naming GetStage and the stage', async () => {
    const error = await failure(read(PETSTORE_ID, 'nope'));
    expect(error).toBeInstanceOf(AwsNotFoundError);
    expect(error.toLine()).toMatch(
      /^GetStage \(REST API a1b2c3d4e5, stage nope, us-east-1\) failed: not found \(Invalid stage identifier specified\)/,
    );
    expect(error.fix).toContain('the stage "nope"');
  });

  it('no region configured -> AwsRequestError asking for --region', async () => {
    delete process.env.AWS_REGION;
    try {
      const error = await failure(
        loadRestApi({
          restApi: PETSTORE_ID,
          stage: PETSTORE_STAGE,
          client: createApiGatewayClient({ endpoint: fake.url }),
        }),
      );
      expect(error).toBeInstanceOf(AwsRequestError);
      expect(error.fix).toMatch(/--region/);
    } finally {
      process.env.AWS_REGION = 'us-east-1';
    }
  });

  it('a server error that persists -> AwsRequestError after the retries', async () => {
    fake.inject({ kind: 'server-error', operation: 'GetExport', times: 2 });
    const error = await failure(
      loadRestApi({
        restApi: PETSTORE_ID,
        stage: PETSTORE_STAGE,
        client: fakeClient(fake, { maxAttempts: 2 }),
      }),
    );
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.toLine()).toMatch(/^GetExport \(.*\) failed \(InternalFailure 500: Internal server error\)/);
  });
});
