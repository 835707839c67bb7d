// Module customization hooks (node:module register) for the subpath tests: appends the URL of every module an
// import resolves to the file named by APIGW_AUTHZ_RESOLUTIONS, one per line, so a test can list what an import
// loaded, ESM included (CommonJS modules also show in require.cache).
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(process.env.APIGW_AUTHZ_RESOLUTIONS, `${result.url}\n`);
  return result;
}
