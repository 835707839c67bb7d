// `npm run bench`: whole-process measurements, printed as a table. A benchmark, not a test: it asserts nothing
// except that each command succeeded; the numbers go into release notes and issue closing notes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATE_TARGET } from './bench-limits.mjs';
import { syntheticCloudFormation } from './synthetic-cloudformation.mjs';
import {
  syntheticConfig,
  syntheticExport,
  syntheticMixedConfig,
  syntheticMixedExport,
} from './synthetic-export.mjs';
import { syntheticHttpConfig, syntheticHttpExport } from './synthetic-http-export.mjs';
import { syntheticTerraformPlan } from './synthetic-terraform.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
// Suites against serve take about a minute per 1,000 routes and run: 5,000 routes only when asked for.
const SUITE_SIZES = (process.env.BENCH_SUITE_SIZES ?? '100,1000').split(',').filter(Boolean).map(Number);
// Issue 11's targets, printed beside the measurements.
const TARGET = {
  converterRatio: 0.4,
  peakMegabytes: GENERATE_TARGET.peakMegabytes,
  bytesPerRequest: 1.5 * 1024,
};
const CONVERTER = 'openapi-to-postmanv2';
const requireFromRoot = createRequire(path.join(root, 'package.json'));

/** Spawns a node process and returns wall seconds and its peak RSS, which it reports as JSON on fd 3. */
function runNode(nodeArgs, description) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, nodeArgs, {
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
      if (code !== 0) return reject(new Error(`${description} exited ${code}: ${stderr}`));
      const { maxRssKb } = JSON.parse(report.trim().split('\n').at(-1));
      resolve({ seconds, megabytes: maxRssKb / 1024 });
    });
  });
}

/** `node scripts/bench-child.mjs ...args`: one CLI command, wall seconds and peak RSS of its process. */
function runChild(args) {
  return runNode([path.join(root, 'scripts/bench-child.mjs'), ...args], args.join(' '));
}

/** Whether the plain converter is installed (a devDependency; `npm install --no-save openapi-to-postmanv2`). */
function converterInstalled() {
  try {
    requireFromRoot.resolve(CONVERTER);
    return true;
  } catch {
    return false;
  }
}

/**
 * The plain OpenAPI-to-Postman converter (Postman's own, default options) on the same export, writing its
 * collection with the same layout as ours (two-space indent): a whole process, like `generate`.
 */
