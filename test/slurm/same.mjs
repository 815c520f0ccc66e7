// node same.mjs A.json B.json [--ignore k1,k2]: exit 0 when the two JSON documents carry the same
// numbers bit for bit, apart from the named top-level fields (where and how fast a run went).
// Doubles are compared through JSON.stringify of the parsed values, which writes the shortest
// decimal that round-trips, so equal text means equal bits; objects are compared key-sorted.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const at = args.indexOf('--ignore');
const ignore = at >= 0 ? args.splice(at, 2)[1].split(',').filter(Boolean) : [];
const [a, b] = args;
if (!a || !b) {
  console.error('usage: node same.mjs A.json B.json [--ignore k1,k2]');
  process.exit(2);
}

const sorted = (v) =>
  Array.isArray(v) ? v.map(sorted)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]))
  : v;

function load(f) {
  const d = JSON.parse(readFileSync(f, 'utf8'));
  for (const k of ignore) delete d[k];
  return d;
}

const da = load(a), db = load(b);
const ta = JSON.stringify(sorted(da)), tb = JSON.stringify(sorted(db));
if (ta === tb) {
  console.log(`same: ${a} == ${b} (${ta.length} bytes of canonical JSON${ignore.length ? `; not compared: ${ignore.join(', ')}` : ''})`);
  process.exit(0);
}
const keys = [...new Set([...Object.keys(da), ...Object.keys(db)])];
const differ = keys.filter((k) => JSON.stringify(sorted(da[k])) !== JSON.stringify(sorted(db[k])));
console.error(`DIFFER: ${a} vs ${b}: fields ${differ.join(', ')}`);
for (const k of differ.slice(0, 3)) {
  const x = JSON.stringify(sorted(da[k])) ?? 'undefined', y = JSON.stringify(sorted(db[k])) ?? 'undefined';
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  console.error(`  ${k}: ...${x.slice(Math.max(0, i - 60), i + 60)}\n  ${' '.repeat(k.length)}  ...${y.slice(Math.max(0, i - 60), i + 60)}`);
}
process.exit(1);
