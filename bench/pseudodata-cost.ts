// What independent pseudo-data cost per search: every background (stratum) of every event-model
// search definition at the paper's luminosity, its events (sigma L), the generation time of that
// many events on the WASM backend (one worker, measured on a sample of up to --events events), the
// cost search.ts prices it at (pseudoDataCost: events x GEN_US_PER_EVENT) and what it decides for its
// pseudo-data: within the default budget (PSEUDO_DATA_MAX_S, FIT_PSEUDO_DATA_MAX_S) and within the budget
// of the search's paper config (engine/analyses/configs/<search>.json simulation.pseudo_data_max_s, where
// it raises it; the decision a `darkscan run --config` of it makes):
//   npx vite-node bench/pseudodata-cost.ts -- [--events 100000] [--searches a,b] [--out FILE.json]
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { WasmBackend } from '../host/index.js';
import { expectedEvents, generateOn, getProcess } from '../engine/generate/index.js';
import { SEARCHES } from '../engine/analyses/searches.js';
import { FIT_PSEUDO_DATA_MAX_S, PSEUDO_DATA_MAX_S, pseudoDataCost } from '../engine/analyses/search.js';

const { values: a } = parseArgs({ args: process.argv.slice(2).filter((x) => x !== '--'), options: { events: { type: 'string', default: '100000' }, searches: { type: 'string' }, out: { type: 'string' } } });
const N = Number(a.events);
const backend = await WasmBackend.create({ workers: 1 });
const rate = new Map<string, number>();
const rows: Record<string, unknown>[] = [];
for (const def of Object.values(SEARCHES)) {
  if (a.searches && !a.searches.split(',').includes(def.name)) continue;
  const lumi = def.paper.lumiFb;
  const cfgPath = new URL(`../engine/analyses/configs/${def.name}.json`, import.meta.url);
  const defaultBudget = def.model === 'fit' ? FIT_PSEUDO_DATA_MAX_S : PSEUDO_DATA_MAX_S;
  const configBudget: number = (existsSync(cfgPath) && JSON.parse(readFileSync(cfgPath, 'utf8')).simulation?.pseudo_data_max_s) ?? defaultBudget;
  for (const bg of def.backgrounds) {
    for (const st of bg.strata?.length ? bg.strata : [undefined]) {
      if ((st?.cannotPass ?? bg.cannotPass) !== undefined) {
        // the selection keeps none of its events (proven, searches.ts): no pseudo-data to make
        rows.push({ search: def.name, model: def.model, lumi_fb: lumi, process: bg.name, stratum: st?.label, cannot_pass: st?.cannotPass ?? bg.cannotPass });
        console.log(`${def.name.padEnd(26)} ${(bg.name + (st ? ` [${st.label.slice(0, 24)}]` : JSON.stringify(bg.params ?? {}))).padEnd(44)} cannot pass the selection: no pseudo-data`);
        continue;
      }
      const params = { ...bg.params, ...st?.params, ...getProcess(bg.name).unweighted };
      const mu = expectedEvents(bg.name, lumi, params);
      const id = `${bg.name} ${JSON.stringify(params)}`;
      if (!rate.has(id)) {
        const n = Math.max(1000, Math.min(N, Math.round(mu)));
        await generateOn(backend, { process: bg.name, params, events: Math.min(n, 5000), seed: 9 }); // warm
        const t0 = performance.now();
        const s = await generateOn(backend, { process: bg.name, params, events: n, seed: 1 });
        rate.set(id, n / ((performance.now() - t0) / 1000));
        void s;
      }
      const r = rate.get(id)!, priced = pseudoDataCost(bg.name, mu, st?.usPerEvent ?? bg.usPerEvent).generation_s;
      const byDefault = priced <= defaultBudget, byConfig = priced <= configBudget;
      const row = { search: def.name, model: def.model, lumi_fb: lumi, process: bg.name, stratum: st?.label, events: Math.round(mu), events_per_s_1worker: Math.round(r), generation_s_1worker: Math.round((mu / r) * 100) / 100, priced_s: priced, budget_default_s: defaultBudget, budget_config_s: configBudget, independent_default: byDefault, independent_config: byConfig };
      rows.push(row);
      const yn = (b: boolean) => (b ? 'own' : 'fallback');
      console.log(`${def.name.padEnd(26)} ${(bg.name + (st ? ` [${st.label.slice(0, 24)}]` : JSON.stringify(bg.params ?? {}))).padEnd(44)} ${String(row.events).padStart(11)} ${(r / 1e3).toFixed(0).padStart(6)}k/s ${row.generation_s_1worker.toFixed(2).padStart(9)} s measured ${priced.toFixed(2).padStart(9)} s priced  default ${defaultBudget} s: ${yn(byDefault).padEnd(8)} config ${configBudget} s: ${yn(byConfig)}`);
    }
  }
}
backend.dispose?.();
if (a.out) writeFileSync(a.out, JSON.stringify({ events: N, rows }, null, 2));
