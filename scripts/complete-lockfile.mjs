// Completes package-lock.json with postman-cli's native binaries for other platforms.
//
// postman-cli ships its binary in one optional package per platform (@postman/pm-bin-<platform>). When a registry
// mirror serves only the local platform's package, npm leaves the others out of the lock, and `npm ci` then
// refuses the lock as out of sync. Each entry added here carries its os/cpu, so npm skips it on other platforms
// and resolves it from the registry on its own. Run after `npm install` changes the lock: npm run lock:complete
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = {
  'linux-x64': { os: 'linux', cpu: 'x64' },
  'linux-arm64': { os: 'linux', cpu: 'arm64' },
  'macos-x64': { os: 'darwin', cpu: 'x64' },
  'macos-arm64': { os: 'darwin', cpu: 'arm64' },
  'windows-x64': { os: 'win32', cpu: 'x64' },
};

const lockFile = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
const wrapper = lock.packages['node_modules/postman-cli'];
if (!wrapper) throw new Error('postman-cli is not in package-lock.json');

let added = 0;
for (const [name, version] of Object.entries(wrapper.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const platform = PLATFORMS[name.replace('@postman/pm-bin-', '')];
  if (!platform) throw new Error(`unknown postman-cli platform package ${name}`);
  lock.packages[key] = { version, cpu: [platform.cpu], dev: true, optional: true, os: [platform.os] };
  added += 1;
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} postman-cli platform entries`);
