// The supervisor's wallboard (issue 25 item 8), #/wallboard: every queue now (waiting, the longest
// wait) and since the start of the day (offered, answered, abandoned, service level within the
// queue's target against its target level, speed of answer, handle time, abandonment, first-contact
// resolution), the alerts the thresholds raise, and every agent's state with the time in it, what they
// hold, what they handled and their occupancy; a supervisor sets an agent's state (one left on a
// screen that is gone, a break over); the outbound diallers, started, paused, resumed and stopped here.
// Read again every three seconds.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, t, term } from '../i18n.js';
import { useSignal } from '../state.js';
import { Card, DataTable } from '../ui.jsx';

const REFRESH_MS = 3000;
const pct = (x) => (x === null || x === undefined ? '' : `${(100 * x).toFixed(1)}%`);
const secs = (x) => (x === null || x === undefined ? '' : `${Math.round(x)}`);

function Failure({ error }) {
  return error ? <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p> : null;
}

function since(at, now) {
  const s = Math.max(0, Math.floor((now - Date.parse(at)) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function AgentState({ a, onChanged }) {
  const [failed, setFailed] = useState(null);
  const set = async (state) => {
    setFailed(null);
    try {
      await api('PUT', '/contact/agents/{login}/state', { params: { login: a.login },
        body: state === 'break' ? { state, reason: 'supervisor' } : { state } });
      onChanged();
    } catch (e) {
      setFailed(e);
    }
  };
  return (
    <span class="actions">
      {a.state !== 'ready' && <button type="button" class="link" data-test={`set-ready-${a.login}`} onClick={() => set('ready')}>{t('goReady')}</button>}
      {a.state !== 'offline' && <button type="button" class="link" data-test={`set-offline-${a.login}`} onClick={() => set('offline')}>{t('goOffline')}</button>}
      <Failure error={failed} />
    </span>
  );
}

const REPORT_COLS = ['offered', 'answered', 'abandoned', 'service_level', 'asa_s', 'aht_s', 'abandonment', 'peak_concurrent', 'sales', 'revenue_per_call'];
const REPORT_LABELS = ['offered', 'answered', 'abandonedN', 'serviceLevel', 'asa', 'aht', 'abandonment', 'peakConcurrent', 'salesN', 'revenuePerCall'];

/** The historical report: the call records of a period by interval, queue or agent, exported as CSV or XLSX. */
function Report() {
  /* days are the bank's, in Taipei (the server reads a day as its midnight there) */
  const day = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10);
  const [from, setFrom] = useState(day(Date.now() - 7 * 86400000));
  const [to, setTo] = useState(day(Date.now() + 86400000));
  const [by, setBy] = useState('queue');
  const [minutes, setMinutes] = useState(60);
  const [r, setR] = useState(null);
  const [error, setError] = useState(null);
  const run = async (e) => {
    e?.preventDefault();
    setError(null);
    try {
      setR(await api('GET', '/contact/report', { query: { from, to, by, interval: by === 'interval' ? minutes : undefined } }));
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => { run(); }, []);
  const pctCols = new Set([3, 6]);
  return (
    <Card title={t('centreReport')} test="centre-report">
      <form class="inline" onSubmit={run}>
        <label>{t('fromDay')} <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
        <label>{t('toDay')} <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
        <select value={by} onChange={(e) => setBy(e.currentTarget.value)} data-test="report-by" aria-label={t('reportBy')}>
          {['queue', 'agent', 'interval'].map((b) => <option key={b} value={b}>{t(`reportBy_${b}`)}</option>)}
        </select>
        {by === 'interval' && (
          <select value={minutes} onChange={(e) => setMinutes(+e.currentTarget.value)} aria-label={t('reportInterval')}>
            {[15, 30, 60, 1440].map((m) => <option key={m} value={m}>{t('minutesN', { n: m })}</option>)}
          </select>
        )}
        <button type="submit" data-test="report-run">{t('run')}</button>
      </form>
      <Failure error={error} />
      {r && (
        <DataTable name={`contact-${r.by}`} test="report-table"
          columns={[r.by, ...REPORT_COLS]} labels={[t(`reportBy_${r.by}`), ...REPORT_LABELS.map((k) => t(k))]}
          rows={r.rows.map((x) => [x[r.by], ...REPORT_COLS.map((c) => x[c])])}
          format={(v, j) => (v === null || v === undefined ? '' : j > 0 && pctCols.has(j) ? pct(v) : typeof v === 'number' ? v.toLocaleString() : v)} />
      )}
    </Card>
  );
}

const DIALLER_COLS = ['customers', 'waiting', 'dialling', 'done', 'attempts_made', 'sales', 'refusals'];
const DIALLER_LABELS = ['dlrCustomers', 'dlrWaiting', 'dlrDialling', 'dlrDone', 'dlrCalls', 'dlrSales', 'dlrRefusals'];

/** The outbound diallers: their progress, pause / resume / stop, and a new one on a campaign's cell. */
function Diallers() {
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [form, setForm] = useState({ campaign: '', cell: '', queue: '', from: '09:00', to: '21:00' });
  const load = () => api('GET', '/contact/diallers').then((r) => setList(r.diallers), setError);
  useEffect(() => {
    load();
    const id = setInterval(load, REFRESH_MS);
    return () => clearInterval(id);
  }, []);
  const steer = async (d, state) => {
    setError(null);
    try {
      await api('PUT', '/contact/diallers/{id}/state', { params: { id: d.id }, body: { state } });
      load();
    } catch (e) {
      setError(e);
    }
  };
  const start = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const r = await api('POST', '/contact/diallers', { body: { campaign: form.campaign, cell: form.cell, queue: form.queue,
        hours_from: form.from, hours_to: form.to } });
      setDone(t('dlrStarted', { id: r.dialler.id, n: r.customers }));
      load();
    } catch (err) {
      setError(err);
    }
  };
  const field = (k, label, type = 'text') => (
    <label>{t(label)} <input type={type} value={form[k]} data-test={`dialler-${k}`} required
      onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })} /></label>
  );
  return (
    <Card title={t('diallers')} test="diallers">
      <p class="hint">{t('dlrHint')}</p>
      <form class="inline" onSubmit={start} data-test="dialler-start">
        {field('campaign', 'dlrCampaign')}{field('cell', 'dlrCell')}{field('queue', 'dlrQueue')}
        <label>{t('dlrHours')} <input type="time" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} />
          {' – '}<input type="time" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} /></label>
        <button type="submit">{t('dlrStart')}</button>
      </form>
      {done && <p class="notice" role="status">{done}</p>}
      <Failure error={error} />
      {list && list.length > 0 && (
        <table data-test="diallers-table">
          <thead><tr><th>#</th><th>{t('dlrCampaign')}</th><th>{t('dlrCell')}</th><th>{t('dlrQueue')}</th><th>{t('dlrState')}</th>
            {DIALLER_LABELS.map((k) => <th key={k} class="num">{t(k)}</th>)}<th /></tr></thead>
          <tbody>{list.map((d) => (
            <tr key={d.id} data-test={`dialler-${d.id}`}>
              <td>{d.id}</td><td>{d.campaign}</td><td>{d.cell}</td><td>{d.queue}</td><td>{t(`dlrState_${d.state}`)}</td>
              {DIALLER_COLS.map((c) => <td key={c} class="num">{d[c]}</td>)}
              <td class="actions">
                {d.state === 'running' && <button type="button" class="link" onClick={() => steer(d, 'paused')}>{t('dlrPause')}</button>}
                {d.state === 'paused' && <button type="button" class="link" onClick={() => steer(d, 'running')}>{t('dlrResume')}</button>}
                {(d.state === 'running' || d.state === 'paused') && <button type="button" class="link" onClick={() => steer(d, 'stopped')}>{t('dlrStop')}</button>}
              </td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </Card>
  );
}

export function Wallboard() {
  useSignal(lang);
  const [board, setBoard] = useState(null);
  const [error, setError] = useState(null);
  const [now, setNow] = useState(Date.now());
  const load = () => api('GET', '/contact/wallboard').then((b) => { setBoard(b); setError(null); setNow(Date.now()); }, setError);
  useEffect(() => {
    load();
    const id = setInterval(load, REFRESH_MS);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => { clearInterval(id); clearInterval(tick); };
  }, []);
  if (!board) return error ? <Failure error={error} /> : <p class="notice">{t('loading')}</p>;
  const plain = (k) => k === 'longest_wait' || k === 'surge'; /* seconds or agents, not shares */
  const alertText = (a) => t(`alert_${a.kind}`, { q: a.queue, v: plain(a.kind) ? `${a.value}` : pct(a.value),
    th: plain(a.kind) ? `${a.threshold}` : pct(a.threshold) });
  return (
    <div class="wallboard" data-test="wallboard">
      <Failure error={error} />
      {board.alerts.length > 0 && (
        <ul class="alerts" role="alert" data-test="alerts">{board.alerts.map((a, i) => <li key={i}>{alertText(a)}</li>)}</ul>
      )}
      <Card title={t('wallboardQueues')} test="wallboard-queues">
        <table data-test="queues-table">
          <thead><tr><th>{t('queue')}</th><th class="num">{t('waiting')}</th><th class="num">{t('longestWait')}</th><th class="num">{t('offered')}</th>
            <th class="num">{t('answered')}</th><th class="num">{t('abandonedN')}</th><th class="num">{t('serviceLevel')}</th><th class="num">{t('asa')}</th>
            <th class="num">{t('aht')}</th><th class="num">{t('abandonment')}</th><th class="num">{t('fcr')}</th></tr></thead>
          <tbody>{board.queues.map((q) => (
            <tr key={q.code} data-test={`queue-${q.code}`}>
              <td>{q.name} <small>{q.code}</small></td><td class="num" data-test="waiting">{q.waiting}</td><td class="num">{q.longest_wait_s}</td>
              <td class="num" data-test="offered">{q.offered}</td><td class="num" data-test="answered">{q.answered}</td><td class="num">{q.abandoned}</td>
              <td class={`num ${q.service_level !== null && q.service_level < q.target_level ? 'bad' : ''}`} title={t('serviceLevelOf', { s: q.target_s, l: pct(q.target_level) })}>{pct(q.service_level)}</td>
              <td class="num">{secs(q.asa_s)}</td><td class="num">{secs(q.aht_s)}</td><td class="num">{pct(q.abandonment)}</td><td class="num">{pct(q.fcr)}</td>
            </tr>
          ))}</tbody>
        </table>
        <p class="hint">{t('wallboardSince', { since: new Date(board.since).toLocaleString(lang.get() === 'en' ? 'en-GB' : 'zh-TW') })}</p>
      </Card>
      <Card title={t('wallboardAgents')} test="wallboard-agents">
        <table data-test="agents-table">
          <thead><tr><th>{t('ccAgent')}</th><th>{t('agentStateCol')}</th><th class="num">{t('inState')}</th><th class="num">{t('openNow')}</th>
            <th class="num">{t('handled')}</th><th class="num">{t('occupancy')}</th><th /></tr></thead>
          <tbody>{board.agents.map((a) => (
            <tr key={a.login} data-test={`agent-${a.login}`}>
              <td>{a.name} <small>{a.login}</small></td>
              <td class={`state-${a.state}`}>{t(`agentState_${a.state}`)}{a.reason ? ` (${term('break_', a.reason)})` : ''}</td>
              <td class="num">{since(a.state_at, now)}</td><td class="num">{a.open}</td><td class="num">{a.handled}</td><td class="num">{pct(a.occupancy)}</td>
              <td><AgentState a={a} onChanged={load} /></td>
            </tr>
          ))}</tbody>
        </table>
      </Card>
      <Diallers />
      <Report />
    </div>
  );
}
