#!/usr/bin/env node
import { main } from './main.js';

// Output into a closed pipe (`apigw-authz generate --json | head -c 10`): the reader is gone, so stop quietly with
// the exit code so far instead of an unhandled EPIPE stack trace. Any other stream error is left to Node.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

// The AWS SDK prints a nine-line Node-version notice (process.emitWarning, once per process) on every live command
// under Node < 22. It concerns the SDK's future releases, not this run: silence it through the SDK's own switch,
// unless the user has set that switch either way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await main(process.argv);
