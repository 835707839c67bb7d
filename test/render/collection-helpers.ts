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

/** The collection each looked-up item came from, for `prerequestCode`. */
const collectionOf = new WeakMap<PostmanItem, PostmanCollection>();

export function itemNamed(collection: PostmanCollection, name: string): PostmanItem {
  const item = allItems(collection.item).find((i) => i.name === name);
  if (!item) throw new Error(`no item ${name}`);
  collectionOf.set(item, collection);
  return item;
}

/** A script line that gives the stub `pm` this item's request description (its case descriptor). */
function describedAs(item: PostmanItem): string {
  return `pm.request = ${JSON.stringify({ description: item.request.description })};`;
}

/** The pre-request script of the top-level folder holding `item`, or undefined when it has none. */
function folderPrerequest(collection: PostmanCollection, item: PostmanItem): string | undefined {
  const folder = collection.item.find((f) => allItems(f.item).includes(item));
  const event = folder?.event?.find((e) => e.listen === 'prerequest');
  return event?.script.exec.join('\n');
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

/**
 * What runs before `item`'s request: its folder's pre-request script (requests carry no scripts of their own),
 * preceded by a line that sets `pm.request.description` to the item's, so the stub sandbox sees its descriptor.
 * `item` must come from `itemNamed`/`itemFor`.
 */
export function prerequestCode(item: PostmanItem): string {
  const collection = collectionOf.get(item);
  if (!collection) throw new Error(`look ${item.name} up with itemNamed or itemFor first`);
  return [describedAs(item), folderPrerequest(collection, item) ?? ''].join('\n');
}

export function folderNamed(collection: PostmanCollection, name: string): PostmanFolder {
  const folder = allFolders(collection.item).find((f) => f.name === name);
  if (!folder) throw new Error(`no folder ${name}`);
  return folder;
}

/**
 * The pre-request script of a top-level folder as it runs for the folder's first request that needs a Cognito
 * token (so it fetches tokens).
 */
export function tokenScriptCode(collection: PostmanCollection, folder: string): string {
  const event = folderNamed(collection, folder).event?.find((e) => e.listen === 'prerequest');
  if (!event) throw new Error(`folder ${folder} has no pre-request script`);
  const item = allItems(folderNamed(collection, folder).item).find((i) =>
    i.request.description.includes('"token":{'),
  );
  if (!item) throw new Error(`folder ${folder} has no request that needs a token`);
  return [describedAs(item), event.script.exec.join('\n')].join('\n');
}

export function assertScriptCode(collection: PostmanCollection): string {
  return collection.event.find((e) => e.listen === 'test')!.script.exec.join('\n');
}
