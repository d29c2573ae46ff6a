// Event rules and what their leads came to (issue 24 items 9 and 10), #/events: each rule with its
// detector, parameters, offer, route, expiry, events and open leads, switched on or off; per rule the
// leads worked, converted, declined and expired, and the take-up of the offered product by the leads
// against the held-out customers; the channels' daily capacity (until the contact centre tells it).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, t } from '../i18n.js';
import { useSignal } from '../state.js';
import { Card, useLoad } from '../ui.jsx';

const can = (me, perm) => !!me && me.permissions.includes(perm);
const num = (x) => (x === null || x === undefined ? '' : Number(x).toLocaleString(lang.get() === 'en' ? 'en-US' : 'zh-TW'));
const pct = (x) => (x === null || x === undefined ? '' : `${(100 * x).toFixed(1)}%`);
const CHANNELS = ['direct_mail', 'email', 'sms', 'outbound_call', 'branch_lead', 'banner'];

function Failure({ error }) {
  return error ? <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p> : null;
}

function Rules() {
  const [list, error, reload] = useLoad(() => api('GET', '/event-rules'), []);
  const [detectors] = useLoad(() => api('GET', '/event-detectors'), []);
  const [failed, setFailed] = useState(null);
  const toggle = async (r) => {
    setFailed(null);
    try {
      const body = { detector: r.detector, name_zh: r.name_zh, name_en: r.name_en, params: r.params, route: /** @type {any} */ (r.route),
        expires_days: r.expires_days, priority: r.priority, control_pct: r.control_pct, enabled: !r.enabled };
      if (r.offer) body.offer = r.offer;
      await api('PUT', '/event-rules/{code}', { params: { code: r.code }, body });
      reload();
    } catch (e) {
      setFailed(e);
    }
  };
  const en = lang.get() === 'en';
  const detector = (name) => {
    const d = (detectors?.detectors || []).find((x) => x.name === name);
    return d ? (en ? d.name_en : d.name_zh) : name;
  };
  return (
    <Card title={t('eventRules')} test="event-rules" actions={<button type="button" class="link" onClick={reload}>{t('refresh')}</button>}>
      <Failure error={error || failed} />
      {list && (list.rules.length === 0 ? <p class="none">{t('eventRulesNone')}</p> : (
        <table data-test="event-rules-table">
          <thead><tr><th>{t('eventRule')}</th><th>{t('eventDetector')}</th><th>{t('eventParams')}</th><th>{t('offer')}</th><th>{t('eventRoute')}</th>
            <th class="num">{t('eventExpires')}</th><th class="num">{t('events')}</th><th class="num">{t('openLeads')}</th><th>{t('eventEnabled')}</th></tr></thead>
          <tbody>{list.rules.map((r) => (
            <tr key={r.code}>
              <td>{r.code} {en ? r.name_en : r.name_zh}</td><td>{detector(r.detector)}</td>
              <td><code>{Object.entries(r.params || {}).map(([k, v]) => `${k}=${v}`).join(', ')}</code></td>
              <td>{r.offer || ''}</td><td>{t(`leadRoute_${r.route}`)}</td><td class="num">{num(r.expires_days)}</td>
              <td class="num">{num(r.events)}</td><td class="num">{num(r.open_leads)}</td>
              <td><button type="button" data-test={`rule-toggle-${r.code}`} aria-pressed={r.enabled ? 'true' : 'false'} onClick={() => toggle(r)}>{t(r.enabled ? 'eventOn' : 'eventOff')}</button></td>
            </tr>
          ))}</tbody>
        </table>
      ))}
    </Card>
  );
}

function LeadResults() {
  const [r, error] = useLoad(() => api('GET', '/lead-results'), []);
  return (
    <Card title={t('leadResults')} test="lead-results">
      <Failure error={error} />
      {r && (r.rules.length === 0 ? <p class="none">{t('leadResultsNone')}</p> : (
        <table data-test="lead-results-table">
          <thead><tr><th>{t('eventRule')}</th><th class="num">{t('leadsMade')}</th><th class="num">{t('leadStatus_open')}</th><th class="num">{t('leadStatus_converted')}</th>
            <th class="num">{t('leadStatus_declined')}</th><th class="num">{t('leadStatus_expired')}</th><th class="num">{t('leadHeldOut')}</th><th class="num">{t('leadConversion')}</th>
            <th class="num">{t('leadTakeUp')}</th><th class="num">{t('leadTakeUpHeldOut')}</th><th class="num">{t('uplift')}</th></tr></thead>
          <tbody>{r.rules.map((x) => {
            const a = /** @type {any} */ (x);
            return (
              <tr key={x.rule}><td>{x.rule}</td><td class="num">{num(x.leads)}</td><td class="num">{num(a.open)}</td><td class="num">{num(x.converted)}</td>
                <td class="num">{num(a.declined)}</td><td class="num">{num(a.expired)}</td><td class="num">{num(a.held_out)}</td><td class="num">{pct(x.conversion)}</td>
                <td class="num">{pct(a.take_up_leads)}</td><td class="num">{pct(a.take_up_held_out)}</td><td class="num">{a.uplift === null || a.uplift === undefined ? '' : (100 * a.uplift).toFixed(2)}</td></tr>
            );
          })}</tbody>
        </table>
      ))}
    </Card>
  );
}

function Capacity({ me }) {
  const [list, error, reload] = useLoad(() => api('GET', '/channel-capacity'), []);
  const [form, setForm] = useState({ channel: 'outbound_call', per_day: '' });
  const [failed, setFailed] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    setFailed(null);
    try {
      await api('PUT', '/channel-capacity/{channel}', { params: { channel: form.channel }, body: { per_day: Number(form.per_day) } });
      setForm({ ...form, per_day: '' });
      reload();
    } catch (x) {
      setFailed(x);
    }
  };
  return (
    <Card title={t('capacity')} test="channel-capacity">
      <Failure error={error} />
      {list && (list.channels.length === 0 ? <p class="none">{t('capacityNone')}</p> : (
        <table data-test="capacity-table">
          <thead><tr><th>{t('channel')}</th><th class="num">{t('capacityPerDay')}</th><th>{t('capacitySetBy')}</th></tr></thead>
          <tbody>{list.channels.map((c) => <tr key={c.channel}><td>{t(`channel_${c.channel}`)}</td><td class="num">{num(c.per_day)}</td><td>{c.updated_by}</td></tr>)}</tbody>
        </table>
      ))}
      {can(me, 'approve') && (
        <form class="form inline" onSubmit={save} data-test="capacity-form">
          <label>{t('channel')}<select value={form.channel} onInput={(e) => setForm({ ...form, channel: e.currentTarget.value })}>{CHANNELS.map((c) => <option key={c} value={c}>{t(`channel_${c}`)}</option>)}</select></label>
          <label>{t('capacityPerDay')}<input type="number" required min="0" value={form.per_day} data-test="capacity-per-day" onInput={(e) => setForm({ ...form, per_day: e.currentTarget.value })} /></label>
          <button type="submit" data-test="capacity-save">{t('capacitySave')}</button>
          <Failure error={failed} />
        </form>
      )}
    </Card>
  );
}

export function Events({ me }) {
  useSignal(lang);
  return (
    <div class="events" data-test="events">
      <Rules />
      <LeadResults />
      <Capacity me={me} />
    </div>
  );
}
