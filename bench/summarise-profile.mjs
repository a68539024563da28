// `node bench/summarise-profile.mjs <file.cpuprofile> [top]` — self time per function and per
// package/module (node_modules/<pkg>, dist/<folder>, node:internal), from a V8 CPU profile.
import { readFileSync } from 'node:fs';

const [file, topText = '40'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topText);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTicks = new Map();
for (const sample of profile.samples) selfTicks.set(sample, (selfTicks.get(sample) ?? 0) + 1);
const total = profile.samples.length;

function moduleOf(url) {
  if (!url) return '(native/vm)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `dist/${dist[1]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
}

const byFunction = new Map();
const byModule = new Map();
for (const [id, ticks] of selfTicks) {
  const { callFrame } = byId.get(id);
  const name = `${callFrame.functionName || '(anonymous)'} ${moduleOf(callFrame.url)}:${callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + ticks);
  const module = callFrame.url ? moduleOf(callFrame.url) : callFrame.functionName;
  byModule.set(module, (byModule.get(module) ?? 0) + ticks);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, ticks] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * ticks) / total).toFixed(1).padStart(5)} %  ${name}`);
};
show('self time by module', byModule);
show('self time by function', byFunction);

// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map();
for (const [id, ticks] of selfTicks) {
  const seen = new Set();
  for (let current = id; current !== undefined; current = parent.get(current)) {
    const { callFrame } = byId.get(current);
    const name = `${callFrame.functionName || '(anonymous)'} ${moduleOf(callFrame.url)}:${callFrame.lineNumber + 1}`;
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + ticks);
  }
}
show('inclusive time by function (dist/ only)', new Map([...inclusive].filter(([name]) => name.includes(' dist/'))));
