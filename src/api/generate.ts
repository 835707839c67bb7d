import path from 'node:path';
import type { Depth } from '../config/types.js';
import type { TestPlan, VariableSpec } from '../cases/types.js';
import { derivePlan } from '../cases/index.js';
import {
  collectionFileNames,
  renderCollection,
  renderEnvironment,
  requiredVariables,
} from '../render/index.js';
import { loadSource, type SourceOptions } from './load-source.js';
import { jsonFile, type OutputFile } from './output-files.js';

export interface GenerateOptions {
  source: SourceOptions;
  configFile?: string;
  /** Output directory for the collection and environment files. */
  outDir: string;
  /** Overrides the config file's depth. */
  depth?: Depth;
  cwd: string;
  onProgress?: (message: string) => void;
}

export interface AuthorizerCaseCount {
  authorizer: string;
  positive: number;
  negative: number;
}

/** What `generate` tells the user; `--json` prints exactly this. */
export interface GenerateSummary {
  api: string;
  stage: string;
  baseUrl: string;
  depth: Depth;
  files: { collection: string; environment: string };
  cases: { total: number; byAuthorizer: AuthorizerCaseCount[] };
  /**
   * Preflights left out. `apiKeyOnly`: no authorizer but an API key required (tested with the API key cases; an
   * API key is not authorization, so neither protected nor public).
   */
  routes: { total: number; protected: number; apiKeyOnly: number; public: number; unprotected: string[] };
  /** Variables that must be supplied at run time (secrets and inputs without defaults). */
  requiredVariables: { key: string; secret: boolean; description: string }[];
  warnings: string[];
  /** Live source only: routes changed but not redeployed. */
  drift: string[];
}

export interface GenerateResult {
  files: OutputFile[];
  plan: TestPlan;
  summary: GenerateSummary;
}

/**
 * Reads the source, derives the cases and renders the files. Writes nothing: the caller decides. The files are
 * serialized when they are written or read (`OutputFile.chunks()`, `.content`), never held as one text.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const loaded = await loadSource({
    source: options.source,
    configFile: options.configFile,
    cwd: options.cwd,
    onProgress: options.onProgress,
  });
  const config = options.depth ? { ...loaded.config, depth: options.depth } : loaded.config;
  const plan = derivePlan(loaded.model, config);
  const names = collectionFileNames(plan);
  const files: OutputFile[] = [
    jsonFile(path.resolve(options.cwd, options.outDir, names.collection), renderCollection(plan)),
    jsonFile(path.resolve(options.cwd, options.outDir, names.environment), renderEnvironment(plan)),
  ];
  const summary = summarize(
    plan,
    { collection: files[0]!.path, environment: files[1]!.path },
    loaded.drift.map((finding) => finding.message),
    loaded.warnings,
  );
  return { files, plan, summary };
}

function summarize(
  plan: TestPlan,
  files: GenerateSummary['files'],
  drift: string[],
  sourceWarnings: string[],
): GenerateSummary {
  const byAuthorizer = new Map<string, AuthorizerCaseCount>();
  for (const testCase of plan.cases) {
    const key = testCase.authorizer ?? testCase.group.title;
    const count = byAuthorizer.get(key) ?? { authorizer: key, positive: 0, negative: 0 };
    count[testCase.polarity] += 1;
    byAuthorizer.set(key, count);
  }
  const routes = plan.model.routes.filter((route) => route.method !== 'OPTIONS');
  const protectedCount = routes.filter((route) => route.authorization.type === 'AUTHORIZER').length;
  const apiKeyOnly = plan.apiKeyOnlyRoutes?.length ?? 0;
  return {
    api: plan.model.api.name,
    stage: plan.model.stage.name,
    baseUrl: plan.config.baseUrl ?? plan.model.stage.baseUrl,
    depth: plan.config.depth,
    files,
    cases: { total: plan.cases.length, byAuthorizer: [...byAuthorizer.values()] },
    routes: {
      total: routes.length,
      protected: protectedCount,
      apiKeyOnly,
      public: routes.length - protectedCount - apiKeyOnly - plan.unprotectedRoutes.length,
      unprotected: plan.unprotectedRoutes.map((route) => `${route.method} ${route.path}`),
    },
    requiredVariables: requiredVariables(plan).map((variable: VariableSpec) => ({
      key: variable.key,
      secret: variable.secret,
      description: variable.description,
    })),
    warnings: [...sourceWarnings, ...plan.warnings],
    drift,
  };
}
