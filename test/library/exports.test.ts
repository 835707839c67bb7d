/**
 * The library entry point (`apigw-authz`) exports what the CLI calls, this round's additions included, and stays
 * cheap to import: Newman and the AWS SDK load on the first call that needs them.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import * as lib from '../../src/index.js';
import { AWS_RESPONSE_TEXTS } from '../../src/aws-responses.js';
import { checkHandlerPolicies } from '../../src/doctor/index.js';
import { readSource } from '../../src/sources/detect.js';
import { readTerraformJson } from '../../src/sources/terraform/index.js';

const repo = path.resolve(import.meta.dirname, '../..');

describe('the library entry point', () => {
  it('exports the source detection, the Terraform reader, the handler check and the response texts', () => {
    expect(lib.readSource).toBe(readSource);
    expect(lib.readTerraformJson).toBe(readTerraformJson);
    expect(lib.checkHandlerPolicies).toBe(checkHandlerPolicies);
    expect(lib.AWS_RESPONSE_TEXTS).toBe(AWS_RESPONSE_TEXTS);
  });

  it('reads any source kind through readSource', async () => {
    const read = await lib.readSource(path.join(repo, 'examples/petstore-authz.sam.yaml'));
    expect(read.kind).toBe('sam');
    expect(read.model.routes.length).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(path.join(repo, 'dist/index.js')))(
    'does not load the AWS SDK or Newman when imported',
    () => {
      // CommonJS packages land in the module cache, which shows what an `import('apigw-authz')` pulls in.
      const script =
        "const M = require('node:module'); import('./dist/index.js').then(() => " +
        'console.log(JSON.stringify(Object.keys(M._cache).filter((k) => /node_modules\\/(@aws-sdk|newman)\\//.test(k)))))';
      const child = spawnSync(process.execPath, ['-e', script], { cwd: repo, encoding: 'utf8' });
      expect(child.status).toBe(0);
      expect(JSON.parse(child.stdout)).toEqual([]);
    },
  );
});
