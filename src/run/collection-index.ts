/**
 * The collection as `run` plans it: every request in run order with its case data, and the run units, the
 * smallest groups of requests that must run together and in order on one worker or shard.
 *
 * A unit is a folder that holds requests directly (with everything below it), or each sub-folder of a folder that
 * holds only folders (a Cognito authorizer's scope sets). Cache warm-up and cache-bleed cases sit together in one
 * Lambda authorizer folder, so a unit never splits them. Requests directly in the collection form one unit each.
 */

import { isObject } from '../model/parse.js';
import { caseDataOf } from './case-data.js';
import type { CaseData } from './case-data.js';
import { ROOT_FOLDER } from './result.js';

export interface IndexedItem {
  /** The item id (Newman keeps it). */
  id: string;
  name: string;
  /** Position in the collection's run order. */
  order: number;
  /** Top-level folder name: the authorizer group. */
  folder: string;
  /** The unit the item belongs to. */
  unit: string;
  data?: CaseData;
}

export interface RunUnit {
  /** The folder (or request) id: what Newman's `folder` option is given. */
  id: string;
  /** Folder names from the top, for messages. */
  path: string[];
  /** Requests in the unit. */
  cases: number;
  /**
   * Expected cost: each request runs its test script plus the pre-request scripts of its folder chain (the
   * sandbox run dominates a request against a local gateway), so a request under a folder script counts double.
   */
  weight: number;
  /** Position of its first request in the run order. */
  order: number;
}

export interface CollectionIndex {
  /** In run order. */
  items: IndexedItem[];
  byId: Map<string, IndexedItem>;
  /** In run order. */
  units: RunUnit[];
  /** Every folder name, in collection order (for `--folder` messages). */
  folderNames: string[];
}

function childrenOf(node: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(node.item) ? node.item.filter(isObject) : [];
}

function isFolder(node: Record<string, unknown>): boolean {
  return Array.isArray(node.item);
}

function idOf(node: Record<string, unknown>, fallback: string): string {
  return typeof node.id === 'string' && node.id !== '' ? node.id : fallback;
}

function nameOf(node: Record<string, unknown>): string {
  return typeof node.name === 'string' ? node.name : '';
}

/**
 * A copy of the collection in which every folder and request has an id (`#0.2.1`, its position, where it had
 * none): Newman would give such items random ones, and the run maps Newman's items back by id.
 */
export function withIds(collection: Record<string, unknown>): Record<string, unknown> {
  let missing = false;
  const copy = (node: Record<string, unknown>, path: string): Record<string, unknown> => {
    const children = Array.isArray(node.item) ? node.item : undefined;
    const id = typeof node.id === 'string' && node.id !== '' ? node.id : undefined;
    if (id === undefined && path !== '') missing = true;
    return {
      ...node,
      ...(id === undefined && path !== '' ? { id: `#${path}` } : {}),
      ...(children === undefined
        ? {}
        : {
            item: children.map((c, i) => (isObject(c) ? copy(c, path === '' ? `${i}` : `${path}.${i}`) : c)),
          }),
    };
  };
  const result = copy(collection, '');
  return missing ? result : collection;
}

/**
 * Indexes a collection's JSON (see `withIds` for items without an id). Items without an id get a positional one (`#3`); generated collections always
 * carry stable ids.
 */
export function indexCollection(collection: Record<string, unknown>): CollectionIndex {
  const items: IndexedItem[] = [];
  const units: RunUnit[] = [];
  const folderNames: string[] = [];

  const scripts = (node: Record<string, unknown>): number =>
    Array.isArray(node.event) ? node.event.filter((e) => isObject(e) && e.listen === 'prerequest').length : 0;
  const base = 1 + scripts(collection);

  const addItems = (node: Record<string, unknown>, folder: string, unit: RunUnit, cost: number): void => {
    for (const child of childrenOf(node)) {
      if (isFolder(child)) {
        folderNames.push(nameOf(child));
        addItems(child, folder, unit, cost + scripts(child));
        continue;
      }
      const order = items.length;
      const data = caseDataOf(child);
      items.push({
        id: idOf(child, `#${order}`),
        name: nameOf(child),
        order,
        folder,
        unit: unit.id,
        ...(data === undefined ? {} : { data }),
      });
      unit.cases += 1;
      unit.weight += cost + scripts(child);
    }
  };

  const visit = (node: Record<string, unknown>, path: string[], folder: string, cost: number): void => {
    const children = childrenOf(node);
    const direct = children.some((c) => !isFolder(c));
    const own = cost + scripts(node);
    if (direct || children.length === 0) {
      const unit: RunUnit = {
        id: idOf(node, path.join('/')),
        path,
        cases: 0,
        weight: 0,
        order: items.length,
      };
      addItems(node, folder, unit, own);
      if (unit.cases > 0) units.push(unit);
      return;
    }
    for (const child of children) {
      folderNames.push(nameOf(child));
      visit(child, [...path, nameOf(child)], folder, own);
    }
  };

  for (const top of childrenOf(collection)) {
    if (isFolder(top)) {
      const name = nameOf(top);
      folderNames.push(name);
      visit(top, [name], name, base);
    } else {
      const order = items.length;
      const id = idOf(top, `#${order}`);
      const data = caseDataOf(top);
      items.push({
        id,
        name: nameOf(top),
        order,
        folder: ROOT_FOLDER,
        unit: id,
        ...(data === undefined ? {} : { data }),
      });
      units.push({ id, path: [nameOf(top)], cases: 1, weight: base + scripts(top), order });
    }
  }
  return { items, byId: new Map(items.map((i) => [i.id, i])), units, folderNames };
}

/** Units into `count` groups balanced by case count: largest first onto the least loaded group (ties: unit id, then
 * the lowest group); each group in run order. Deterministic for the same collection. */
function partition(units: readonly RunUnit[], count: number, size: (unit: RunUnit) => number): RunUnit[][] {
  const loads = new Array<number>(Math.max(1, count)).fill(0);
  const groups: RunUnit[][] = loads.map(() => []);
  const bySize = [...units].sort((a, b) => size(b) - size(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const unit of bySize) {
    let target = 0;
    for (let i = 1; i < loads.length; i += 1) if ((loads[i] ?? 0) < (loads[target] ?? 0)) target = i;
    loads[target] = (loads[target] ?? 0) + size(unit);
    groups[target]?.push(unit);
  }
  return groups.map((g) => g.sort((a, b) => a.order - b.order));
}

/** Splits units into at most `count` groups for the workers, balanced by expected cost; no empty group. */
export function balanceUnits(units: readonly RunUnit[], count: number): RunUnit[][] {
  return partition(units, count, (u) => u.weight).filter((g) => g.length > 0);
}

/** `--shard i/n`: the units of shard `index` (1-based) of `total`, balanced by case count, stable by folder id. */
export function shardUnits(units: readonly RunUnit[], index: number, total: number): RunUnit[] {
  return partition(units, total, (u) => u.cases)[index - 1] ?? [];
}
