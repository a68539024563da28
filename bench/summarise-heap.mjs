// `node bench/summarise-heap.mjs <file.heapsnapshot> [top]` — self size per node type/name
// (constructor for objects, "(string)", "(code)" …) from a V8 heap snapshot: what fills the heap.
import { readFileSync } from 'node:fs';

const [file, topText = '30'] = process.argv.slice(2);
const snapshot = JSON.parse(readFileSync(file, 'utf8'));
const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
const width = fields.length;
const typeIndex = fields.indexOf('type');
const nameIndex = fields.indexOf('name');
const sizeIndex = fields.indexOf('self_size');
const typeNames = types[typeIndex];
const totals = new Map();
let all = 0;
for (let offset = 0; offset < snapshot.nodes.length; offset += width) {
  const type = typeNames[snapshot.nodes[offset + typeIndex]];
  const size = snapshot.nodes[offset + sizeIndex];
  const key = type === 'object' || type === 'closure' ? `${type} ${snapshot.strings[snapshot.nodes[offset + nameIndex]]}` : `(${type})`;
  const entry = totals.get(key) ?? { size: 0, count: 0 };
  entry.size += size;
  entry.count += 1;
  totals.set(key, entry);
  all += size;
}
console.log(`total self size ${(all / 2 ** 20).toFixed(1)} MB`);
for (const [key, { size, count }] of [...totals].sort((a, b) => b[1].size - a[1].size).slice(0, Number(topText))) {
  console.log(`${(size / 2 ** 20).toFixed(2).padStart(7)} MB  ${String(count).padStart(8)}  ${key}`);
}
