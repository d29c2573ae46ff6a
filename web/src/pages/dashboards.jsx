// Dashboards for analysts and managers: one screen per analysis, showing a
// kept run (the latest by default; any other by the run picker) with its
// as-of date, a chart, and its tables, each exportable to CSV and XLSX.
// The numbers are the API's (GET /analyses/{run}); this page only draws.
import { api } from '../api.js';
import { clusterName, lang, roc, t, term } from '../i18n.js';
import { date } from '../format.js';
import { useSignal } from '../state.js';
import { Chart, loadCharts } from '../chart.jsx';
import { DataTable, Loading, useLoad } from '../ui.jsx';
import { choices, label, loadVocabulary, vocabulary } from '../vocabulary.js';
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../i18n.js';


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

// Amounts of the analyses are in the bank's base currency.
const money = (v) => `${num(v, 0)} TWD`;
const pct = (v) => `${num(v, 1)}%`;
const level = (l) => term('level_', l);

// A cluster's profile, as the analysis words it (analytics/job_cluster.c: a closed set of phrases,
// "; " between them, "(far from the average)" after a strong one), in the user's language.
export const profileText = (p) => String(p || '').split('; ').map((w) => {
  const far = w.endsWith(' (far from the average)');
  const base = far ? w.slice(0, -' (far from the average)'.length) : w;
  return term('profile_', base) + (far ? t('farFromAverage') : '');
}).join(t('listSep'));

// Each analysis's headline, a sentence made here from its numbers (GET /analyses/{run}), so that it
// is in the user's language with thousands separators and the currency; the server's own headline
// (English, for the command line and logs) is shown for an analysis this table does not know.
const HEADLINES = {
  value: (s) => t('hl_value', { n: num(s.customers), revenue: money(s.totals.revenue), cost: money(s.totals.cost_to_serve),
    profit: money(s.totals.profit), profitable: num(s.profitable), loss: num(s.loss_making) }),
  pareto: (s) => {
    const half = (s.breakpoints || []).find((b) => b['share_of_total_%'] === 50);
    return t(half ? 'hl_pareto_half' : 'hl_pareto', { share: pct(s['top20_share_%']), measure: t(`col_${s.measure}`), half: half && pct(half['customers_%']) });
  },
  pyramid: (s) => {
    const r = s.table.rows[0];
    return t('hl_pyramid', { n: num(s.customers), levels: s.table.rows.length, top: level(r[0]), count: num(r[1]), share: pct(r[4]), measure: t(`col_${s.measure}`) });
  },
  rfm: (s) => {
    const best = s.table.rows.find((r) => r[0] === 555);
    return t('hl_rfm', { n: num(s.customers), best: num(best ? best[1] : 0), share: pct(best && s.customers ? (100 * best[1]) / s.customers : 0), never: num(s.never_active) });
  },
  clv: (s) => t('hl_clv', { n: num(s.customers), weeks: num(s.params.horizon_weeks), tx: num(s.expected_transactions, 0), clv: money(s.total_clv), alive: pct(100 * s.mean_p_alive) }),
  'gains-losses': (s) => {
    const c = s.classes;
    return t('hl_gains', { month: s.params.month, previous: s.params.previous_month, active: num(c.same + c.more + c.less), more: num(c.more), less: num(c.less), activated: num(c.new + c.returning), lapsed: num(c.lapsed) });
  },
  migration: (s) => {
    const n = s.table.columns.length - 2;
    let moved = 0;
    let all = 0;
    s.table.rows.forEach((r, i) => { for (let j = 0; j < n; j++) { all += r[j + 1]; if (i !== j) moved += r[j + 1]; } });
    return t('hl_migration', { moved: num(moved), n: num(all), months: s.params.months });
  },
  cluster: (s) => {
    const sil = (s.tried || []).find((x) => x.k === s.k)?.silhouette;
    return t('hl_cluster', { n: num(s.customers), k: s.k, sil: num(sil, 2), inactive: num(s.inactive) });
  },
  segment: (s) => t(s.valid ? 'hl_segment' : 'hl_segment_issues', { k: s.table.rows.length, n: num(s.customers), gaps: num(s.gaps?.customers ?? 0), overlaps: num(s.overlaps?.customers ?? 0) }),
  channels: (s) => {
    const rows = s.table.rows;
    const ci = s.table.columns.indexOf('digital_%');
    const first = rows[0];
    const last = rows[rows.length - 1];
    return t('hl_channels', { top: level(first[0]), topShare: pct(first[ci]), low: level(last[0]), lowShare: pct(last[ci]) });
  },
  behaviour: (s) => {
    const grades = s.table.rows.filter((r) => r[0] === 'grade');
    const graded = grades.filter((r) => r[1] !== 'X').reduce((a, r) => a + r[2], 0);
    const x = grades.filter((r) => r[1] === 'X').reduce((a, r) => a + r[2], 0);
    return t('hl_behaviour', { n: num(s.customers), graded: num(graded), model: s.risk_model, x: num(x), dpd: s.params.default_dpd });
  },
  quality: (s) => {
    const loads = Object.values(s.loads || {});
    return t('hl_quality', { records: num(s.customers), sources: s.table.rows.length, loaded: num(loads.reduce((a, l) => a + l.records, 0)), rejected: num(loads.reduce((a, l) => a + l.rejected, 0)) });
  },
};
const headline = (s) => { try { return HEADLINES[s.job] ? HEADLINES[s.job](s) : s.headline; } catch { return s.headline; } };

