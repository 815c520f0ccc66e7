// HEPData YAML for a limit against mass with expected bands, in the table format of the HEPData
// submission docs (hepdata.net/submission: independent_variables / dependent_variables, each
// with header {name, units} and values; qualifiers carry the CL). One dependent variable each for
// the observed limit, the expected median, and the expected +-1 sigma / +-2 sigma bands, the
// bands as asymmetric errors {asymerror: {plus, minus}} around the median.

export interface LimitTable {
  /** Mass points. */
  readonly mass: ArrayLike<number>;
  readonly observed: ArrayLike<number>;
  readonly expected: ArrayLike<number>;
  readonly expectedMinus1: ArrayLike<number>;
  readonly expectedPlus1: ArrayLike<number>;
  readonly expectedMinus2: ArrayLike<number>;
  readonly expectedPlus2: ArrayLike<number>;
  /** e.g. "M_{A'}" and "GeV". */
  readonly massName: string;
  readonly massUnits: string;
  /** e.g. "sigma(e+e- -> A'h', A' -> mu mu)" and "fb". */
  readonly limitName: string;
  readonly limitUnits: string;
  /** Confidence level, e.g. 0.9. */
  readonly cl: number;
  readonly description?: string;
  /** Extra qualifiers (e.g. {"SQRT(S)": "10.58 GeV", "M_{h'}": "2 GeV", "LUMINOSITY": "8.34 fb^-1"}). */
  readonly qualifiers?: Readonly<Record<string, string | number>>;
}

/** A YAML scalar that reads back as the same string or number (JSON strings are valid YAML). */
function scalar(v: string | number): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`HEPData writer: non-finite number ${v}`);
    return String(v);
  }
  return JSON.stringify(v);
}

export function hepdataLimitYaml(t: LimitTable): string {
  const n = t.mass.length;
  const arrays: [string, ArrayLike<number>][] = [
    ['observed', t.observed], ['expected', t.expected], ['expectedMinus1', t.expectedMinus1], ['expectedPlus1', t.expectedPlus1],
    ['expectedMinus2', t.expectedMinus2], ['expectedPlus2', t.expectedPlus2],
  ];
  if (n === 0) throw new Error('HEPData writer: no mass points');
  for (const [name, a] of arrays) {
    if (a.length !== n) throw new Error(`HEPData writer: ${name} has ${a.length} values, mass has ${n}`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) throw new Error(`HEPData writer: ${name}[${i}] is ${a[i]}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(t.mass[i])) throw new Error(`HEPData writer: mass[${i}] is ${t.mass[i]}`);
    if (!(t.expectedMinus2[i] <= t.expectedMinus1[i] && t.expectedMinus1[i] <= t.expected[i] && t.expected[i] <= t.expectedPlus1[i] && t.expectedPlus1[i] <= t.expectedPlus2[i])) {
      throw new Error(`HEPData writer: at mass[${i}] = ${t.mass[i]} the expected band is not ordered (-2s <= -1s <= median <= +1s <= +2s)`);
    }
  }
  if (!(t.cl > 0 && t.cl < 1)) throw new Error(`HEPData writer: cl must be in (0, 1), got ${t.cl}`);
  const cl = `${+(t.cl * 100).toPrecision(6)}%`;
  const quals = (extra: Record<string, string>) => {
    const q = { CL: cl, ...Object.fromEntries(Object.entries(t.qualifiers ?? {}).map(([k, v]) => [k, String(v)])), ...extra };
    return Object.entries(q).map(([k, v]) => `  - {name: ${scalar(k)}, value: ${scalar(v)}}`).join('\n');
  };
  const L: string[] = [];
  if (t.description) L.push(`# ${t.description.replace(/\n/g, ' ')}`);
  L.push('independent_variables:');
  L.push(`- header: {name: ${scalar(t.massName)}, units: ${scalar(t.massUnits)}}`);
  L.push('  values:');
  for (let i = 0; i < n; i++) L.push(`  - {value: ${scalar(t.mass[i])}}`);
  L.push('dependent_variables:');
  const dep = (what: string, body: (i: number) => string) => {
    L.push(`- header: {name: ${scalar(`${t.limitName} ${what}`)}, units: ${scalar(t.limitUnits)}}`);
    L.push('  qualifiers:');
    L.push(quals({ LIMIT: what }));
    L.push('  values:');
    for (let i = 0; i < n; i++) L.push(`  - ${body(i)}`);
  };
  dep('observed upper limit', (i) => `{value: ${scalar(t.observed[i])}}`);
  dep('expected upper limit', (i) => {
    const m = t.expected[i];
    return `{value: ${scalar(m)}, errors: [{asymerror: {plus: ${scalar(t.expectedPlus1[i] - m)}, minus: ${scalar(t.expectedMinus1[i] - m)}}, label: "1 sigma"}, {asymerror: {plus: ${scalar(t.expectedPlus2[i] - m)}, minus: ${scalar(t.expectedMinus2[i] - m)}}, label: "2 sigma"}]}`;
  });
  return L.join('\n') + '\n';
}

/** The submission.yaml document that points at a table file (HEPData submission format). */
export function hepdataSubmissionYaml(tables: readonly { name: string; description: string; dataFile: string; keywords?: Record<string, string[]> }[], comment = ''): string {
  const docs = [`comment: ${scalar(comment)}`];
  for (const t of tables) {
    const kw = Object.entries(t.keywords ?? {}).map(([k, v]) => `  - {name: ${scalar(k)}, values: [${v.map(scalar).join(', ')}]}`);
    docs.push([`name: ${scalar(t.name)}`, `description: ${scalar(t.description)}`, `data_file: ${scalar(t.dataFile)}`, ...(kw.length ? ['keywords:', ...kw] : [])].join('\n'));
  }
  return docs.join('\n---\n') + '\n';
}
