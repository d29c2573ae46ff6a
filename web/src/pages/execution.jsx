// A campaign carried out (issue 24 items 5, 6 and 11), two cards of the campaign's page.  Optimise (a
// draft): each cell's scores from a kept model or a CSV file, the level, the budget, each cell's minimum
// and maximum, each channel's capacity (else the channel's daily capacity times the campaign's days);
// the plan shown with its gap and the binding constraints' shadow prices, then applied.  Carry out (an
// approved or running campaign): a cell's or channel's list downloaded for the vendor (permission
// export_lists, with a reason: audited), the e-mail cell sent batch by batch with its progress, the
// outbound cell given to agents.
import { useState } from 'preact/hooks';
import { api, download } from '../api.js';
import { errorText, lang, t } from '../i18n.js';
import { useSignal } from '../state.js';
import { Card, useLoad } from '../ui.jsx';

const can = (me, perm) => !!me && me.permissions.includes(perm);
const num = (x) => (x === null || x === undefined ? '' : Number(x).toLocaleString(lang.get() === 'en' ? 'en-US' : 'zh-TW'));
const money = (x) => (x === null || x === undefined ? '' : Number(x).toLocaleString(lang.get() === 'en' ? 'en-US' : 'zh-TW', { maximumFractionDigits: 2 }));

