// The supervisor's wallboard (issue 25 item 8), #/wallboard: every queue now (waiting, the longest
// wait) and since the start of the day (offered, answered, abandoned, service level within the
// queue's target against its target level, speed of answer, handle time, abandonment, first-contact
// resolution), the alerts the thresholds raise, and every agent's state with the time in it, what they
// hold, what they handled and their occupancy; a supervisor sets an agent's state (one left on a
// screen that is gone, a break over).  Read again every three seconds.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, t, term } from '../i18n.js';
import { useSignal } from '../state.js';
import { Card } from '../ui.jsx';

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
  const alertText = (a) => t(`alert_${a.kind}`, { q: a.queue, v: a.kind === 'longest_wait' ? `${a.value}` : pct(a.value),
    th: a.kind === 'longest_wait' ? `${a.threshold}` : pct(a.threshold) });
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
    </div>
  );
}
