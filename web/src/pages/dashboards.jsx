// Dashboards for analysts and managers: one screen per analysis, showing a
// kept run (the latest by default; any other by the run picker) with its
// as-of date, a chart, and its tables, each exportable to CSV and XLSX.
// The numbers are the API's (GET /analyses/{run}); this page only draws.
import { api } from '../api.js';
import { lang, roc, t } from '../i18n.js';
import { date } from '../format.js';
import { useSignal } from '../state.js';
import { Chart } from '../chart.jsx';
import { DataTable, Loading, useLoad } from '../ui.jsx';
import { choices, label, loadVocabulary, vocabulary } from '../vocabulary.js';
import { useEffect } from 'preact/hooks';


const num = (v, digits) => (typeof v === 'number'
  ? v.toLocaleString(lang.get() === 'en' ? 'en-GB' : 'zh-TW', digits === undefined ? {} : { maximumFractionDigits: digits })
  : v ?? '');
// a column's label: its own words, or a transaction channel's share ("atm_%") by the vocabulary's label
const col = (c) => {
  const k = `col_${c}`;
  const s = t(k);
  if (s !== k) return s;
  const ch = c.endsWith('_%') ? c.slice(0, -2) : null;
  return ch && choices('txn_channel').some(([v]) => v === ch) ? `${label('txn_channel', ch)} %` : c;
};

function Table({ s, table = null, name = null, test = 'table' }) {
  const tb = table || s.table;
  return <DataTable name={`${name || s.job}-run${s.run}-${s.as_of}`} columns={tb.columns} labels={tb.columns.map(col)} rows={tb.rows} test={test} format={(v) => num(v)} />;
}

function Stat({ label, value, test = undefined }) {
  return <div class="stat" data-test={test}><span class="stat-value">{value}</span><span class="stat-label">{label}</span></div>;
}

const axis = (name, extra) => ({ type: 'value', name, nameLocation: 'middle', nameGap: 32, ...extra });

