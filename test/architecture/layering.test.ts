import { dirname, join } from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, readImportGraph, topFolder, type ImportEdge } from './import-graph.js';
import { LAYER_NAMES, LAYERS, ROOM_LAYER } from './layers.js';

/**
 * The import graph of src/ keeps the layering of docs/adr/0002-layering.md. Production files
 * only: a test may compose layers to exercise a contract (a model test over a wire layout, a
 * provider test over the root schema), which is not a dependency of the shipped code. Type-only
 * imports count: they are erased at run time but still tie one folder's design to another's.
 */
const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const edges = readImportGraph(src);

/**
 * Known violations, each with who removes it. An entry that no longer occurs fails the test
 * too, so the list only shrinks. The coordinator empties it after merging branch i15-flow.
 */
const ALLOWED: ReadonlyArray<{ from: string; to: string; owner: string; why: string }> = [
  // Runtime construction belongs in assembly/ (issue #15); it stays in pipeline/ until i15-flow's
  // pipeline rework is merged, then moves up and these imports become assembly → pipeline.
  { from: 'pipeline/gateway-runtime.ts', to: 'assembly/config-schema.ts', owner: 'coordinator after merging i15-flow', why: 'runtime construction still in pipeline/' },
  { from: 'pipeline/gateway-runtime.ts', to: 'assembly/load-config.ts', owner: 'coordinator after merging i15-flow', why: 'runtime construction still in pipeline/' },
  { from: 'pipeline/guard-stage.ts', to: 'assembly/load-config.ts', owner: 'coordinator after merging i15-flow', why: 'the stage reads LoadedConfig; pass it the guard piece instead' },
  { from: 'pipeline/prepare-services-reload.ts', to: 'assembly/load-config.ts', owner: 'coordinator after merging i15-flow', why: 'runtime construction still in pipeline/' },
  { from: 'pipeline/shared-services.ts', to: 'assembly/load-config.ts', owner: 'coordinator after merging i15-flow', why: 'runtime construction still in pipeline/' },
  { from: 'pipeline/shared-services.ts', to: 'assembly/all-migrations.ts', owner: 'coordinator after merging i15-flow', why: 'runtime construction still in pipeline/' },
  { from: 'pipeline/shared-services.ts', to: 'assembly/open-migrated-storage.ts', owner: 'coordinator after merging i15-flow', why: 'runtime construction still in pipeline/' },
  // Observability becomes a subscriber of diagnostics_channel events (i15-flow,
  // observability/channels.ts): request observers read the flat RequestSummary now; these two
  // still read a room's own event types (release evaluations, metering events).
  { from: 'observability/release-metrics-observer.ts', to: 'releases/release-store.ts', owner: 'i15-flow (diagnostics_channel events)', why: 'observer reads release types' },
  { from: 'observability/metering-event-subscriber.ts', to: 'metering/metering-events.ts', owner: 'i15-flow (diagnostics_channel events)', why: 'subscriber reads metering events' },
];

const key = (edge: { from: string; to: string }) => `${edge.from} -> ${edge.to}`;
const allowed = new Set(ALLOWED.map(key));

function remedy(fromFolder: string, toFolder: string): string {
  const from = LAYERS[fromFolder] ?? -1;
  const to = LAYERS[toFolder] ?? -1;
  if (from === ROOM_LAYER && to === ROOM_LAYER) {
    return `rooms never import each other: move the shared word to model/, or let assembly/ pass ${toFolder}'s piece in`;
  }
  if (toFolder === 'assembly') return 'only main.ts and cli/ use the assembly: take the room\'s own config piece or a narrow interface instead';
  return `${toFolder}/ is above ${fromFolder}/: move the shared piece down (model/ or ${fromFolder}/), or have ${toFolder}/ pass it in`;
}

function violations(graph: readonly ImportEdge[]): string[] {
  const found: string[] = [];
  for (const edge of graph) {
    const fromFolder = topFolder(edge.from);
    const toFolder = topFolder(edge.to);
    if (fromFolder === toFolder || allowed.has(key(edge))) continue;
    const from = LAYERS[fromFolder];
    const to = LAYERS[toFolder];
    if (from === undefined || to === undefined) continue; // reported by the placement test
    const upward = to > from;
    const sideways = from === ROOM_LAYER && to === ROOM_LAYER;
    if (upward || sideways) {
      found.push(
        `${key(edge)}${edge.typeOnly ? ' (type)' : ''}: ${fromFolder}/ (${LAYER_NAMES[from]}) may not import ${toFolder}/ (${LAYER_NAMES[to]}). Remedy: ${remedy(fromFolder, toFolder)}`,
      );
    }
  }
  return found;
}

describe('layering of src/ (docs/adr/0002-layering.md)', () => {
  it('places every top folder of src/ on a layer', () => {
    const folders = readdirSync(src, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.name === 'main.ts')
      .map((entry) => topFolder(entry.name));
    const unplaced = folders.filter((folder) => LAYERS[folder] === undefined);
    expect(unplaced, 'add each new folder to test/architecture/layers.ts and its README').toEqual([]);
  });

  it('gives every top folder a README stating its contract and what it may import', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const lacking = folders.filter((folder) => {
      const readme = join(src, folder, 'README.md');
      return !existsSync(readme) || !/May import/.test(readFileSync(readme, 'utf8'));
    });
    expect(lacking, 'write src/<folder>/README.md with a "May import" line').toEqual([]);
  });

  it('has no import from a lower layer to a higher one, and none between rooms', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('has no import circle between folders', () => {
    // Allow-listed edges are the known upward ones; every circle today runs through one of them.
    const counted = edges.filter((edge) => !allowed.has(key(edge)));
    const folderEdges = counted
      .filter((edge) => topFolder(edge.from) !== topFolder(edge.to))
      .map((edge) => [topFolder(edge.from), topFolder(edge.to)] as const);
    const cycles = findCycles(new Set(folderEdges.flat()), folderEdges).map((cycle) => {
      const members = new Set(cycle);
      const inside = counted.filter((edge) => members.has(topFolder(edge.from)) && members.has(topFolder(edge.to)) && topFolder(edge.from) !== topFolder(edge.to));
      return `${cycle.join(' ↔ ')} via ${inside.map(key).join(', ')}. Remedy: break one edge (move the shared piece down a layer)`;
    });
    expect(cycles).toEqual([]);
  });

  it('keeps the allow-list honest: every entry still occurs (remove the ones that do not)', () => {
    const present = new Set(edges.map(key));
    expect(ALLOWED.map(key).filter((entry) => !present.has(entry))).toEqual([]);
  });

  it('catches a violation when one is introduced (the check itself works)', () => {
    const planted: ImportEdge[] = [
      { from: 'model/example.ts', to: 'pipeline/run-pipeline.ts', typeOnly: true },
      { from: 'policy/example.ts', to: 'routing/select-target.ts', typeOnly: false },
    ];
    const found = violations(planted);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/model\/ \(model\) may not import pipeline\/ \(pipeline\)\. Remedy: /);
    expect(found[1]).toMatch(/rooms never import each other/);
    expect(findCycles(['a', 'b', 'c'], [['a', 'b'], ['b', 'c'], ['c', 'a']])).toEqual([['a', 'b', 'c']]);
  });
});