// The customers behind a cell an analyst clicked (GET /analyses/{run}/customers): each as the
// surname and an initial with the branch, a page at a time, never a 360 (issue 22 item 13).
function CellCustomers({ run, pick, onClose }) {
  const [page, setPage] = useState({ after: undefined, back: [] });
  const [r, error] = useLoad(() => api('GET', '/analyses/{run}/customers', { params: { run }, query: { [pick.filter]: pick.value, limit: 50, after: page.after } }),
    [run, pick.filter, pick.value, page.after]);
  const shownFrom = page.back.length * 50 + 1;
  return (
    <div class="card cell-customers" data-test="cell-customers">
      <h3>{t('cellCustomers', { what: pick.label })}
        <button class="link" data-test="cell-close" onClick={onClose}>{t('close')}</button></h3>
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
      {r && (
        <>
          <p class="muted" data-test="cell-total">{t('cellTotal', { from: num(r.total ? shownFrom : 0), to: num(shownFrom + r.customers.length - 1), n: num(r.total) })}
            {' '}{t('cellMasked')}</p>
          <table data-test="cell-table">
            <thead><tr><th>{t('name')}</th><th>{t('branch')}</th><th>{t('value')}</th></tr></thead>
            <tbody>{r.customers.map((c, i) => (
              <tr key={i}><td>{c.name_zh} {c.name_latin}</td><td>{c.home_branch || ''}</td><td>{pick.show ? pick.show(c.value) : c.value}</td></tr>
            ))}</tbody>
          </table>
          <span class="pager">
            <button class="link" disabled={page.back.length === 0} onClick={() => setPage({ after: page.back[page.back.length - 1], back: page.back.slice(0, -1) })}>‹</button>
            <button class="link" data-test="cell-next" disabled={!r.next} onClick={() => setPage({ after: r.next, back: [...page.back, page.after] })}>›</button>
          </span>
        </>
      )}
    </div>
  );
}

/** A chart that drills down: picks hold {filter, value, label}, shown under it. */
function useDrill() {
  const [pick, setPick] = useState(null);
  return [pick, setPick];
}

