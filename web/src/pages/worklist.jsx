// The worklists of the home screen.  The follow-ups due (GET /follow-ups): the notes with a follow-up date on or before today and no
// contact with the customer since, soonest first; the user's own or their branch's (the bank's
// for a role of every branch).  Each opens the customer's 360, where a note is the follow-up.
// The calling lists (GET /calling-list, /calling-lists): an outbound agent's customers to call,
// with the numbers to dial; the lists a supervisor makes.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, roc, t } from '../i18n.js';
import { date, dateTime, phone, taipeiToday } from '../format.js';
import { useSignal } from '../state.js';
import { Card, useLoad } from '../ui.jsx';

export function FollowUps() {
  useSignal(lang);
  useSignal(roc);
  const [who, setWho] = useState(/** @type {'me' | 'branch'} */ ('me'));
  const [r, error] = useLoad(() => api('GET', '/follow-ups', { query: { who } }), [who]);
  const today = taipeiToday();
  const tab = (w, key) => (
    <a href="#/" class={who === w ? 'on' : ''} data-test={`follow-ups-${w}`} onClick={(e) => { e.preventDefault(); setWho(w); }}>{t(key)}</a>
  );
  return (
    <Card title={t('followUpsDue')} test="follow-ups">
      <nav class="tabs">{tab('me', 'followUpsMine')}{tab('branch', 'followUpsBranch')}</nav>
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
      {r && r.follow_ups.length === 0 && <p class="none">{t('followUpsNone')}</p>}
      {r && r.follow_ups.length > 0 && (
        <table data-test="follow-ups-table">
          <thead><tr><th>{t('followUp')}</th><th>{t('profile')}</th><th>{t('reason')}</th><th>{t('description')}</th><th>{t('by')}</th></tr></thead>
          <tbody>
            {r.follow_ups.map((f) => (
              <tr key={f.note} class={f.follow_up_on < today ? 'overdue' : ''}>
                <td class="num">{date(f.follow_up_on)}{f.follow_up_on < today && <small class="neg"> {t('overdue')}</small>}</td>
                <td><a href={`#/customer/${f.customer}`}>{f.name_zh} {f.name_latin}</a> <small class="muted">{f.home_branch}</small></td>
                <td>{f.reason}</td>
                <td>{f.notes}</td>
                <td>{f.by || f.staff}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** A phone as a link that dials it (tel:, E.164 as kept), shown as a Taiwanese reads it. */
const Dial = ({ value }) => (value.includes('*') ? <span>{phone(value)}</span> : <a href={`tel:${value}`} data-test="dial">{phone(value)}</a>);

/** The rows of a calling list: the customer (to their 360), the numbers, the last contact, until when. */
function ListRows({ entries, agentColumn = false, onRemove = null }) {
  return (
    <table data-test="calling-list-table">
      <thead><tr>
        {agentColumn && <><th>{t('listName')}</th><th>{t('agent')}</th></>}
        <th>{t('profile')}</th><th>{t('phones')}</th><th>{t('lastContact')}</th><th>{t('untilDay')}</th>{onRemove && <th />}
      </tr></thead>
      <tbody>
        {entries.map((e) => (
          <tr key={`${e.list}/${e.agent}/${e.customer}`}>
            {agentColumn && <><td>{e.list}</td><td>{e.agent}</td></>}
            <td><a href={`#/customer/${e.customer}`}>{e.name_zh} {e.name_latin}</a> <small class="muted">{e.home_branch}</small></td>
            <td>{e.phones.map((p, i) => <span key={i}>{i > 0 && ' '}<Dial value={p.value} /></span>)}</td>
            <td>{dateTime(e.last_contact)}</td>
            <td>{date(e.until)}</td>
            {onRemove && <td><button type="button" class="link" onClick={() => onRemove(e)}>{t('listRemove')}</button></td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An outbound agent's own calling list: the customers they are to call, with the numbers to dial. */
export function CallingList() {
  useSignal(lang);
  const [r, error] = useLoad(() => api('GET', '/calling-list'), []);
  return (
    <Card title={t('callingList')} test="calling-list">
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
      {r && r.entries.length === 0 && <p class="none">{t('callingListNone')}</p>}
      {r && r.entries.length > 0 && <ListRows entries={r.entries} />}
    </Card>
  );
}

/** The error of a list's customer said with its line ("第 3 行：查無此客戶"). */
function listError(e) {
  const m = /(?:^|\.)customers\[(\d+)\]$/.exec(e.member || '');
  return m ? t('lineN', { n: Number(m[1]) + 1, msg: errorText({ ...e, member: null }) }) : errorText(e);
}

/** The supervisor's calling lists: the lists running, and a form to give customers to an agent. */
export function CallingLists() {
  useSignal(lang);
  const [r, error, reload] = useLoad(() => api('GET', '/calling-lists'), []);
  const [form, setForm] = useState({ list: '', agent: '', keys: '', until: '' });
  const [done, setDone] = useState(null);
  const [failed, setFailed] = useState(null);
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setDone(null);
    setFailed(null);
    // each line as typed: a key a search takes (a customer number as id:N); digits alone are never
    // taken for a customer number, which a phone or an account could be mistaken for
    const customers = form.keys.split('\n').map((k) => k.trim()).filter(Boolean);
    try {
      setDone(await api('POST', '/calling-lists', { body: { list: form.list, agent: form.agent, customers, until: form.until || undefined } }));
      setForm({ ...form, keys: '' });
      reload();
    } catch (err) {
      setFailed(err);
    }
  };
  const remove = async (entry) => {
    try {
      await api('DELETE', '/calling-lists/{list}', { params: { list: entry.list }, query: { agent: entry.agent, customer: entry.customer } });
      reload();
    } catch (err) {
      setFailed(err);
    }
  };
  return (
    <Card title={t('callingLists')} test="calling-lists">
      <form class="dialog list-form" data-test="calling-list-form" onSubmit={submit}>
        <label>{t('listName')}<input name="list" required maxLength={80} value={form.list} onInput={set('list')} /></label>
        <label>{t('agent')}<input name="agent" required value={form.agent} onInput={set('agent')} /></label>
        <label>{t('listUntil')}<input name="until" type="date" value={form.until} onInput={set('until')} /></label>
        <label class="wide">{t('listCustomers')}<textarea name="customers" rows={4} required value={form.keys} onInput={set('keys')} /></label>
        <button type="submit">{t('listAdd')}</button>
      </form>
      {done && <p class="notice" data-test="calling-list-added">{t('listAdded', { added: done.added, already: done.already })}</p>}
      {failed && <p class="error" role="alert" data-test="calling-list-error">{t('error', { msg: listError(failed) })}</p>}
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
      {r && r.entries.length === 0 && <p class="none">{t('callingListsNone')}</p>}
      {r && r.entries.length > 0 && <ListRows entries={r.entries} agentColumn onRemove={remove} />}
    </Card>
  );
}
