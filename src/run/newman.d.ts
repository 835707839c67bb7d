/**
 * The part of newman 6.2.2's API that `run` uses. Newman ships no types and `@types/newman` targets newman 5, so
 * this is a deliberately small local declaration: only what is read or passed here.
 */
declare module 'newman' {
  import type { EventEmitter } from 'node:events';

  export interface NewmanVariable {
    key: string;
    value: string;
  }

  /** postman-collection's Item/ItemGroup/Collection, reduced to what we walk. */
  export interface NewmanItem {
    id?: string;
    name?: string;
    parent?: () => NewmanItem | undefined;
  }

  export interface NewmanError {
    name?: string;
    message?: string;
    code?: string;
    test?: string;
  }

  export interface NewmanCursor {
    ref?: string;
    iteration?: number;
    position?: number;
  }

  export interface NewmanExecution {
    cursor?: NewmanCursor;
    item?: NewmanItem;
    id?: string;
    requestError?: NewmanError;
    response?: { code?: number };
    assertions?: { assertion: string; skipped?: boolean; error?: NewmanError }[];
    testScript?: { error: NewmanError }[];
    prerequestScript?: { error: NewmanError }[];
  }

  export interface NewmanFailure {
    error: NewmanError;
    at: string;
    source?: NewmanItem;
    cursor?: NewmanCursor;
  }

  export interface NewmanStat {
    total: number;
    pending: number;
    failed: number;
  }

  export interface NewmanSummary {
    run: {
      stats: Record<
        | 'iterations'
        | 'items'
        | 'scripts'
        | 'prerequests'
        | 'requests'
        | 'tests'
        | 'assertions'
        | 'testScripts'
        | 'prerequestScripts',
        NewmanStat
      >;
      executions: NewmanExecution[];
      failures: NewmanFailure[];
      error?: NewmanError | null;
    };
  }

  export interface NewmanExport {
    name: string;
    path?: string;
    default?: string;
    content: string | object;
  }

  export interface NewmanRunOptions {
    collection: object | string;
    environment?: object | string;
    envVar?: NewmanVariable[];
    globalVar?: NewmanVariable[];
    folder?: string | string[];
    reporters?: string | string[];
    reporter?: Record<string, Record<string, unknown>>;
    timeoutRequest?: number;
    timeoutScript?: number;
    timeout?: number;
    color?: 'on' | 'off' | 'auto';
    bail?: boolean | string[];
    insecure?: boolean;
    workingDir?: string;
  }

  export interface NewmanRunEmitter extends EventEmitter {
    exports: NewmanExport[];
    summary: NewmanSummary;
  }

  export type NewmanRunCallback = (err: Error | null, summary: NewmanSummary) => void;

  const newman: {
    run(options: NewmanRunOptions, callback?: NewmanRunCallback): NewmanRunEmitter;
  };
  export default newman;
}