function Pareto({ s }) {
  const curve = s['curve_%'].map((y, x) => [x, y]);
  const option = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${num(v, 1)}%` },
    grid: { left: 60, right: 30, top: 30, bottom: 50 },
    xAxis: axis(t('customersPct'), { min: 0, max: 100 }),
    yAxis: axis(t('cumulativeShare'), { nameGap: 42 }),
    series: [
      { name: t('col_' + s.measure), type: 'line', data: curve, showSymbol: false, areaStyle: { opacity: 0.12 },
        markLine: { symbol: 'none', label: { formatter: `${t('top20')} ${num(s['top20_share_%'], 1)}%` },
          data: [{ xAxis: 20 }] } },
      { name: t('evenShare'), type: 'line', data: [[0, 0], [100, 100]], showSymbol: false, lineStyle: { type: 'dashed' } },
    ],
  };
  return (
    <>
      <div class="stats">
        <Stat test="top20" label={t('top20Share')} value={`${num(s['top20_share_%'], 1)}%`} />
        {s.breakpoints.map((b) => (
          <Stat key={b['share_of_total_%']} label={t('customersGive', { p: b['share_of_total_%'] })} value={`${num(b['customers_%'], 1)}%`} />
        ))}
      </div>
      <Chart test="chart" option={option} />
      <h3>{t('deciles')}</h3>
      <Table s={s} />
    </>
  );
}

function Pyramid({ s }) {
  const rows = s.table.rows;
  const option = {
    tooltip: { formatter: (p) => p.data.tip },
    series: [{
      type: 'funnel', sort: 'none', left: '15%', width: '70%', gap: 2, minSize: '20%',
      label: { position: 'inside', formatter: (p) => p.data.label },
      data: rows.map((r, i) => ({
        name: r[0], value: i + 1,
        label: `${r[0]}  ${num(r[1])} (${num(r[2], 1)}%) → ${num(r[4], 1)}%`,
        tip: `${r[0]}: ${num(r[1])} ${t('customersUnit')}, ${t('col_total_%')} ${num(r[4], 1)}%`,
      })),
    }],
  };
  return (
    <>
      <p class="notice">{t('pyramidHint')}</p>
      <Chart test="chart" option={option} />
      <Table s={s} />
    </>
  );
}

function Rfm({ s }) {
  const cells = new Map();
  for (const r of s.table.rows) {
    const key = `${Math.floor(r[0] / 100)}-${Math.floor(r[0] / 10) % 10}`;
    cells.set(key, (cells.get(key) || 0) + r[1]);
  }
  const data = [];
  let max = 0;
  for (let f = 1; f <= 5; f++) for (let r = 1; r <= 5; r++) {
    const v = cells.get(`${r}-${f}`) || 0;
    max = Math.max(max, v);
    data.push([r - 1, f - 1, v]);
  }
  const option = {
    tooltip: { formatter: (p) => `R${p.data[0] + 1} F${p.data[1] + 1}: ${num(p.data[2])}` },
    grid: { left: 70, right: 30, top: 20, bottom: 90 },
    xAxis: { type: 'category', data: [1, 2, 3, 4, 5].map((n) => `R${n}`), name: t('recencyScore'), nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'category', data: [1, 2, 3, 4, 5].map((n) => `F${n}`), name: t('frequencyScore'), nameLocation: 'middle', nameGap: 40 },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
    series: [{ type: 'heatmap', data, label: { show: true, formatter: (p) => num(p.data[2]) } }],
  };
  return (
    <>
      <div class="stats"><Stat label={t('neverActive')} value={num(s.never_active)} /></div>
      <Chart test="chart" option={option} height={420} />
      <Table s={s} />
    </>
  );
}

function GainsLosses({ s }) {
  const classes = Object.entries(s.classes);
  const option = {
    tooltip: {},
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: classes.map(([k]) => t(`class_${k}`)) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: classes.map(([, v]) => v), label: { show: true, position: 'top' } }],
  };
  return (
    <>
      <p class="notice">{t('gainsLossesHint', { month: s.params.month, previous: s.params.previous_month })}</p>
      <Table s={s} />
      <Chart test="chart" option={option} height={300} />
    </>
  );
}

function Migration({ s }) {
  const cols = s.table.columns.slice(1, -1);
  const before = (l) => `${l} ${t('before')}`;
  const now = (l) => `${l} ${t('now')}`;
  const names = new Set();
  const links = [];
  for (const r of s.table.rows)
    cols.forEach((c, i) => {
      if (r[i + 1] > 0) {
        names.add(before(r[0]));
        names.add(now(c));
        links.push({ source: before(r[0]), target: now(c), value: r[i + 1] });
      }
    });
  const option = {
    tooltip: { trigger: 'item' },
    series: [{ type: 'sankey', data: [...names].map((name) => ({ name })), links, emphasis: { focus: 'adjacency' },
      nodeAlign: 'justify', lineStyle: { color: 'gradient', opacity: 0.4 }, label: { fontSize: 12 } }],
  };
  const rules = { columns: ['group', 'outcome', 'rule', 'customers', 'confidence_%', 'lift'], rows: [] };
  for (const g of s.rules || [])
    for (const r of g.rules) rules.rows.push([g.group, g.outcome, r.if, r.customers, r['confidence_%'], r.lift]);
  return (
    <>
      <Chart test="chart" option={option} height={460} />
      <Table s={s} />
      <h3>{t('migrationRules')}</h3>
      <Table s={s} table={rules} name="migration-rules" test="rules" />
    </>
  );
}

function Sizes({ s, label }) {
  const rows = s.table.rows;
  const option = {
    tooltip: {},
    grid: { left: 60, right: 20, top: 20, bottom: 60 },
    xAxis: { type: 'category', data: rows.map((r) => (typeof r[0] === 'number' ? `${label} ${r[0]}` : r[0])), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: t('customersUnit') },
    series: [{ type: 'bar', data: rows.map((r) => r[1]), label: { show: true, position: 'top' } }],
  };
  return (
    <>
      <Chart test="chart" option={option} height={320} />
      <Table s={s} />
    </>
  );
}

function Plain({ s }) {
  return <Table s={s} />;
}

const VIEWS = {
  pareto: Pareto, pyramid: Pyramid, rfm: Rfm, 'gains-losses': GainsLosses, migration: Migration,
  segment: (p) => <Sizes {...p} label="" />, cluster: (p) => <Sizes {...p} label="" />,
  value: (p) => <Sizes {...p} label={t('col_decile')} />, clv: (p) => <Sizes {...p} label={t('col_decile')} />, quality: Plain,
};

export function Dashboards({ job, run = undefined }) {
  useSignal(lang);
  useSignal(roc);
  useSignal(vocabulary);
  // the analyses there are, and their titles, come from the API (the analyses' table)
  useEffect(() => { loadVocabulary().catch(() => { /* no tabs until it comes */ }); }, []);
  const [runs, runsError] = useLoad(() => api('GET', '/analyses', { query: { job, limit: 200 } }), [job]);
  const chosen = run || runs?.runs?.[0]?.run;
  const [s, error] = useLoad(() => (chosen ? api('GET', '/analyses/{run}', { params: { run: chosen } }) : Promise.resolve(null)), [chosen]);
  const View = VIEWS[job] || Plain;
  return (
    <section class="card dashboards" data-test="dashboards">
      <nav class="tabs" data-test="dashboard-tabs">
        {choices('analysis').map(([j, title]) => <a key={j} href={`#/dashboards/${j}`} class={j === job ? 'on' : ''} data-test={`tab-${j}`}>{title}</a>)}
      </nav>
      {runsError && <Loading error={runsError} />}
      {runs && runs.runs.length === 0 && <p class="notice" data-test="no-runs">{t('noRuns', { job })}</p>}
      {runs && runs.runs.length > 0 && (
        <div class="run-bar">
          <label>{t('run')}{' '}
            <select data-test="run-picker" value={chosen} onChange={(e) => { location.hash = `#/dashboards/${job}/${e.currentTarget.value}`; }}>
              {runs.runs.map((r) => <option key={r.run} value={r.run}>#{r.run} · {t('asOf')} {date(r.as_of)}</option>)}
            </select>
          </label>
          {s && <span class="as-of" data-test="as-of">{t('asOf')} {date(s.as_of)}</span>}
        </div>
      )}
      {error && <Loading error={error} />}
      {s && s.job !== job && <p class="error" role="alert">{t('wrongRun', { run: s.run, job: s.job })}</p>}
      {s && s.job === job && (
        <div data-test={`dashboard-${job}`}>
          <p class="headline" data-test="headline">{s.headline}</p>
          <View s={s} key={s.run} />
        </div>
      )}
    </section>
  );
}
