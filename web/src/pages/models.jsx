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
      <DataTable name={`model-${m.name}-v${m.version}-deciles`} columns={cols} rows={rows} test="report-deciles" />
      <h3>{t('leansOn')}</h3>
      <table data-test="report-importance">
        <thead><tr><th>{t('feature')}</th><th>{t('aucDrop')}</th></tr></thead>
        <tbody>{h.importance.slice(0, 15).map((i) => <tr key={i.feature}><td>{term('feat_', i.feature)}</td><td class="num">{f4(i.auc_drop)}</td></tr>)}</tbody>
      </table>
      {rules.length > 0 && (
        <>
          <h3>{t('treeRules')}</h3>
          <ul data-test="report-rules">{rules.map((r, i) => <li key={i}><code>{r.text}</code></li>)}</ul>
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