/** A campaign step refused, said by why: the campaign's status, constraints that conflict, else the error's kind. */
export function explain(e) {
  const msg = e.message || '';
  const st = /^campaign \S+ is (draft|submitted|approved|running|paused|closed|cancelled|loaded)\b/.exec(msg);
  if ((e.status === 403 || e.status === 404) && st) return t('refusedStatus', { status: t(`campaignStatus_${st[1]}`) });
  if (/constraint/.test(msg) && /conflict/.test(msg)) return t('planConflict', { names: (msg.match(/'[^']+'/g) || []).join('、') });
  if (/paused/.test(msg) && e.status === 403) return t('refusedPaused');
  return t('error', { msg: errorText(e) });
}

export function Failure({ error }) {
  return error ? <p class="error" role="alert">{explain(error)}</p> : null;
}

/** The plan the optimiser gave: objective, bound and gap, per cell, the binding constraints. */
function Plan({ plan }) {
  return (
    <div data-test="plan">
      <p data-test="plan-headline">{t('planHeadline', { assigned: num(plan.assigned), customers: num(plan.customers), objective: money(plan.objective),
        bound: money(plan.bound), gap: (100 * plan.gap).toFixed(3), cost: money(plan.cost), method: plan.method })}
        {plan.applied ? ` ${t('planApplied')}` : ''}</p>
      <table data-test="plan-table">
        <thead><tr><th>{t('cell')}</th><th>{t('offer')}</th><th>{t('channel')}</th><th class="num">{t('customers')}</th><th class="num">{t('cost')}</th><th class="num">{t('expectedValue')}</th></tr></thead>
        <tbody>{plan.by_cell.map((c) => (
          <tr key={c.cell}><td>{c.cell}</td><td>{c.offer}</td><td>{t(`channel_${c.channel}`)}</td><td class="num">{num(c.customers)}</td><td class="num">{money(c.cost)}</td><td class="num">{money(c.expected_value)}</td></tr>
        ))}</tbody>
      </table>
      {(plan.binding || []).length > 0 && (
        <ul data-test="plan-binding">{plan.binding.map((b) => (
          <li key={b.constraint}>{t('planBinding', { constraint: b.constraint, price: Number(b.shadow_price).toFixed(4), used: money(b.used), limit: money(b.limit) })}</li>
        ))}</ul>
      )}
      {Object.entries(plan.capacity_from_table || {}).map(([ch, v]) => (
        <p key={ch} class="note">{t('planCapacity', { channel: t(`channel_${ch}`), perDay: num(v.per_day), days: num(v.days), contacts: num(v.contacts) })}</p>
      ))}
    </div>
  );
}

/** A draft's treated given their cells by the offer optimiser. */
export function Optimise({ c, onApplied }) {
  useSignal(lang);
  const [models, modelsError] = useLoad(() => api('GET', '/models'), []);
  const cells = c.cells || [];
  const channels = [...new Set(cells.map((x) => x.channel))];
  const [form, setForm] = useState({ level: '4', budget: '', method: 'auto' });
  const [per, setPer] = useState(/** @type {Record<string, {model?: string, min?: string, max?: string}>} */ ({}));
  const [caps, setCaps] = useState(/** @type {Record<string, string>} */ ({}));
  const [scores, setScores] = useState(/** @type {string|null} */ (null));
  const [plan, setPlan] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const scored = (models?.models || []).filter((m) => m.runs > 0);
  const setCell = (cell, k, v) => setPer({ ...per, [cell]: { ...per[cell], [k]: v } });
  const run = async (apply) => {
    setBusy(true);
    setError(null);
    try {
      const body = { level: Number(form.level), method: /** @type {any} */ (form.method), apply };
      if (form.budget) body.budget = Number(form.budget);
      const pick = (k) => Object.fromEntries(cells.filter((x) => per[x.cell]?.[k]).map((x) => [x.cell, k === 'model' ? per[x.cell][k] : Number(per[x.cell][k])]));
      const m = pick('model'), mins = pick('min'), maxes = pick('max');
      if (Object.keys(m).length) body.models = m;
      if (Object.keys(mins).length) body.min = mins;
      if (Object.keys(maxes).length) body.max = maxes;
      const cp = Object.fromEntries(Object.entries(caps).filter(([, v]) => v !== '').map(([k, v]) => [k, Number(v)]));
      if (Object.keys(cp).length) body.capacity = cp;
      if (scores) body.scores = scores;
      const p = await api('POST', '/campaigns/{code}/optimise', { params: { code: c.code }, body });
      setPlan(p);
      if (apply) onApplied();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const readFile = async (e) => {
    const f = e.currentTarget.files?.[0];
    setScores(f ? await f.text() : null);
  };
  return (
    <Card title={t('optimise')} test="campaign-optimise">
      <p class="note">{t('optimiseHelp')}</p>
      <Failure error={modelsError} />
      <div class="form inline">
        <label>{t('optimiseLevel')}<select value={form.level} data-test="opt-level" onInput={(e) => setForm({ ...form, level: e.currentTarget.value })}>
          {['1', '2', '3', '4'].map((l) => <option key={l} value={l}>{t(`optimiseLevel_${l}`)}</option>)}</select></label>
        <label>{t('budget')}<input type="number" min="0" step="1" size={8} value={form.budget} data-test="opt-budget" onInput={(e) => setForm({ ...form, budget: e.currentTarget.value })} /></label>
        <label>{t('optimiseMethod')}<select value={form.method} onInput={(e) => setForm({ ...form, method: e.currentTarget.value })}>
          {['auto', 'exact', 'lagrange', 'greedy'].map((m) => <option key={m} value={m}>{t(`optimiseMethod_${m}`)}</option>)}</select></label>
      </div>
      <table data-test="opt-cells">
        <thead><tr><th>{t('cell')}</th><th>{t('offer')}</th><th>{t('optimiseModel')}</th><th>{t('optimiseMin')}</th><th>{t('optimiseMax')}</th></tr></thead>
        <tbody>{cells.map((x) => (
          <tr key={x.cell}>
            <td>{x.cell}</td><td>{x.offer}</td>
            <td><select aria-label={`${t('optimiseModel')} ${x.cell}`} data-test={`opt-model-${x.cell}`} value={per[x.cell]?.model || ''} onInput={(e) => setCell(x.cell, 'model', e.currentTarget.value)}>
              <option value="">{t('optimiseFromFile')}</option>
              {scored.map((m) => <option key={m.name} value={m.name}>{m.name}</option>)}</select></td>
            <td><input type="number" min="0" size={6} aria-label={`${t('optimiseMin')} ${x.cell}`} value={per[x.cell]?.min || ''} onInput={(e) => setCell(x.cell, 'min', e.currentTarget.value)} /></td>
            <td><input type="number" min="0" size={6} aria-label={`${t('optimiseMax')} ${x.cell}`} value={per[x.cell]?.max || ''} onInput={(e) => setCell(x.cell, 'max', e.currentTarget.value)} /></td>
          </tr>
        ))}</tbody>
      </table>
      <div class="form inline">
        {channels.map((ch) => (
          <label key={ch}>{t('optimiseCapacity', { channel: t(`channel_${ch}`) })}<input type="number" min="0" size={6} placeholder={t('optimiseCapacityTable')} value={caps[ch] || ''} onInput={(e) => setCaps({ ...caps, [ch]: e.currentTarget.value })} /></label>
        ))}
        <label>{t('optimiseScores')}<input type="file" accept=".csv,text/csv" data-test="opt-scores" onChange={readFile} /></label>
      </div>
      <button type="button" disabled={busy} data-test="opt-plan" onClick={() => run(false)}>{t('optimisePlan')}</button>
      <button type="button" disabled={busy || !plan} data-test="opt-apply" onClick={() => run(true)}>{t('optimiseApply')}</button>
      <Failure error={error} />
      {plan && <Plan plan={plan} />}
    </Card>
  );
}

/** The list for a vendor downloaded, with a reason. */
function Export({ c }) {
  const cells = c.cells || [];
  const [form, setForm] = useState({ what: cells[0] ? `cell:${cells[0].cell}` : '', format: 'csv', reason: '' });
  const [done, setDone] = useState(null);
  const [error, setError] = useState(null);
  const go = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const [kind, v] = form.what.split(':');
    const body = { format: /** @type {any} */ (form.format), reason: form.reason, ...(kind === 'cell' ? { cell: v } : { channel: v }) };
    try {
      setDone(await download('POST', '/campaigns/{code}/export', { params: { code: c.code }, body }));
    } catch (x) {
      setError(x);
    }
  };
  const channels = [...new Set(cells.map((x) => x.channel))];
  return (
    <form class="form inline" onSubmit={go} data-test="export-form">
      <label>{t('exportWhat')}<select value={form.what} onInput={(e) => setForm({ ...form, what: e.currentTarget.value })}>
        {cells.map((x) => <option key={x.cell} value={`cell:${x.cell}`}>{t('cell')} {x.cell} ({t(`channel_${x.channel}`)})</option>)}
        {channels.map((ch) => <option key={ch} value={`channel:${ch}`}>{t(`channel_${ch}`)}</option>)}</select></label>
      <label>{t('exportFormat')}<select value={form.format} onInput={(e) => setForm({ ...form, format: e.currentTarget.value })}>
        <option value="csv">CSV</option><option value="xlsx">{t('formatXlsx')}</option></select></label>
      <label>{t('reason')}<input required minLength={5} maxLength={200} value={form.reason} data-test="export-reason" onInput={(e) => setForm({ ...form, reason: e.currentTarget.value })} /></label>
      <button type="submit" data-test="export-go">{t('exportGo')}</button>
      {done && <span data-test="export-done">{t('exportDone', { name: done })}</span>}
      <Failure error={error} />
    </form>
  );
}

/** The e-mail or sms cell sent batch by batch until nothing is left, with its progress. */
function Send({ c }) {
  const cells = (c.cells || []).filter((x) => x.channel === 'email' || x.channel === 'sms');
  const [cell, setCell] = useState(cells[0]?.cell || '');
  const [progress, setProgress] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (!cells.length) return null;
  const go = async () => {
    setBusy(true);
    setError(null);
    let sent = 0, failed = 0;
    try {
      for (;;) {
        const r = await api('POST', '/campaigns/{code}/send', { params: { code: c.code }, body: { cell, limit: 200 } });
        sent += r.sent;
        failed += r.failed;
        const left = r.not_sent.left_for_later || 0;
        setProgress({ sent, failed, left, already: r.not_sent.already_sent || 0, later: /** @type {any} */ (r.not_sent).wave_not_started || 0 });
        if (!left || !r.sent) break;
      }
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="form inline" data-test="send-form">
      <label>{t('sendCell')}<select value={cell} onInput={(e) => setCell(e.currentTarget.value)}>{cells.map((x) => <option key={x.cell} value={x.cell}>{x.cell} ({t(`channel_${x.channel}`)})</option>)}</select></label>
      <button type="button" disabled={busy} data-test="send-go" onClick={go}>{t('sendGo')}</button>
      {progress && <span data-test="send-progress">{t('sendProgress', { sent: num(progress.sent), failed: num(progress.failed), left: num(progress.left), already: num(progress.already) })}
        {progress.later > 0 && ` ${t('sendLaterWaves', { n: num(progress.later) })}`}</span>}
      <Failure error={error} />
    </div>
  );
}

/** The outbound cell given to agents as a calling list. */
function Dial({ c }) {
  const cells = (c.cells || []).filter((x) => x.channel === 'outbound_call');
  const [form, setForm] = useState({ cell: cells[0]?.cell || '', agents: '' });
  const [done, setDone] = useState(null);
  const [error, setError] = useState(null);
  if (!cells.length) return null;
  const go = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const agents = form.agents.split(/[\s,]+/).filter(Boolean);
      setDone(await api('POST', '/campaigns/{code}/dial', { params: { code: c.code }, body: { cell: form.cell, agents } }));
    } catch (x) {
      setError(x);
    }
  };
  return (
    <form class="form inline" onSubmit={go} data-test="dial-form">
      <label>{t('dialCell')}<select value={form.cell} onInput={(e) => setForm({ ...form, cell: e.currentTarget.value })}>{cells.map((x) => <option key={x.cell} value={x.cell}>{x.cell}</option>)}</select></label>
      <label>{t('dialAgents')}<input required value={form.agents} data-test="dial-agents" placeholder="tsr1, tsr2" onInput={(e) => setForm({ ...form, agents: e.currentTarget.value })} /></label>
      <button type="submit" data-test="dial-go">{t('dialGo')}</button>
      {done && <span data-test="dial-done">{t('dialDone', { n: num(done.customers), list: done.list })}</span>}
      <Failure error={error} />
    </form>
  );
}

/** What each person may do to carry an approved or running campaign out. */
export function CarryOut({ c, me }) {
  useSignal(lang);
  const running = ['running', 'paused'].includes(c.status);
  const parts = [
    can(me, 'export_lists') && <Export c={c} key="export" />,
    running && c.status === 'running' && can(me, 'approve') && <Send c={c} key="send" />,
    c.status === 'running' && can(me, 'lists') && <Dial c={c} key="dial" />,
  ].filter(Boolean);
  if (!parts.length) return null;
  return <Card title={t('carryOut')} test="campaign-carry-out">{parts}</Card>;
}
