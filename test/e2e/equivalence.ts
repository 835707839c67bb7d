/**
 * Equivalence of renderings (issue 11): per case key, the outcome of a run (passed, failed, skipped) and its
 * failure messages without the hint (` Hint: ` on is cut off: hints are chosen from the response on purpose).
 * The golden files in test/fixtures/equivalence/ were recorded with the renderer before the script move (one
 * script per request); the e2e tests compare each run with them. Set APIGW_AUTHZ_RECORD_EQUIVALENCE=1 to write
 * them again (only ever from a checkout of the old renderer).
 */

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestPlan } from '../../src/cases/types.js';
import type { RunEvent, RunResult } from '../../src/run/index.js';
import { ROOT } from '../support/suite.js';

export const EQUIVALENCE_DIR = join(ROOT, 'test', 'fixtures', 'equivalence');

export interface CaseOutcome {
  outcome: 'passed' | 'failed' | 'skipped';
  /** Failure messages in run order, each cut at ` Hint: `; absent when none. */
  messages?: string[];
}

/** Case key -> outcome, keys in plan order; failures that belong to no case under `(unattributed)`. */
export type Outcomes = Record<string, CaseOutcome>;

/**
 * A failure message without its hint, with what differs from run to run made stable: local ports (stand-ins,
 * serve), and the token claims serve's backend echoes (times, ids, JWTs).
 */
export function withoutHint(message: string): string {
  const at = message.indexOf(' Hint: ');
  const cut = at < 0 ? message : message.slice(0, at);
  return cut
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/("(?:auth_time|iat|exp|nbf)\\?":)\d+/g, '$1N')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, 'JWT')
    .trim();
}

/** Collects which cases sent their request; pass `onEvent` to runCollection, then call `outcomes`. */
export function outcomeRecorder(plan: TestPlan): {
  onEvent: (event: RunEvent) => void;
  outcomes: (result: Pick<RunResult, 'failures'>) => Outcomes;
} {
  const requested = new Set<string>();
  return {
    onEvent: (event) => {
      if (event.type === 'request') requested.add(event.caseName);
    },
    outcomes: (result) => {
      const keyByName = new Map(plan.cases.map((c) => [c.name, c.key]));
      const messages = new Map<string, string[]>();
      for (const failure of result.failures) {
        const key = keyByName.get(failure.caseName) ?? '(unattributed)';
        const text = withoutHint(failure.message);
        const list = messages.get(key) ?? [];
        list.push(text);
        messages.set(key, list);
      }
      const out: Outcomes = {};
      for (const c of plan.cases) {
        const failed = messages.get(c.key);
        out[c.key] = failed
          ? { outcome: 'failed', messages: failed }
          : { outcome: requested.has(c.name) ? 'passed' : 'skipped' };
      }
      const stray = messages.get('(unattributed)');
      if (stray) out['(unattributed)'] = { outcome: 'failed', messages: stray };
      return out;
    },
  };
}

/** The golden outcomes of a run, or, when recording, writes them and returns them. */
export async function goldenOutcomes(name: string, actual: Outcomes): Promise<Outcomes> {
  const file = join(EQUIVALENCE_DIR, `${name}.json`);
  if (process.env.APIGW_AUTHZ_RECORD_EQUIVALENCE === '1') {
    await writeFile(file, JSON.stringify(actual, null, 2) + '\n');
    return actual;
  }
  return JSON.parse(await readFile(file, 'utf8')) as Outcomes;
}

/** A file-name slug of a mutation name. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
