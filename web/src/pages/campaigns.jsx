// The campaign designer and its results (issue 24 item 11).  #/campaigns lists the campaigns, designed
// and loaded, and starts a draft; #/campaigns/CODE is one campaign: its selection rule with a live
// count as it is typed (POST /selection-count), its cells (an offer on a channel, champion and
// challenger), the waterfall of eligibility and suppression counted (POST /campaigns/{code}/count),
// the selection written, the lifecycle's steps each person may take (four eyes is the server's), and,
// once it runs, its results: treated against control, uplift with its interval and p-value, ROI, by
// cell, channel and segment, and day by day.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { Chart } from '../chart.jsx';
import { errorText, lang, roc, t } from '../i18n.js';
import { date, dateTime } from '../format.js';
import { useSignal } from '../state.js';
import { Card, useLoad } from '../ui.jsx';
import { CarryOut, Failure, Optimise } from './execution.jsx';

const can = (me, perm) => !!me && me.permissions.includes(perm);
const PURPOSES = ['marketing', 'cross_group', 'service'];
const CHANNELS = ['direct_mail', 'email', 'sms', 'outbound_call', 'branch_lead', 'banner'];
const stepName = (a) => { const k = `campaignStep_${a}`, s = t(k); return s === k ? a : s; };
const pct = (x, d = 1) => (x === null || x === undefined ? '' : `${(100 * x).toFixed(d)}%`);
const num = (x) => (x === null || x === undefined ? '' : Number(x).toLocaleString(lang.get() === 'en' ? 'en-US' : 'zh-TW'));



