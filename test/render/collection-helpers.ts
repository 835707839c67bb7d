/** Lookups in a rendered collection for the renderer's tests. */

import type { PostmanCollection, PostmanFolder, PostmanItem } from '../../src/render/index.js';

export function isFolder(node: PostmanFolder | PostmanItem): node is PostmanFolder {
  return 'item' in node;
}

/** Every request item, depth first, in run order. */
export function allItems(nodes: (PostmanFolder | PostmanItem)[]): PostmanItem[] {
  return nodes.flatMap((n) => (isFolder(n) ? allItems(n.item) : [n]));
}

/** Every folder, depth first. */
export function allFolders(nodes: (PostmanFolder | PostmanItem)[]): PostmanFolder[] {
  return nodes.flatMap((n) => (isFolder(n) ? [n, ...allFolders(n.item)] : []));
}

export function itemNamed(collection: PostmanCollection, name: string): PostmanItem {
  const item = allItems(collection.item).find((i) => i.name === name);
  if (!item) throw new Error(`no item ${name}`);
  return item;
}

/** The item of the case whose name ends with `suffix` under the path `path`. */
export function itemFor(
  collection: PostmanCollection,
  method: string,
  path: string,
  label: string,
): PostmanItem {
  return itemNamed(
    collection,
    allItems(collection.item)
      .map((i) => i.name)
      .find((n) => n.startsWith(`[${method}] ${path} - `) && n.endsWith(`: ${label}`)) ??
      `${method} ${path} ${label}`,
  );
}

export function prerequestCode(item: PostmanItem): string {
  return item.event.find((e) => e.listen === 'prerequest')!.script.exec.join('\n');
}

export function folderNamed(collection: PostmanCollection, name: string): PostmanFolder {
  const folder = allFolders(collection.item).find((f) => f.name === name);
  if (!folder) throw new Error(`no folder ${name}`);
  return folder;
}

export function tokenScriptCode(collection: PostmanCollection, folder: string): string {
  const event = folderNamed(collection, folder).event?.find((e) => e.listen === 'prerequest');
  if (!event) throw new Error(`folder ${folder} has no pre-request script`);
  return event.script.exec.join('\n');
}

export function assertScriptCode(collection: PostmanCollection): string {
  return collection.event.find((e) => e.listen === 'test')!.script.exec.join('\n');
}
