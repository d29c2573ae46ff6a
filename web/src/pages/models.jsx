// Predictive models (issue 23): who is worth saving by a churn model — the customers of its latest
// scoring by P(leaving) × a year's profit, named as the analyses' drill-down names them (surname and
// an initial, branch; no identifier), exported whole; and the churn-by-contribution cross table
// (seed 004): risk bands by the model's deciles against pyramid levels.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t, term } from '../i18n.js';
import { date, dateTime } from '../format.js';
import { Card, DataTable, Loading, useLoad } from '../ui.jsx';

const pct = (p) => `${(p * 100).toFixed(2)}%`;
const amount = (v) => Number(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function Cross({ cross }) {
  return (
    <table data-test="cross-table">
      <thead>
        <tr><th>{t('riskBand')}</th>{cross.levels.map((l) => <th key={l}>{term('level_', l)}</th>)}</tr>
      </thead>
      <tbody>
        {cross.rows.map((r) => (
          <tr key={r.band} data-test={`band-${r.band}`}>
            <th>{t(`risk_${r.band}`)}</th>
            {r.cells.map((c, i) => (
              <td key={i} class="num">{c.customers.toLocaleString()}<br /><small class="muted">{amount(c.expected_loss)}</small></td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AtRisk({ model }) {
  const [r, error] = useLoad(() => api('GET', '/models/{model}/at-risk', { params: { model }, query: { limit: 1000 } }), [model]);
  if (!r) return <Loading error={error} test="at-risk-loading" />;
  const cols = ['name', 'branch', 'pLeaving', 'decile', 'profit12m', 'pyramidLevel', 'expectedLoss'].map((k) => t(k));
  const rows = r.at_risk.map((c) => [c.name_zh || c.name_latin || '', c.home_branch || '', Number(c.probability.toFixed(4)), c.decile,
    c.profit, term('level_', c.level), c.expected_loss]);
  const fmt = (v, j) => (j === 2 ? pct(v) : j === 4 || j === 6 ? amount(v) : typeof v === 'number' ? v.toLocaleString() : v);
  return (
    <>
      <p data-test="at-risk-summary">
        {t('atRiskSummary', { model: `${r.model.name} v${r.model.version}`, as_of: date(r.model.as_of), n: r.customers.toLocaleString(),
          loss: amount(r.expected_loss) })}
        <small class="muted"> {t('valueAsOf', { as_of: date(r.value_as_of) })} · {t('scoredAt', { at: dateTime(r.model.scored_at) })}</small>
      </p>
      <div class="grid">
        <Card title={t('atRiskList')} test="at-risk">
          <DataTable name={`at-risk-${r.model.name}-v${r.model.version}`} columns={cols} rows={rows} test="at-risk-table" format={fmt} />
          <p class="muted">{t('atRiskMasked')}</p>
        </Card>
        <Card title={t('churnByContribution')} test="cross">
          <Cross cross={r.cross} />
          <p class="muted">{t('bandsBy')}</p>
        </Card>
      </div>
    </>
  );
}

// A curve on the unit square, with the diagonal of chance: ROC (false positive rate, true positive
// rate) and cumulative gain (share of the list, share of the positives caught).
function Curve({ points, title, x, y, test, max = 1 }) {
  const W = 280;
  const P = 34;
  const sx = (v) => P + (v / max) * (W - P - 8);
  const sy = (v) => W - P - (v / max) * (W - P - 8);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((k) => k * max);
  return (
    <figure class="chart" data-test={test} data-ready="1">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${W}`} role="img" aria-label={title} style={{ maxWidth: `${W}px`, width: '100%' }}>
        <rect x={sx(0)} y={sy(max)} width={sx(max) - sx(0)} height={sy(0) - sy(max)} fill="none" stroke="#c5ccd6" />
        {ticks.map((v) => (
          <g key={v}>
            <text x={sx(v)} y={W - P + 14} font-size="10" text-anchor="middle" fill="#5d6776">{Number(v.toFixed(2))}</text>
            <text x={P - 4} y={sy(v) + 3} font-size="10" text-anchor="end" fill="#5d6776">{Number(v.toFixed(2))}</text>
          </g>
        ))}
        <line x1={sx(0)} y1={sy(0)} x2={sx(max)} y2={sy(max)} stroke="#9aa4b1" stroke-dasharray="4 3"><title>{t('chanceLine')}</title></line>
        <polyline points={points.map(([a, b]) => `${sx(a).toFixed(1)},${sy(b).toFixed(1)}`).join(' ')} fill="none" stroke="#1f5fa8" stroke-width="2" />
        {points.length <= 12 && points.map(([a, b], i) => <circle key={i} cx={sx(a)} cy={sy(b)} r="3" fill="#1f5fa8" />)}
        <text x={(sx(0) + sx(max)) / 2} y={W - 4} font-size="11" text-anchor="middle" fill="#1d2430">{x}</text>
        <text x={10} y={(sy(0) + sy(max)) / 2} font-size="11" text-anchor="middle" fill="#1d2430"
          transform={`rotate(-90 10 ${(sy(0) + sy(max)) / 2})`}>{y}</text>
      </svg>
    </figure>
  );
}

// A split as a question in the page's language: the column's name, the operator and the value or
// levels (short: at most three, for a box); missing values noted when they go this way.
function question(s, short) {
  const lv = s.levels && short && s.levels.length > 3 ? [...s.levels.slice(0, 3), `… +${s.levels.length - 3}`] : s.levels;
  const what = s.levels ? `${s.op === 'in' ? '∈' : '∉'} {${lv.join(', ')}}` : `${s.op === '<=' ? '≤' : '>'} ${Number(s.value.toFixed(4))}`;
  return `${term('feat_', s.feature)} ${what}${s.missing ? ` ${t('orMissing')}` : ''}`;
}

// The tree drawn top down from its nodes (depth first, as the report gives them): a split asks its
// question, yes to the left; a leaf gives its rows and the rate it predicts.  Four levels are
// drawn; below them a node stands for its subtree.
function TreeDiagram({ nodes }) {
  const SHOW = 4;
  const BW = 150;
  const BH = 44;
  const GAP = 70;
  const place = [];
  let leaves = 0;
  let deepest = 0;
  const walk = (i, d) => {
    const n = nodes[i];
    deepest = Math.max(deepest, d);
    if (n.split === undefined || d >= SHOW) {
      place[i] = { x: leaves++ * (BW + 12) + BW / 2, d, end: n.split !== undefined };
      return place[i].x;
    }
    const a = walk(n.left, d + 1);
    const b = walk(n.right, d + 1);
    place[i] = { x: (a + b) / 2, d };
    return place[i].x;
  };
  walk(0, 0);
  const W = leaves * (BW + 12);
  const H = (Math.min(deepest, SHOW) + 1) * (BH + GAP);
  const y = (d) => d * (BH + GAP) + 4;
  const shown = nodes.map((n, i) => ({ n, i, p: place[i] })).filter((o) => o.p);
  return (
    <figure class="chart tree" data-test="report-tree" data-ready="1">
      <figcaption>{t('treeDiagram')}</figcaption>
      <div style={{ overflowX: 'auto' }}>
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('treeDiagram')} style={{ width: `${Math.max(W, 300)}px`, maxWidth: 'none' }}>
          {shown.filter((o) => o.n.split !== undefined && !o.p.end).map(({ n, p }) => [n.left, n.right].map((c, k) => (
            <g key={`${c}`}>
              <line x1={p.x} y1={y(p.d) + BH} x2={place[c].x} y2={y(place[c].d)} stroke="#9aa4b1" />
              <text x={(p.x + place[c].x) / 2 + (k ? 6 : -6)} y={y(p.d) + BH + GAP / 2} font-size="11" text-anchor={k ? 'start' : 'end'}
                fill="#5d6776">{k ? t('noBranch') : t('yesBranch')}</text>
            </g>
          )))}
          {shown.map(({ n, i, p }) => {
            const split = n.split !== undefined && !p.end;
            return (
              <g key={i} data-node={i}>
                <rect x={p.x - BW / 2} y={y(p.d)} width={BW} height={BH} rx="4" fill={split ? '#eef2f7' : `rgba(31,95,168,${(0.08 + 0.6 * n.p).toFixed(2)})`}
                  stroke="#9aa4b1" />
                <text x={p.x} y={y(p.d) + 17} font-size="11" text-anchor="middle" fill="#1d2430">
                  {split ? question(n.split, true) : `${(n.p * 100).toFixed(1)}%${p.end ? ' …' : ''}`}
                </text>
                <text x={p.x} y={y(p.d) + 34} font-size="10" text-anchor="middle" fill="#5d6776">
                  {`${n.rows.toLocaleString()} ${t('rowsCol')}`}
                </text>
                <title>{split ? question(n.split) : `${(n.p * 100).toFixed(2)}% · ${n.positives.toLocaleString()} / ${n.rows.toLocaleString()}`}</title>
              </g>
            );
          })}
        </svg>
      </div>
      {deepest > SHOW && <p class="muted">{t('treeDeeper', { n: deepest - SHOW })}</p>}
    </figure>
  );
}

// The model's training report: how it measured on its hold-out, gains, lift and calibration by
// decile, what it leans on, and a tree's rules.
function Report({ model }) {
  const [m, error] = useLoad(() => api('GET', '/models/{model}', { params: { model } }), [model]);
  if (!m) return <Loading error={error} test="report-loading" />;
  const h = m.report.holdout;
  const f4 = (v) => Number(v).toFixed(4);
  const cols = ['decile', 'rowsCol', 'positives', 'observedRate', 'meanScore', 'lift', 'cumGain'].map((k) => t(k));
  const rows = h.deciles.map((d) => [d.decile, d.rows, d.positives, Number(d.rate.toFixed(4)), Number(d.mean_score.toFixed(4)),
    Number(d.lift.toFixed(2)), `${(d.cum_gain * 100).toFixed(1)}%`]);
  const rules = m.report.model?.rules || [];
  return (
    <Card title={t('modelReport')} test="report">
      <p data-test="report-metrics">
        {t('holdoutMetrics', { auc: f4(h.auc), gini: f4(h.gini), ks: f4(h.ks), n: h.rows.toLocaleString(), pos: h.positives.toLocaleString() })}
        <small class="muted"> {t('keptBy', { by: m.created_by, at: dateTime(m.created_at), rows: m.rows.toLocaleString() })}</small>
      </p>
      <div class="charts">
        {h.roc && <Curve points={h.roc} title={t('rocCurve')} x={t('falsePositiveRate')} y={t('truePositiveRate')} test="report-roc" />}
        <Curve points={[[0, 0], ...h.deciles.map((d, i) => [(i + 1) / 10, d.cum_gain])]} title={t('gainsChart')} x={t('shareTaken')}
          y={t('shareCaught')} test="report-gains" />
        <Curve points={h.deciles.map((d) => [d.mean_score, d.rate])} title={t('calibrationChart')} x={t('meanScore')} y={t('observedRate')}
          test="report-calibration" max={Math.min(1, Math.max(0.1, Math.ceil(Math.max(...h.deciles.map((d) => Math.max(d.mean_score, d.rate))) * 10) / 10))} />
      </div>
      <DataTable name={`model-${m.name}-v${m.version}-deciles`} columns={cols} rows={rows} test="report-deciles" />
      <h3>{t('leansOn')}</h3>
      <table data-test="report-importance">
        <thead><tr><th>{t('feature')}</th><th>{t('aucDrop')}</th></tr></thead>
        <tbody>{h.importance.slice(0, 15).map((i) => <tr key={i.feature}><td>{term('feat_', i.feature)}</td><td class="num">{f4(i.auc_drop)}</td></tr>)}</tbody>
      </table>
      {m.report.model?.nodes && <TreeDiagram nodes={m.report.model.nodes} />}
      {rules.length > 0 && (
        <>
          <h3>{t('treeRules')}</h3>
          <ul data-test="report-rules">{rules.map((r, i) => (
            <li key={i}>{r.if.length ? r.if.map((c) => question(c)).join(t('andJoin')) : t('everyRow')}{' → '}
              <strong>{(r.p * 100).toFixed(2)}%</strong> <small class="muted">({r.rows.toLocaleString()} {t('rowsCol')})</small></li>
          ))}</ul>
        </>
      )}
    </Card>
  );
}

export function Models() {
  const [list, error] = useLoad(() => api('GET', '/models'), []);
  const [chosen, setChosen] = useState(null);
  if (!list) return <Loading error={error} />;
  const churn = list.models.filter((m) => m.runs > 0);
  if (churn.length === 0) return <p class="none" data-test="no-models">{t('noModelsScored')}</p>;
  const model = chosen || `${churn[0].name}:${churn[0].version}`;
  return (
    <section>
      <h2>{t('whoToSave')}</h2>
      <label>{t('model')}{' '}
        <select data-test="model-picker" value={model} onChange={(e) => setChosen(e.currentTarget.value)}>
          {churn.map((m) => (
            <option key={m.id} value={`${m.name}:${m.version}`}>{m.name} v{m.version} · {term('target_', m.target)} · AUC {m.auc.toFixed(3)}</option>
          ))}
        </select>
      </label>
      <Report model={model} key={`r-${model}`} />
      <AtRisk model={model} key={model} />
    </section>
  );
}