export function Campaigns({ me }) {
  useSignal(lang);
  useSignal(roc);
  const [list, error, reload] = useLoad(() => api('GET', '/campaigns'), []);
  const [form, setForm] = useState({ code: '', name: '', objective: '', purpose: 'marketing', control_pct: '10' });
  const [failed, setFailed] = useState(null);
  const create = async (e) => {
    e.preventDefault();
    setFailed(null);
    try {
      const body = { code: form.code, name: form.name, objective: form.objective, purpose: form.purpose };
      if (form.control_pct !== '') body.control_pct = Number(form.control_pct);
      await api('POST', '/campaigns', { body });
      location.hash = `#/campaigns/${encodeURIComponent(form.code)}`;
    } catch (x) {
      setFailed(x);
    }
  };
  const field = (k) => ({ value: form[k], onInput: (e) => setForm({ ...form, [k]: e.currentTarget.value }) });
  return (
    <div class="campaigns" data-test="campaigns">
      <Card title={t('campaigns')} actions={<button type="button" class="link" onClick={reload}>{t('refresh')}</button>}>
        <Failure error={error} />
        {list && (
          <table data-test="campaigns-table">
            <thead><tr><th>{t('campaignCode')}</th><th>{t('campaignName')}</th><th>{t('status')}</th><th>{t('campaignDates')}</th><th>{t('campaignOwner')}</th></tr></thead>
            <tbody>
              {list.campaigns.map((c) => (
                <tr key={c.code}>
                  <td><a href={`#/campaigns/${encodeURIComponent(c.code)}`}>{c.code}</a></td>
                  <td>{c.name}</td>
                  <td>{t(`campaignStatus_${c.status}`)}</td>
                  <td class="num">{date(c.start_date)}{c.end_date ? ` – ${date(c.end_date)}` : ''}</td>
                  <td>{c.owner || ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={t('campaignNew')} test="campaign-new">
        <form class="form" onSubmit={create}>
          <label>{t('campaignCode')}<input name="code" required maxLength={32} {...field('code')} /></label>
          <label>{t('campaignName')}<input name="name" required maxLength={200} {...field('name')} /></label>
          <label>{t('campaignObjective')}<input name="objective" required maxLength={500} {...field('objective')} /></label>
          <label>{t('campaignPurpose')}
            <select name="purpose" {...field('purpose')}>{PURPOSES.map((p) => <option key={p} value={p}>{t(`purpose_${p}`)}</option>)}</select>
          </label>
          <label>{t('campaignControl')}<input name="control_pct" type="number" min="0" max="99" step="0.1" {...field('control_pct')} /></label>
          <button type="submit" data-test="campaign-create">{t('campaignCreate')}</button>
          <Failure error={failed} />
        </form>
      </Card>
    </div>
  );
}

/** A rule's error with its position ("rule:1:15: unknown attribute ..."), said in the user's language. */
function ruleError(e) {
  const m = /^rule:(\d+):(\d+): (.*)$/s.exec(e.message || '');
  return m ? t('ruleError', { line: m[1], col: m[2], msg: m[3] }) : t('error', { msg: errorText(e) });
}

/** The rule with its live count: counted as it is typed (a pause of 400 ms), an error with its position. */
function RuleEditor({ code, rule, editable, onSaved }) {
  const [text, setText] = useState(rule || '');
  const [count, setCount] = useState(null);
  const [error, setError] = useState(null);
  const timer = useRef(0);
  useEffect(() => {
    clearTimeout(timer.current);
    if (!text.trim()) { setCount(null); setError(null); return undefined; }
    timer.current = window.setTimeout(() => {
      api('POST', '/selection-count', { body: { rule: text } }).then((r) => { setCount(r); setError(null); }, (e) => { setCount(null); setError(e); });
    }, 400);
    return () => clearTimeout(timer.current);
  }, [text]);
  const save = async () => {
    try {
      await api('PATCH', '/campaigns/{code}', { params: { code }, body: { rule: text } });
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="rule" data-test="rule">
      <textarea rows={3} value={text} readOnly={!editable} aria-label={t('campaignRule')} data-test="rule-text"
        onInput={(e) => setText(e.currentTarget.value)} />
      {count && <p data-test="rule-count">{t('ruleCount', { n: num(count.matching), of: num(count.customers) })}</p>}
      {error && <p class="error" role="alert">{ruleError(error)}</p>}
      {editable && <button type="button" data-test="rule-save" onClick={save}>{t('campaignRuleSave')}</button>}
    </div>
  );
}

function CellForm({ code, onSaved }) {
  const [offers] = useLoad(() => api('GET', '/offers'), []);
  const [form, setForm] = useState({ cell: 'A', offer: '', channel: 'email', share: '1', cap: '' });
  const [error, setError] = useState(null);
  const field = (k) => ({ value: form[k], onInput: (e) => setForm({ ...form, [k]: e.currentTarget.value }) });
  const save = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const body = { offer: form.offer || offers?.offers[0]?.code, channel: /** @type {any} */ (form.channel), share: Number(form.share || 1) };
      if (form.cap) body.cap = Number(form.cap);
      await api('PUT', '/campaigns/{code}/cells/{cell}', { params: { code, cell: form.cell }, body });
      onSaved();
    } catch (x) {
      setError(x);
    }
  };
  return (
    <form class="form inline" onSubmit={save} data-test="cell-form">
      <label>{t('cell')}<input required maxLength={32} size={4} {...field('cell')} /></label>
      <label>{t('offer')}<select value={form.offer || offers?.offers[0]?.code || ''} onInput={(e) => setForm({ ...form, offer: e.currentTarget.value })}>{(offers?.offers || []).map((o) => <option key={o.code} value={o.code}>{o.name}</option>)}</select></label>
      <label>{t('channel')}<select {...field('channel')}>{CHANNELS.map((c) => <option key={c} value={c}>{t(`channel_${c}`)}</option>)}</select></label>
      <label>{t('cellShare')}<input type="number" min="0.01" step="0.01" size={4} {...field('share')} /></label>
      <label>{t('cellCap')}<input type="number" min="0" size={6} {...field('cap')} /></label>
      <button type="submit" data-test="cell-save">{t('cellSave')}</button>
      <Failure error={error} />
    </form>
  );
}

/** A campaign's waves: each a day its contacts go out from and a share of the targets; a draft's are designed. */
function Waves({ c, editable, onSaved }) {
  const waves = c.waves || [];
  const byWave = Object.fromEntries((c.targets?.by_wave || []).map((w) => [w.wave, w]));
  const next = Math.min(12, waves.reduce((m, w) => Math.max(m, w.wave), 0) + 1);
  const [form, setForm] = useState({ wave: String(next), starts_on: '', ends_on: '', share: '1' });
  const [error, setError] = useState(null);
  const field = (k) => ({ value: form[k], onInput: (e) => setForm({ ...form, [k]: e.currentTarget.value }) });
  const save = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const body = { starts_on: form.starts_on, share: Number(form.share || 1) };
      if (form.ends_on) body.ends_on = form.ends_on;
      await api('PUT', '/campaigns/{code}/waves/{wave}', { params: { code: c.code, wave: form.wave }, body });
      onSaved();
    } catch (x) {
      setError(x);
    }
  };
  const remove = async (wave) => {
    setError(null);
    try {
      await api('DELETE', '/campaigns/{code}/waves/{wave}', { params: { code: c.code, wave } });
      onSaved();
    } catch (x) {
      setError(x);
    }
  };
  if (!waves.length && !editable) return null;
  return (
    <Card title={t('waves')} test="campaign-waves">
      {waves.length === 0 ? <p class="none">{t('wavesNone')}</p> : (
        <table data-test="waves-table">
          <thead><tr><th>{t('wave')}</th><th>{t('waveStarts')}</th><th>{t('waveEnds')}</th><th class="num">{t('cellShare')}</th><th class="num">{t('treated')}</th><th class="num">{t('controlGroup')}</th>{editable && <th />}</tr></thead>
          <tbody>{waves.map((w) => (
            <tr key={w.wave}><td>{w.wave}</td><td>{date(w.starts_on)}</td><td>{w.ends_on ? date(w.ends_on) : ''}</td><td class="num">{w.share}</td>
              <td class="num">{num(byWave[w.wave]?.treatment)}</td><td class="num">{num(byWave[w.wave]?.control)}</td>
              {editable && <td><button type="button" class="link" data-test={`wave-remove-${w.wave}`} onClick={() => remove(w.wave)}>{t('waveRemove')}</button></td>}</tr>
          ))}</tbody>
        </table>
      )}
      {editable && (
        <form class="form inline" onSubmit={save} data-test="wave-form">
          <label>{t('wave')}<input type="number" min="1" max="12" required size={3} {...field('wave')} /></label>
          <label>{t('waveStarts')}<input type="date" required data-test="wave-starts" {...field('starts_on')} /></label>
          <label>{t('waveEnds')}<input type="date" {...field('ends_on')} /></label>
          <label>{t('cellShare')}<input type="number" min="0.01" step="0.01" size={4} {...field('share')} /></label>
          <button type="submit" data-test="wave-save">{t('waveSave')}</button>
        </form>
      )}
      <Failure error={error} />
    </Card>
  );
}

function Waterfall({ count }) {
  if (!count) return null;
  return (
    <table data-test="waterfall">
      <thead><tr><th>{t('waterfallStep')}</th><th class="num">{t('waterfallRemoved')}</th><th class="num">{t('waterfallRemaining')}</th></tr></thead>
      <tbody>
        {count.waterfall.map((w) => (
          <tr key={w.name}><td>{t(`step_${w.name}`)}{w.skipped ? ` (${t('skipped')})` : ''}</td><td class="num">{num(w.removed)}</td><td class="num">{num(w.remaining)}</td></tr>
        ))}
        <tr class="total"><td>{t('step_treated')}</td><td /><td class="num" data-test="treated">{num(count.treated)}</td></tr>
      </tbody>
    </table>
  );
}

const STEPS = {
  draft: [['submit', 'campaigns'], ['cancel', 'campaigns']],
  submitted: [['approve', 'approve'], ['reject', 'approve'], ['cancel', 'campaigns']],
  approved: [['launch', 'approve'], ['cancel', 'campaigns']],
  running: [['pause', 'approve'], ['close', 'approve']],
  paused: [['resume', 'approve'], ['close', 'approve']],
};

/** A step of the lifecycle, each its own route. */
function stepCall(step, code, body) {
  const a = { params: { code }, body };
  switch (step) {
    case 'submit': return api('POST', '/campaigns/{code}/submit', a);
    case 'cancel': return api('POST', '/campaigns/{code}/cancel', a);
    case 'approve': return api('POST', '/campaigns/{code}/approve', a);
    case 'reject': return api('POST', '/campaigns/{code}/reject', a);
    case 'launch': return api('POST', '/campaigns/{code}/launch', a);
    case 'pause': return api('POST', '/campaigns/{code}/pause', a);
    case 'resume': return api('POST', '/campaigns/{code}/resume', a);
    default: return api('POST', '/campaigns/{code}/close', a);
  }
}

function Steps({ c, me, onDone }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const steps = (STEPS[c.status] || []).filter(([, p]) => can(me, p));
  if (!steps.length) return null;
  const act = async (step) => {
    setError(null);
    try {
      await stepCall(step, c.code, note ? { note } : {});
      setNote('');
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="steps" data-test="steps">
      <input type="text" value={note} placeholder={t('stepNote')} aria-label={t('stepNote')} onInput={(e) => setNote(e.currentTarget.value)} />
      {steps.map(([s]) => <button key={s} type="button" data-test={`step-${s}`} onClick={() => act(s)}>{t(`campaignStep_${s}`)}</button>)}
      <Failure error={error} />
    </div>
  );
}

function Results({ code }) {
  const [r, error] = useLoad(() => api('GET', '/campaigns/{code}/results', { params: { code } }), [code]);
  if (error) return <Failure error={error} />;
  if (!r) return <p class="notice">{t('loading')}</p>;
  const o = r.overall;
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { data: [t('treatedRate'), t('controlRate')] },
    xAxis: { type: 'category', data: r.daily.map((d) => d.day) },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => `${(100 * v).toFixed(1)}%` } },
    series: [
      { name: t('treatedRate'), type: 'line', data: r.daily.map((d) => d.response_rate) },
      { name: t('controlRate'), type: 'line', data: r.daily.map((d) => d.control_rate) },
    ],
  };
  const rows = [o, ...r.groups];
  return (
    <div data-test="results">
      <p data-test="results-headline">
        {o.p_value === null || o.p_value === undefined ? t('resultsNoControl')
          : t('resultsHeadline', { treated: pct(o.response_rate, 2), control: pct(o.control_rate, 2), uplift: (100 * o.uplift).toFixed(2),
            low: (100 * o.ci95[0]).toFixed(2), high: (100 * o.ci95[1]).toFixed(2), p: o.p_value.toFixed(4),
            sig: t(o.significant ? 'significant' : 'notSignificant') })}
        {o.roi !== null && o.roi !== undefined && ` ${t('resultsRoi', { roi: pct(o.roi, 0) })}`}
      </p>
      <table data-test="results-table">
        <thead><tr><th>{t('resultsLevel')}</th><th /><th class="num">{t('treated')}</th><th class="num">{t('responders')}</th><th class="num">{t('treatedRate')}</th>
          <th class="num">{t('controlRate')}</th><th class="num">{t('uplift')}</th><th class="num">{t('lift')}</th><th class="num">p</th></tr></thead>
        <tbody>
          {rows.map((g) => (
            <tr key={`${g.level}/${g.key}`}>
              <td>{t(`resultLevel_${g.level}`)}</td><td>{g.key}</td><td class="num">{num(g.treated)}</td><td class="num">{num(g.responders)}</td>
              <td class="num">{pct(g.response_rate, 2)}</td><td class="num">{pct(g.control_rate, 2)}</td>
              <td class="num">{g.uplift === null ? '' : (100 * g.uplift).toFixed(2)}</td><td class="num">{g.lift === null ? '' : Number(g.lift).toFixed(2)}</td>
              <td class="num">{g.p_value === null || g.p_value === undefined ? '' : g.p_value.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.daily.length > 1 && <Chart test="results-chart" option={option} height={280} />}
    </div>
  );
}

export function Campaign({ code, me }) {
  useSignal(lang);
  useSignal(roc);
  const [c, error, reload] = useLoad(() => api('GET', '/campaigns/{code}', { params: { code } }), [code]);
  const [count, setCount] = useState(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(null);
  if (error) return <Failure error={error} />;
  if (!c) return <p class="notice">{t('loading')}</p>;
  const draft = c.status === 'draft' && can(me, 'campaigns');
  const run = async (what) => {
    setBusy(true);
    setFailed(null);
    try {
      setCount(what === 'count' ? await api('POST', '/campaigns/{code}/count', { params: { code }, body: {} })
        : await api('POST', '/campaigns/{code}/select', { params: { code }, body: {} }));
      if (what === 'select') reload();
    } catch (e) {
      setFailed(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="campaign" data-test="campaign">
      <Card title={`${c.code} ${c.name}`} test="campaign-head">
        <dl class="facts">
          <dt>{t('status')}</dt><dd data-test="campaign-status">{t(`campaignStatus_${c.status}`)}</dd>
          <dt>{t('campaignObjective')}</dt><dd>{c.objective}</dd>
          <dt>{t('campaignPurpose')}</dt><dd>{c.purpose ? t(`purpose_${c.purpose}`) : ''}</dd>
          <dt>{t('campaignControl')}</dt><dd>{c.control_pct === null || c.control_pct === undefined ? '' : `${c.control_pct}%`}</dd>
          <dt>{t('campaignTargets')}</dt><dd>{c.targets ? `${num(c.targets.treatment)} / ${num(c.targets.control)}` : ''}</dd>
        </dl>
        <Steps c={c} me={me} onDone={reload} />
      </Card>
      {c.status !== 'loaded' && (
        <Card title={t('campaignRule')} test="campaign-rule">
          <RuleEditor code={code} rule={c.rule} editable={draft} onSaved={reload} />
        </Card>
      )}
      {c.status !== 'loaded' && (
        <Card title={t('cells')} test="campaign-cells">
          {(c.cells || []).length === 0 ? <p class="none">{t('cellsNone')}</p> : (
            <table data-test="cells-table">
              <thead><tr><th>{t('cell')}</th><th>{t('offer')}</th><th>{t('channel')}</th><th class="num">{t('cellShare')}</th><th class="num">{t('cellCap')}</th></tr></thead>
              <tbody>{c.cells.map((x) => (
                <tr key={x.cell}><td>{x.cell}</td><td>{x.offer}</td><td>{t(`channel_${x.channel}`)}</td><td class="num">{x.share}</td><td class="num">{x.cap || ''}</td></tr>
              ))}</tbody>
            </table>
          )}
          {draft && <CellForm code={code} onSaved={reload} />}
        </Card>
      )}
      {c.status !== 'loaded' && <Waves c={c} editable={draft} onSaved={reload} key={(c.waves || []).length} />}
      {c.status !== 'loaded' && (
        <Card title={t('waterfall')} test="campaign-waterfall">
          <button type="button" disabled={busy} data-test="count" onClick={() => run('count')}>{t('countNow')}</button>
          {draft && <button type="button" disabled={busy} data-test="select" onClick={() => run('select')}>{t('selectNow')}</button>}
          <Failure error={failed} />
          <Waterfall count={count || (c.waterfall && c.waterfall.length ? { waterfall: c.waterfall, control: c.targets?.control, treated: c.targets?.treatment } : null)} />
        </Card>
      )}
      {draft && (c.cells || []).length > 0 && c.targets?.treatment > 0 && <Optimise c={c} onApplied={reload} />}
      {['approved', 'running', 'paused'].includes(c.status) && <CarryOut c={c} me={me} />}
      {['running', 'paused', 'closed', 'loaded'].includes(c.status) && (
        <Card title={t('results')} test="campaign-results"><Results code={code} /></Card>
      )}
      <Card title={t('history')} test="campaign-history">
        <ul class="history">{(c.history || []).map((h, i) => <li key={i}>{dateTime(h.at)} {h.by} {stepName(h.action)} {h.detail || ''}</li>)}</ul>
      </Card>
    </div>
  );
}