function Table({ s, table = null, name = null, test = 'table' }) {
  const tb = table || s.table;
  const words = (v, j) => {
    const c = tb.columns[j];
    if (c === 'profile') return profileText(v);
    if (c === 'cluster') return clusterName(v);
    if (j === 0 && typeof v === 'string') return level(v);
    return num(v);
  };
  return <DataTable name={`${name || s.job}-run${s.run}-${s.as_of}`} columns={tb.columns} labels={tb.columns.map(col)} rows={tb.rows} test={test} format={words} />;
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
    yAxis: axis(t('cumulativeShare'), { nameGap: 42, min: 0, max: 100 }),
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

// The value pyramid drawn as one: each level a slice of a triangle, the top level the narrowest at
// the top, the levels below wider (drawn here in SVG: a funnel chart's last slice turns upside
// down), each labelled in dark text on a light fill with its customers, their share and their
// share of the measure.
const PYRAMID_FILLS = ['#8fbbe8', '#a9cbee', '#c3dbf3', '#dbe9f8', '#eceff3', '#f3f5f8'];
function Pyramid({ s }) {
  const [pick, setPick] = useDrill();
  const rows = s.table.rows;
  const n = rows.length;
  const W = 640;
  const H = 58;
  const min = 150; /* the top's width: room for its words */
  const at = (i) => min + ((W - min) * i) / n;
  return (
    <>
      <p class="notice">{t('pyramidHint')}</p>
      <div class="chart pyramid" data-test="chart" data-ready="1">
        <svg viewBox={`0 0 ${W} ${H * n}`} role="img" aria-label={t('pyramidLevel')} style={{ maxWidth: `${W}px`, width: '100%' }}>
          {rows.map((r, i) => {
            const top = at(i);
            const bottom = at(i + 1);
            const pts = [[(W - top) / 2, i * H], [(W + top) / 2, i * H], [(W + bottom) / 2, (i + 1) * H - 3], [(W - bottom) / 2, (i + 1) * H - 3]];
            return (
              <g key={r[0]} data-level={r[0]} class="pick" onClick={() => setPick({ filter: 'level', value: r[0], label: level(r[0]), show: level })}>
                <title>{`${level(r[0])}: ${num(r[1])} ${t('customersUnit')}, ${t('col_total_%')} ${num(r[4], 1)}%`}</title>
                <polygon points={pts.map((p) => p.join(',')).join(' ')} fill={PYRAMID_FILLS[Math.min(i, PYRAMID_FILLS.length - 1)]} stroke="#5d6776" stroke-width="0.5" />
                <text x={W / 2} y={i * H + 24} text-anchor="middle" font-size="15" font-weight="600" fill="#1d2430">{level(r[0])}</text>
                <text x={W / 2} y={i * H + 44} text-anchor="middle" font-size="13" fill="#1d2430">
                  {`${num(r[1])} (${num(r[2], 1)}%) → ${num(r[4], 1)}%`}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      {pick && <CellCustomers run={s.run} pick={pick} onClose={() => setPick(null)} key={pick.value} />}
      <Table s={s} />
    </>
  );
}

function Rfm({ s }) {
  const [pick, setPick] = useDrill();
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
    grid: { left: 70, right: 110, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: [1, 2, 3, 4, 5].map((n) => `R${n}`), name: t('recencyScore'), nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'category', data: [1, 2, 3, 4, 5].map((n) => `F${n}`), name: t('frequencyScore'), nameLocation: 'middle', nameGap: 40 },
    visualMap: { min: 0, max, calculable: true, orient: 'vertical', right: 10, top: 'middle', itemHeight: 220 },
    series: [{ type: 'heatmap', data, label: { show: true, formatter: (p) => num(p.data[2]) } }],
  };
  return (
    <>
      <div class="stats"><Stat label={t('neverActive')} value={num(s.never_active)} /></div>
      <Chart test="chart" option={option} height={420}
        onPick={(p) => setPick({ filter: 'rf', value: String((p.data[0] + 1) * 10 + p.data[1] + 1), label: `R${p.data[0] + 1} F${p.data[1] + 1}` })} />
      {pick && <CellCustomers run={s.run} pick={pick} onClose={() => setPick(null)} key={pick.value} />}
      <Table s={s} />
    </>
  );
}

function GainsLosses({ s }) {
  const [pick, setPick] = useDrill();
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
      <Chart test="chart" option={option} height={300}
        onPick={(p) => setPick({ filter: 'segment', value: classes[p.dataIndex][0], label: t(`class_${classes[p.dataIndex][0]}`), show: (v) => term('class_', v) })} />
      {pick && <CellCustomers run={s.run} pick={pick} onClose={() => setPick(null)} key={pick.value} />}
    </>
  );
}

function Migration({ s }) {
  const [pick, setPick] = useDrill();
  const cols = s.table.columns.slice(1, -1);
  const before = (l) => `${level(l)} ${t('before')}`;
  const now = (l) => `${level(l)} ${t('now')}`;
  const names = new Set();
  const links = [];
  for (const r of s.table.rows)
    cols.forEach((c, i) => {
      if (r[i + 1] > 0) {
        names.add(before(r[0]));
        names.add(now(c));
        links.push({ source: before(r[0]), target: now(c), value: r[i + 1], move: `${r[0]} -> ${c}` });
      }
    });
  // a level has one colour, before and now: the flows read level to level
  const palette = ['#1f4e8c', '#3f7cc4', '#2a9d8f', '#e9c46a', '#f4a261', '#9aa5b1', '#b56576', '#6d597a'];
  const levels = [...new Set([...s.table.rows.map((r) => r[0]), ...cols])];
  const colour = (name) => palette[Math.max(0, levels.findIndex((l) => name === before(l) || name === now(l))) % palette.length];
  const option = {
    tooltip: { trigger: 'item' },
    series: [{ type: 'sankey', data: [...names].map((name) => ({ name, itemStyle: { color: colour(name) } })), links, emphasis: { focus: 'adjacency' },
      nodeAlign: 'justify', lineStyle: { color: 'gradient', opacity: 0.4 }, label: { fontSize: 12 } }],
  };
  const rules = { columns: ['group', 'outcome', 'rule', 'customers', 'confidence_%', 'lift'], rows: [] };
  for (const g of s.rules || [])
    for (const r of g.rules) rules.rows.push([g.group, g.outcome, r.if, r.customers, r['confidence_%'], r.lift]);
  return (
    <>
      <Chart test="chart" option={option} height={460} onPick={(p) => p.dataType === 'edge' && p.data.move &&
        setPick({ filter: 'segment', value: p.data.move, label: `${level(p.data.move.split(' -> ')[0])} → ${level(p.data.move.split(' -> ')[1])}`,
          show: (v) => String(v).split(' -> ').map(level).join(' → ') })} />
      {pick && <CellCustomers run={s.run} pick={pick} onClose={() => setPick(null)} key={pick.value} />}
      <Table s={s} />
      <h3>{t('migrationRules')}</h3>
      <Table s={s} table={rules} name="migration-rules" test="rules" />
    </>
  );
}

function Sizes({ s, label, filter = 'segment' }) {
  const [pick, setPick] = useDrill();
  const rows = s.table.rows;
  const option = {
    tooltip: {},
    grid: { left: 60, right: 20, top: 20, bottom: 60 },
    xAxis: { type: 'category', data: rows.map((r) => (typeof r[0] === 'number' ? `${label} ${r[0]}` : clusterName(level(r[0])))), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: t('customersUnit') },
    series: [{ type: 'bar', data: rows.map((r) => r[1]), label: { show: true, position: 'top' } }],
  };
  return (
    <>
      <Chart test="chart" option={option} height={320} onPick={filter && ((p) => {
        const v = rows[p.dataIndex][0];
        setPick({ filter, value: String(v), label: typeof v === 'number' ? `${label} ${v}` : clusterName(level(v)), show: (x) => clusterName(level(x)) });
      })} />
      {pick && <CellCustomers run={s.run} pick={pick} onClose={() => setPick(null)} key={pick.value} />}
      <Table s={s} />
    </>
  );
}

// Behaviour types and risk grades: a bar chart each, a bar's customers on a click (type=, grade=).
function Behaviour({ s }) {
  const [pick, setPick] = useDrill();
  const chart = (group, title, words) => {
    const rows = s.table.rows.filter((r) => r[0] === group && !(group === 'type' && r[1] === 'general'));
    const option = {
      title: { text: title, textStyle: { fontSize: 13 } },
      tooltip: {},
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: rows.map((r) => words(r[1])), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: t('customersUnit') },
      series: [{ type: 'bar', data: rows.map((r) => r[2]), label: { show: true, position: 'top' } }],
    };
    return <Chart test={`chart-${group}`} option={option} height={300}
      onPick={(p) => setPick({ filter: group, value: rows[p.dataIndex][1], label: words(rows[p.dataIndex][1]), show: (v) => words(v) })} />;
  };
  const typeWords = (v) => term('btype_', v);
  const gradeWords = (v) => `${v} ${term('grade_', v)}`;
  const words = (v, j) => (j === 0 ? t(`group_${v}`) : j === 1 && typeof v === 'string' ? (s.table.rows.some((r) => r[0] === 'type' && r[1] === v) ? typeWords(v) : gradeWords(v)) : num(v));
  return (
    <>
      {chart('type', t('behaviourTypesChart'), typeWords)}
      {chart('grade', t('riskGradesChart'), gradeWords)}
      {pick && <CellCustomers run={s.run} pick={pick} onClose={() => setPick(null)} key={`${pick.filter}-${pick.value}`} />}
      <DataTable name={`behaviour-run${s.run}-${s.as_of}`} columns={s.table.columns} labels={s.table.columns.map(col)} rows={s.table.rows} test="table" format={words} />
    </>
  );
}

function Plain({ s }) {
  return <Table s={s} />;
}

const VIEWS = {
  pareto: Pareto, pyramid: Pyramid, rfm: Rfm, 'gains-losses': GainsLosses, migration: Migration,
  segment: (p) => <Sizes {...p} label="" />, cluster: (p) => <Sizes {...p} label="" />,
  value: (p) => <Sizes {...p} label={t('col_decile')} filter="decile" />, clv: (p) => <Sizes {...p} label={t('col_decile')} filter={null} />, quality: Plain,
  behaviour: Behaviour,
};

export function Dashboards({ job, run = undefined }) {
  useSignal(lang);
  useSignal(roc);
  useSignal(vocabulary);
  // the analyses there are, and their titles, come from the API (the analyses' table)
  useEffect(() => { loadVocabulary().catch(() => { /* no tabs until it comes */ }); loadCharts(); }, []);
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
          <p class="headline" data-test="headline">{headline(s)}</p>
          <View s={s} key={s.run} />
        </div>
      )}
    </section>
  );
}