function runConverter(exportFile, outFile) {
  const script = `
    const { readFileSync, writeFileSync, writeSync } = require('node:fs');
    const converter = require(${JSON.stringify(requireFromRoot.resolve(CONVERTER))});
    converter.convert({ type: 'string', data: readFileSync(${JSON.stringify(exportFile)}, 'utf8') }, {}, (error, result) => {
      if (error || !result.result) { console.error(error ?? result.reason); process.exit(1); }
      writeFileSync(${JSON.stringify(outFile)}, JSON.stringify(result.output[0].data, null, 2) + '\\n');
      writeSync(3, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }) + '\\n');
    });`;
  return runNode(['-e', script], `${CONVERTER} ${exportFile}`);
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

/**
 * `generate` and the plain converter on issue 11's synthetic export (80% protected across the four kinds, one
 * distinct Cognito scope set per ten routes), runs interleaved so a slower moment of the machine costs both alike.
 * Returns the table rows and, per size, the suite files for the runs against serve.
 */
async function benchGenerate(work) {
  const withConverter = converterInstalled();
  const rows = [];
  const suites = [];
  for (const routes of SIZES) {
    const exportFile = path.join(work, `synthetic-mixed-${routes}.json`);
    const configFile = path.join(work, `config-${routes}.json`);
    await writeFile(exportFile, JSON.stringify(syntheticMixedExport(routes)));
    await writeFile(configFile, JSON.stringify(syntheticMixedConfig(routes)));
    const out = path.join(work, `out-${routes}`);
    const converted = path.join(work, `converted-${routes}.json`);
    const args = ['generate', exportFile, '--config', configFile, '--out', out];
    await runChild(args); // warm-up: file cache, compiled code cache
    if (withConverter) await runConverter(exportFile, converted);
    const samples = [];
    const converterSamples = [];
    for (let run = 0; run < RUNS; run += 1) {
      samples.push(await runChild(args));
      if (withConverter) converterSamples.push(await runConverter(exportFile, converted));
    }
    const collectionFile = path.join(out, `synthetic-mixed-${routes}.postman_collection.json`);
    const bytes = (await stat(collectionFile)).size;
    const requests = countRequests(JSON.parse(await readFile(collectionFile, 'utf8')));
    const seconds = median(samples.map((s) => s.seconds));
    const megabytes = median(samples.map((s) => s.megabytes));
    const converterSeconds = withConverter ? median(converterSamples.map((s) => s.seconds)) : undefined;
    rows.push({
      routes,
      requests,
      requestsPerRoute: (requests / routes).toFixed(2),
      generateSeconds: seconds.toFixed(3),
      generatePeakMb: megabytes.toFixed(1),
      converterSeconds: converterSeconds?.toFixed(3) ?? 'n/a',
      converterPeakMb: withConverter ? median(converterSamples.map((s) => s.megabytes)).toFixed(1) : 'n/a',
      generateToConverter: converterSeconds ? (seconds / converterSeconds).toFixed(2) : 'n/a',
      bytesPerRequest: Math.round(bytes / requests),
      collectionMb: (bytes / 1024 / 1024).toFixed(1),
    });
    suites.push({
      routes,
      exportFile,
      configFile,
      collection: collectionFile,
      environment: path.join(out, `synthetic-mixed-${routes}.postman_environment.json`),
      cases: requests,
    });
  }
  if (!withConverter) {
    console.log(`\n(${CONVERTER} is not installed: npm install --no-save ${CONVERTER} to time it)`);
  }
  return { rows, suites };
}

/** How long `import('apigw-authz/...')` takes in a fresh process (in-process time, median of RUNS). */
async function benchImports() {
  const rows = [];
  for (const specifier of [
    'apigw-authz',
    'apigw-authz/generate',
    'apigw-authz/doctor',
    'apigw-authz/serve',
    'apigw-authz/run',
  ]) {
    const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
    const samples = [];
    for (let run = 0; run < RUNS; run += 1) {
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(`import ${specifier} failed: ${child.stderr}`);
      samples.push(Number(child.stdout.trim()));
    }
    rows.push({
      import: specifier,
      medianMs: median(samples).toFixed(0),
      maxMs: Math.max(...samples).toFixed(0),
    });
  }
  return rows;
}

const work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-bench-'));
try {
  const { rows: generateRows, suites } = await benchGenerate(work);
  console.log(
    `\ngenerate on the issue 11 synthetic (80% protected, all four kinds, routes/10 distinct Cognito scope sets), ` +
      `with ${CONVERTER} on the same file; whole processes, medians of ${RUNS} interleaved runs after a warm-up; ` +
      `node ${process.version}, ${os.availableParallelism()} cores`,
  );
  console.table(generateRows);
  console.log(
    `targets: generate <= ${TARGET.converterRatio}x the converter, peak <= ${TARGET.peakMegabytes} MB, ` +
      `<= ${TARGET.bytesPerRequest} bytes per request; requests linear in routes (requestsPerRoute flat)`,
  );

  console.log(`\nimport time of each entry point (fresh process, in-process time, median of ${RUNS})`);
  console.table(await benchImports());

  const wanted = suites.filter((suite) => SUITE_SIZES.includes(suite.routes));
  if (wanted.length > 0 && !process.env.BENCH_SKIP_SERVE) {
    const { benchSuites } = await import('./bench-serve.mjs');
    const suiteRows = await benchSuites({ root, suites: wanted });
    console.log(
      `\nsuites against serve (${os.availableParallelism()} cores; each run on a fresh serve; tokenCalls: ` +
        `InitiateAuth+client_credentials; sizes ${SUITE_SIZES.join(', ')}, BENCH_SUITE_SIZES to change)`,
    );
    console.table(suiteRows);
    console.log(
      'targets: newman run <= 1.3x the stripped run per request; --parallel finishes in <= 1/1.5 of newman run',
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
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

// Issue 10: an HTTP API (JWT on a Cognito and a generic OIDC issuer, a payload-2.0 Lambda authorizer, IAM) within
// the REST bounds: generate time against the plain converter on the same file, peak memory, bytes per request.
const HTTP_ROUTES = Number(process.env.BENCH_HTTP_ROUTES ?? 2000);

/**
 * `generate` on a synthetic HTTP API export of HTTP_ROUTES routes and, interleaved so that a busy moment of the
 * machine costs both alike, on the REST mix of the same size: medians of RUNS whole processes after a warm-up.
 */
async function benchHttpGenerate() {
  const withConverter = converterInstalled();
  const work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-bench-http-'));
  try {
    const entries = [
      {
        api: 'HTTP',
        slug: `synthetic-http-${HTTP_ROUTES}`,
        doc: syntheticHttpExport(HTTP_ROUTES),
        config: syntheticHttpConfig(HTTP_ROUTES),
      },
      {
        api: 'REST (same size, for comparison)',
        slug: `synthetic-mixed-${HTTP_ROUTES}`,
        doc: syntheticMixedExport(HTTP_ROUTES),
        config: syntheticMixedConfig(HTTP_ROUTES),
      },
    ];
    for (const entry of entries) {
      const exportFile = path.join(work, `${entry.slug}.json`);
      const configFile = path.join(work, `${entry.slug}.config.json`);
      await writeFile(exportFile, JSON.stringify(entry.doc));
      await writeFile(configFile, JSON.stringify(entry.config));
      entry.out = path.join(work, `out-${entry.slug}`);
      entry.args = ['generate', exportFile, '--config', configFile, '--out', entry.out];
      entry.exportFile = exportFile;
      entry.samples = [];
      entry.converterSamples = [];
      await runChild(entry.args); // warm-up
    }
    for (let run = 0; run < RUNS; run += 1) {
      for (const entry of entries) {
        entry.samples.push(await runChild(entry.args));
        if (withConverter) {
          const converted = path.join(work, `converted-${entry.slug}.json`);
          entry.converterSamples.push(await runConverter(entry.exportFile, converted));
        }
      }
    }
    const rows = [];
    for (const entry of entries) {
      const collectionFile = path.join(entry.out, `${entry.slug}.postman_collection.json`);
      const bytes = (await stat(collectionFile)).size;
      const requests = countRequests(JSON.parse(await readFile(collectionFile, 'utf8')));
      const seconds = median(entry.samples.map((s) => s.seconds));
      const megabytes = median(entry.samples.map((s) => s.megabytes));
      const bytesPerRequest = Math.round(bytes / requests);
      const converterSeconds = withConverter
        ? median(entry.converterSamples.map((s) => s.seconds))
        : undefined;
      const ratio = converterSeconds === undefined ? undefined : seconds / converterSeconds;
      const within =
        (ratio === undefined || ratio <= TARGET.converterRatio) &&
        megabytes <= TARGET.peakMegabytes &&
        bytesPerRequest <= TARGET.bytesPerRequest;
      rows.push({
        api: entry.api,
        routes: HTTP_ROUTES,
        requests,
        requestsPerRoute: (requests / HTTP_ROUTES).toFixed(2),
        medianSeconds: seconds.toFixed(3),
        maxSeconds: Math.max(...entry.samples.map((s) => s.seconds)).toFixed(3),
        medianPeakMb: megabytes.toFixed(1),
        converterSeconds: converterSeconds?.toFixed(3) ?? 'n/a',
        generateToConverter: ratio?.toFixed(2) ?? 'n/a',
        bytesPerRequest,
        collectionMb: (bytes / 1024 / 1024).toFixed(1),
        withinBounds: within ? 'yes' : 'NO',
      });
    }
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (!process.env.BENCH_SKIP_HTTP) {
  const httpRows = await benchHttpGenerate();
  console.log(
    `\ngenerate on a synthetic ${HTTP_ROUTES}-route HTTP API (80% protected: JWT on a Cognito and an OIDC issuer, ` +
      `payload-2.0 Lambda, IAM; routes/10 distinct scope sets) and the REST mix of the same size; whole processes, ` +
      `medians of ${RUNS} interleaved runs after a warm-up; load average ${os.loadavg()[0].toFixed(1)} on ` +
      `${os.availableParallelism()} cores`,
  );
  console.table(httpRows);
  console.log(
    `bounds (the REST ones): generate <= ${TARGET.converterRatio}x the converter on the same file, ` +
      `peak <= ${TARGET.peakMegabytes} MB, <= ${TARGET.bytesPerRequest} bytes per request`,
  );
}

if (!process.env.BENCH_SKIP_SERVE) {
  const { benchServeAndRun } = await import('./bench-serve.mjs');
  await benchServeAndRun({ root });
}
