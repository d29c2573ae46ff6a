// Leads and the next-best offer (issue 24, K7 and C6).  On the home screen, the leads event rules
// made for the person signed in (GET /leads): their own as a relationship manager, their branch's,
// the outbound queue for outbound agents and supervisors; each with the event behind it ("because")
// and what the customer is offered, worked from here (POST /leads/{id}: converted, declined, worked,
// with a note; it enters the customer's contact history).  On the customer's 360, the offers to make
// now (GET /customers/{id}/offers) with their reasons; one behind an open lead is answered there too.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, roc, t } from '../i18n.js';
import { date } from '../format.js';
import { useSignal } from '../state.js';
import { Card, useLoad } from '../ui.jsx';

const can = (me, perm) => !!me && me.permissions.includes(perm);
const reasonOf = (l) => (lang.get() === 'en' ? l.reason_en : l.reason_zh);

/** Why a customer is not offered anything, in the user's language (the server says it in English). */
function whyNot(why) {
  const m = /withdrawn on (\d{4}-\d{2}-\d{2})/.exec(why || '');
  const key = why === 'staff' ? 'whyStaff' : why === 'open complaint' ? 'whyComplaint' : why === 'minor' ? 'whyMinor'
    : /^the customer is/.test(why) ? 'whyClosed' : /^on the do-not-contact list/.test(why) ? 'whyDnc'
      : m ? 'whyWithdrawn' : /^no consent/.test(why) ? 'whyNoConsent' : /^no current/.test(why) ? 'whyUnreachable' : null;
  return key ? t(key, { day: m ? m[1] : '' }) : why;
}

/** The outcome buttons of an open lead, with an optional note; onDone after the server took it. */
function Work({ lead, onDone }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const act = async (outcome) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/leads/{id}', { params: { id: lead.id }, body: note ? { outcome, note } : { outcome } });
      onDone(outcome);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="work" data-test={`lead-work-${lead.id}`}>
      <input type="text" value={note} maxLength={2000} placeholder={t('leadNote')} aria-label={t('leadNote')}
        onInput={(e) => setNote(e.currentTarget.value)} />
      <button type="button" disabled={busy} data-test="lead-converted" onClick={() => act('converted')}>{t('leadConverted')}</button>
      <button type="button" disabled={busy} data-test="lead-declined" onClick={() => act('declined')}>{t('leadDeclined')}</button>
      <button type="button" class="link" disabled={busy} data-test="lead-worked" onClick={() => act('worked')}>{t('leadWorked')}</button>
      {error && <span class="error" role="alert">{t('error', { msg: errorText(error) })}</span>}
    </span>
  );
}

export function Leads({ me }) {
  useSignal(lang);
  useSignal(roc);
  const queues = /** @type {('mine' | 'branch' | 'outbound')[]} */ (['mine']);
  if (me.branch) queues.push('branch');
  if (can(me, 'dial') || can(me, 'all_branches')) queues.push('outbound');
  const [queue, setQueue] = useState(queues[0]);
  const [done, setDone] = useState(/** @type {Record<number, string>} */ ({}));
  const [r, error, reload] = useLoad(() => api('GET', '/leads', { query: { queue } }), [queue]);
  const tab = (q) => (
    <a key={q} href="#/" class={queue === q ? 'on' : ''} data-test={`leads-${q}`}
      onClick={(e) => { e.preventDefault(); setDone({}); setQueue(q); }}>{t(`leads_${q}`)}</a>
  );
  return (
    <Card title={t('leads')} test="leads" actions={<button type="button" class="link" onClick={reload}>{t('refresh')}</button>}>
      {queues.length > 1 && <nav class="tabs">{queues.map(tab)}</nav>}
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
      {r && r.leads.length === 0 && <p class="none">{t('leadsNone')}</p>}
      {r && r.leads.length > 0 && (
        <table data-test="leads-table">
          <thead><tr><th>{t('profile')}</th><th>{t('leadBecause')}</th><th>{t('offer')}</th><th>{t('leadExpires')}</th><th /></tr></thead>
          <tbody>
            {r.leads.map((l) => (
              <tr key={l.id} data-test="lead">
                <td><a href={`#/customer/${l.customer}`}>{l.name || `#${l.customer}`}</a> <small class="muted">{l.branch}</small></td>
                <td>{reasonOf(l)}</td>
                <td>{l.offer_name || l.offer || ''}</td>
                <td class="num">{date(l.expires_at.slice(0, 10))}</td>
                <td>{done[l.id] ? <span data-test="lead-done">{t(`leadStatus_${done[l.id]}`)}</span>
                  : can(me, 'note') && <Work lead={l} onDone={(o) => setDone({ ...done, [l.id]: o })} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** Whether the person may work the lead behind an offer: their own, their branch's, the outbound queue's. */
const mayWork = (me, o) => can(me, 'note') && (can(me, 'all_branches') || o.lead_assigned_to === me.user
  || (o.lead_queue === 'branch' && !!me.branch && o.lead_branch === me.branch) || (o.lead_queue === 'outbound' && can(me, 'dial')));

/** What the event rules found of the customer, newest first, each with the lead it made. */
export function CustomerEvents({ id }) {
  useSignal(lang);
  useSignal(roc);
  const [r, error] = useLoad(() => api('GET', '/customers/{id}/events', { params: { id } }), [id]);
  if (error) return <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>;
  if (!r) return <p class="notice">{t('loading')}</p>;
  if (r.events.length === 0) return <p class="none">{t('eventsNone')}</p>;
  return (
    <ul class="events" data-test="events-list">
      {r.events.map((e) => (
        <li key={e.id}>{date(e.occurred_at.slice(0, 10))} {lang.get() === 'en' ? e.reason_en : e.reason_zh}
          {e.lead && <small class="muted"> · {t('eventLead', { status: t(`leadStatus_${e.lead.status}`) })}</small>}</li>
      ))}
    </ul>
  );
}

/** The offers to make the customer now, with the reasons; answered here when a lead is behind one. */
export function Offers({ id, me }) {
  useSignal(lang);
  const [r, error] = useLoad(() => api('GET', '/customers/{id}/offers', { params: { id } }), [id]);
  const [done, setDone] = useState(/** @type {Record<number, string>} */ ({}));
  if (error) return <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>;
  if (!r) return <p class="notice">{t('loading')}</p>;
  if (r.not_contactable) return <p class="none" data-test="offers-none">{t('offersNotContactable', { why: whyNot(r.not_contactable) })}</p>;
  if (r.offers.length === 0) return <p class="none" data-test="offers-none">{t('offersNone')}</p>;
  return (
    <ol class="offers" data-test="offers-list">
      {r.offers.map((o) => (
        <li key={o.offer} data-test="offer">
          <strong>{o.name}</strong> <small class="muted">{o.offer}</small>
          {o.expected_value !== null && <small> · {t('offerPropensity', { pct: Math.round(100 * (o.propensity || 0)) })}</small>}
          <ul class="reasons">
            {(lang.get() === 'en' ? o.reasons_en : o.reasons_zh).map((x, i) => <li key={i}>{t('because', { why: x })}</li>)}
          </ul>
          {o.lead !== null && (done[o.lead] ? <span data-test="lead-done">{t(`leadStatus_${done[o.lead]}`)}</span>
            : mayWork(me, o) && <Work lead={{ id: o.lead }} onDone={(x) => setDone({ ...done, [o.lead]: x })} />)}
        </li>
      ))}
    </ol>
  );
}
