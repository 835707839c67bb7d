// Runs one CLI command in this process and, at exit, reports the whole process's peak memory (maxRSS) on fd 3
// so the benchmark can read it without mixing it into the command's own output.
import { writeSync } from 'node:fs';
import { main } from '../dist/cli/main.js';

const code = await main(process.argv);
const report = JSON.stringify({ exitCode: code, maxRssKb: process.resourceUsage().maxRSS });
try {
  writeSync(3, `${report}\n`);
} catch {
  process.stderr.write(`${report}\n`);
}
process.exitCode = code;
