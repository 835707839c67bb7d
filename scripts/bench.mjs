// `npm run bench`: whole-process measurements, printed as a table. A benchmark, not a test: it asserts nothing
// except that each command succeeded; the numbers go into release notes and issue closing notes.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATE_TARGET } from './bench-limits.mjs';
import { syntheticCloudFormation } from './synthetic-cloudformation.mjs';
import { syntheticConfig, syntheticExport } from './synthetic-export.mjs';
import { syntheticTerraformPlan } from './synthetic-terraform.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
// The targets from the generator issue (scripts/bench-limits.mjs), printed beside the measurements.
const TARGET = {
  routes: GENERATE_TARGET.routes,
  seconds: GENERATE_TARGET.seconds,
  megabytes: GENERATE_TARGET.peakMegabytes,
};

/** Spawns `node scripts/bench-child.mjs ...args` and returns wall seconds and peak RSS of that process. */
function runChild(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(root, 'scripts/bench-child.mjs'), ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let report = '';
    let stderr = '';
    child.stdio[3].on('data', (chunk) => (report += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      const { maxRssKb } = JSON.parse(report.trim().split('\n').at(-1));
      resolve({ seconds, megabytes: maxRssKb / 1024 });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function countRequests(collection) {
  let count = 0;
  const walk = (items) => {
    for (const item of items) {
      if (item.item) walk(item.item);
      else count += 1;
    }
  };
  walk(collection.item);
  return count;
}

async function benchGenerate() {
  const work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-bench-'));
  const rows = [];
  try {
    for (const routes of SIZES) {
      const exportFile = path.join(work, `synthetic-${routes}.json`);
      const configFile = path.join(work, 'config.json');
      await writeFile(exportFile, JSON.stringify(syntheticExport(routes)));
      await writeFile(configFile, JSON.stringify(syntheticConfig));
      const out = path.join(work, `out-${routes}`);
      const args = ['generate', '--export', exportFile, '--config', configFile, '--out', out];
      await runChild(args); // warm-up: file cache, compiled code cache
      const samples = [];
      for (let run = 0; run < RUNS; run += 1) samples.push(await runChild(args));
      const collection = JSON.parse(
        await readFile(path.join(out, `synthetic-${routes}.postman_collection.json`), 'utf8'),
      );
      const requests = countRequests(collection);
      rows.push({
        routes,
        requests,
        requestsPerRoute: (requests / routes).toFixed(2),
        medianSeconds: median(samples.map((s) => s.seconds)).toFixed(3),
        maxSeconds: Math.max(...samples.map((s) => s.seconds)).toFixed(3),
        medianPeakMb: median(samples.map((s) => s.megabytes)).toFixed(1),
        maxPeakMb: Math.max(...samples.map((s) => s.megabytes)).toFixed(1),
      });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return rows;
}

const generateRows = await benchGenerate();
console.log(
  `\ngenerate (whole process, ${RUNS} runs after a warm-up; node ${process.version}, ${os.cpus().length} cores)`,
);
console.table(generateRows);
const largest = generateRows.find((row) => row.routes === TARGET.routes);
if (largest) {
  console.log(
    `target for ${TARGET.routes} routes: < ${TARGET.seconds} s and < ${TARGET.megabytes} MB; measured median ${largest.medianSeconds} s, ${largest.medianPeakMb} MB`,
  );
}

// Issue 8: reading an infrastructure-as-code source of an API must stay within 1.5x reading its export.
const IAC_METHODS = Number(process.env.BENCH_IAC_METHODS ?? 2000);
const IAC_RATIO_TARGET = 1.5;

/**
 * `generate` from three sources of one API with IAC_METHODS methods: its export, a CloudFormation template (YAML
 * with short tags, Resources and Methods) and a Terraform plan JSON. Runs are interleaved so that a slower moment
 * of the machine costs every source alike; each row also says whether its collection equals the export's.
 */
async function benchIacSources() {
  const work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-bench-iac-'));
  try {
    const configFile = path.join(work, 'config.json');
    await writeFile(configFile, JSON.stringify(syntheticConfig));
    const sources = [
      {
        source: 'OpenAPI export (JSON)',
        file: 'export.json',
        text: JSON.stringify(syntheticExport(IAC_METHODS)),
      },
      {
        source: 'CloudFormation (YAML, short tags)',
        file: 'template.yaml',
        text: syntheticCloudFormation(IAC_METHODS),
      },
      {
        source: 'Terraform plan (JSON)',
        file: 'plan.json',
        text: JSON.stringify(syntheticTerraformPlan(IAC_METHODS)),
      },
    ];
    for (const entry of sources) {
      entry.path = path.join(work, entry.file);
      entry.out = path.join(work, `out-${entry.file}`);
      entry.args = ['generate', entry.path, '--config', configFile, '--out', entry.out];
      entry.samples = [];
      await writeFile(entry.path, entry.text);
      await runChild(entry.args); // warm-up
    }
    for (let run = 0; run < RUNS; run += 1) {
      for (const entry of sources) entry.samples.push(await runChild(entry.args));
    }
    const collectionOf = (entry) =>
      readFile(path.join(entry.out, `synthetic-${IAC_METHODS}.postman_collection.json`), 'utf8');
    const exportEntry = sources[0];
    const exportCollection = await collectionOf(exportEntry);
    const exportSeconds = median(exportEntry.samples.map((s) => s.seconds));
    const rows = [];
    for (const entry of sources) {
      const seconds = median(entry.samples.map((s) => s.seconds));
      const ratio = seconds / exportSeconds;
      rows.push({
        source: entry.source,
        methods: IAC_METHODS,
        megabytes: (Buffer.byteLength(entry.text) / 1024 / 1024).toFixed(2),
        medianSeconds: seconds.toFixed(3),
        maxSeconds: Math.max(...entry.samples.map((s) => s.seconds)).toFixed(3),
        medianPeakMb: median(entry.samples.map((s) => s.megabytes)).toFixed(1),
        ratioToExport: ratio.toFixed(2),
        withinTarget: ratio <= IAC_RATIO_TARGET ? 'yes' : 'NO',
        sameCollection: (await collectionOf(entry)) === exportCollection ? 'yes' : 'NO',
      });
    }
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (!process.env.BENCH_SKIP_IAC) {
  const iacRows = await benchIacSources();
  console.log(
    `\ngenerate from infrastructure-as-code sources of one ${IAC_METHODS}-method API (whole process, ${RUNS} interleaved runs after a warm-up)`,
  );
  console.table(iacRows);
  console.log(
    `target: each source within ${IAC_RATIO_TARGET}x the export's median time, with the same collection`,
  );
}

if (!process.env.BENCH_SKIP_SERVE) {
  const { benchServeAndRun } = await import('./bench-serve.mjs');
  await benchServeAndRun({ root });
}
