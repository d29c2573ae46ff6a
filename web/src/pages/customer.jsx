// The customer 360: everything about one customer on one screen, masked for
// the viewer's role, with reveal (a reason, audited), contact points and
// preferences (with their history), notes and consents.  The forms' choices
// and the lists' values are the warehouse's vocabulary, in the user's language.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { lang, roc, t } from '../i18n.js';
import { date, dateTime, money } from '../format.js';
import { useSignal } from '../state.js';
import { Card, Table, useLoad } from '../ui.jsx';
import { choices, label, loadVocabulary, vocabulary } from '../vocabulary.js';

const can = (me, p) => me.permissions.includes(p);

/** <option>s of a vocabulary list: its values, labelled in the user's language. */
const options = (name) => choices(name).map(([v, l]) => <option key={v} value={v}>{l}</option>);

function Reveal({ id, onRevealed, onCancel }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    try {
      onRevealed(await api('POST', '/customers/{id}/reveal', { params: { id }, body: { reason } }));
    } catch (err) {
      setError(err.message);
    }
  };
  return (
    <form class="dialog" data-test="reveal-form" onSubmit={submit}>
      <label>{t('revealReason')}
        <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required minLength={5} />
      </label>
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
      <button type="submit">{t('confirm')}</button>
      <button type="button" class="link" onClick={onCancel}>{t('cancel')}</button>
    </form>
  );
}

function ContactForm({ id, onDone }) {
  const [f, setF] = useState({ kind: 'mobile', purpose: 'home', value: '', reason: '' });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    try {
      const body = { kind: /** @type {import('../api-types').Term<'contact_kind'>} */ (f.kind),
        purpose: /** @type {import('../api-types').Term<'contact_purpose'>} */ (f.purpose), value: f.value, reason: f.reason || undefined };
      await api('PUT', '/customers/{id}/contacts', { params: { id }, body });
      setF({ ...f, value: '', reason: '' });
      setError(null);
      onDone();
    } catch (err) {
      setError(err.message);
    }
  };
  return (
    <form class="inline" data-test="contact-form" onSubmit={submit}>
      <select name="kind" value={f.kind} onChange={set('kind')}>{options('contact_kind')}</select>
      <select name="purpose" value={f.purpose} onChange={set('purpose')}>{options('contact_purpose')}</select>
      <input name="value" placeholder={t('value')} value={f.value} onInput={set('value')} required />
      <input name="reason" placeholder={t('reason')} value={f.reason} onInput={set('reason')} />
      <button type="submit">{t('save')}</button>
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
    </form>
  );
}

function NoteForm({ id, onDone }) {
  const [f, setF] = useState({ text: '', channel: 'branch', reason: '', outcome: '', follow_up_on: '' });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    const body = { text: f.text, channel: /** @type {import('../api-types').Term<'interaction_channel'>} */ (f.channel),
      reason: f.reason || undefined, outcome: f.outcome || undefined, follow_up_on: f.follow_up_on || undefined };
    try {
      await api('POST', '/customers/{id}/notes', { params: { id }, body });
      setF({ ...f, text: '', reason: '', outcome: '', follow_up_on: '' });
      setError(null);
      onDone();
    } catch (err) {
      setError(err.message);
    }
  };
  return (
    <form class="stack" data-test="note-form" onSubmit={submit}>
      <textarea name="text" placeholder={t('noteText')} value={f.text} onInput={set('text')} required />
      <div class="inline">
        <select name="channel" value={f.channel} onChange={set('channel')}>{options('interaction_channel')}</select>
        <input name="reason" placeholder={t('reason')} value={f.reason} onInput={set('reason')} />
        <input name="outcome" placeholder={t('outcome')} value={f.outcome} onInput={set('outcome')} />
        <input name="follow_up_on" type="date" value={f.follow_up_on} onInput={set('follow_up_on')} />
        <button type="submit">{t('addNote')}</button>
      </div>
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
    </form>
  );
}

function ConsentForm({ id, onDone }) {
  const [f, setF] = useState({ purpose: 'marketing', channel: 'any', granted: 'true', evidence: '' });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    try {
      await api('PUT', '/customers/{id}/consents', { params: { id }, body: {
        purpose: /** @type {import('../api-types').Term<'consent_purpose'>} */ (f.purpose), channel: /** @type {import('../api-types').Term<'consent_channel'>} */ (f.channel),
        granted: f.granted === 'true', evidence: f.evidence } });
      setF({ ...f, evidence: '' });
      setError(null);
      onDone();
    } catch (err) {
      setError(err.message);
    }
  };
  return (
    <form class="inline" data-test="consent-form" onSubmit={submit}>
      <select name="purpose" value={f.purpose} onChange={set('purpose')}>{options('consent_purpose')}</select>
      <select name="channel" value={f.channel} onChange={set('channel')}>{options('consent_channel')}</select>
      <select name="granted" value={f.granted} onChange={set('granted')}>
        <option value="true">{t('granted')}</option>
        <option value="false">{t('withdrawn')}</option>
      </select>
      <input name="evidence" placeholder={t('evidence')} value={f.evidence} onInput={set('evidence')} required />
      <button type="submit">{t('save')}</button>
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
    </form>
  );
}

function Preferences({ id, me, prefs, onDone }) {
  const [f, setF] = useState({
    language: prefs.language?.value || '', channel: prefs.channel?.value || '',
    hours: prefs.hours?.value || '', days: prefs.days?.value || '',
  });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    const v = (k) => (f[k] === '' ? null : f[k]);
    const body = { language: v('language'), channel: v('channel'), hours: v('hours'), days: v('days') };
    try {
      await api('PUT', '/customers/{id}/preferences', { params: { id }, body });
      setError(null);
      onDone();
    } catch (err) {
      setError(err.message);
    }
  };
  const show = (k) => prefs[k]?.value || t('none');
  if (!can(me, 'edit'))
    return (
      <dl class="facts">
        <dt>{t('lang_label')}</dt><dd>{prefs.language ? label('language', prefs.language.value) : show('language')}</dd>
        <dt>{t('preferredChannel')}</dt><dd>{prefs.channel ? label('preference_channel', prefs.channel.value) : show('channel')}</dd>
        <dt>{t('hours')}</dt><dd>{show('hours')}</dd>
        <dt>{t('days')}</dt><dd>{show('days')}</dd>
      </dl>
    );
  return (
    <form class="inline" data-test="prefs-form" onSubmit={submit}>
      <select name="language" value={f.language} onChange={set('language')}>
        <option value="">{t('lang_label')}…</option>
        {options('language')}
      </select>
      <select name="channel" value={f.channel} onChange={set('channel')}>
        <option value="">{t('preferredChannel')}…</option>
        {options('preference_channel')}
      </select>
      <input name="hours" placeholder="09:00-18:00" value={f.hours} onInput={set('hours')} />
      <input name="days" placeholder="mon-fri" value={f.days} onInput={set('days')} />
      <button type="submit">{t('save')}</button>
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
    </form>
  );
}

// The latest analysis scores: value decile and pyramid level, RFM cell,
// lifetime value, and the segment of each analysis that assigns one.
function Scores({ scores }) {
  if (!scores || scores.length === 0) return <p class="none">{t('noScores')}</p>;
  const by = (a) => scores.filter((s) => a.includes(s.analysis));
  const value = by(['value', 'pareto', 'pyramid'])[0];
  const rfm = by(['rfm'])[0];
  const clv = by(['clv'])[0];
  const segs = by(['segment', 'cluster', 'migration', 'gains-losses']);
  const asOf = (s) => <small class="muted"> ({t('asOf')} {date(s.as_of)})</small>;
  return (
    <dl class="facts" data-test="scores-list">
      {value && <><dt>{t('valueLevel')}</dt><dd data-test="value-level">{t('decileN', { n: value.result.decile })} · {value.result.profit}{asOf(value)}</dd></>}
      {value && <><dt>{t('pyramidLevel')}</dt><dd data-test="pyramid-level">{value.result.level}{asOf(value)}</dd></>}
      {rfm && <><dt>{t('rfmCell')}</dt><dd data-test="rfm-cell">{rfm.result.cell} (R{rfm.result.r} F{rfm.result.f} M{rfm.result.m}){asOf(rfm)}</dd></>}
      {clv && <><dt>{t('lifetimeValue')}</dt><dd data-test="clv">{clv.result.clv} · P(alive) {(clv.result.p_alive * 100).toFixed(0)}%{asOf(clv)}</dd></>}
      {segs.map((s) => (
        <Fragment key={s.run}><dt>{label('analysis', s.analysis)}</dt><dd data-test={`segment-${s.analysis}`}>{s.result.segment}{asOf(s)}</dd></Fragment>
      ))}
    </dl>
  );
}

export function Customer({ id, me }) {
  useSignal(lang);
  useSignal(roc);
  useSignal(vocabulary);
  useEffect(() => { loadVocabulary().catch(() => { /* the forms offer nothing until it comes */ }); }, []);
  const [revealed, setRevealed] = useState(null);
  const [asking, setAsking] = useState(false);
  const [doc, error, reload] = useLoad(() => api('GET', '/customers/{id}', { params: { id } }), [id]);
  const [changes, , reloadChanges] = useLoad(() => api('GET', '/customers/{id}/changes', { params: { id } }), [id]);
  const [scores] = useLoad(() => api('GET', '/customers/{id}/scores', { params: { id } }), [id]);
  const [reach, , reloadReach] = useLoad(
    () => (can(me, 'view') ? api('GET', '/customers/{id}/contactable', { params: { id } }) : Promise.resolve(null)), [id]);
  if (error) return <p class="error" role="alert" data-test="customer-error">{t('error', { msg: error.message })}</p>;
  if (!doc) return <p class="notice">{t('loading')}</p>;
  const d = revealed || doc;
  const p = d.party;
  const refresh = () => {
    setRevealed(null);
    reload();
    reloadChanges();
    reloadReach();
  };
  return (
    <div class="customer" data-test="customer">
      <section class="card profile">
        <h1 data-test="name">{p.name_zh} <span class="latin">{p.name_latin}</span></h1>
        <dl class="facts">
          <dt>{t('born')}</dt><dd>{date(p.birth_date)} {p.age !== undefined && `(${t('age', { n: p.age })})`}</dd>
          <dt>{t('gender')}</dt><dd>{label('gender', p.gender)}</dd>
          <dt>{t('occupation')}</dt><dd>{p.occupation}</dd>
          <dt>{t('status')}</dt><dd>{label('party_status', p.status)}</dd>
          <dt>{t('branch')}</dt><dd>{p.home_branch} {p.home_branch_name}</dd>
        </dl>
        {revealed && <p class="banner" data-test="revealed">{t('revealed')}</p>}
        {can(me, 'reveal') && !revealed && !asking && (
          <button data-test="reveal" onClick={() => setAsking(true)}>{t('reveal')}</button>
        )}
        {asking && (
          <Reveal id={id} onCancel={() => setAsking(false)} onRevealed={(r) => { setRevealed(r); setAsking(false); }} />
        )}
      </section>
      <div class="grid">
        <Card title={t('scores')} test="scores">
          <Scores scores={scores?.scores} />
        </Card>
        <Card title={t('identifiers')} test="identifiers">
          <Table test="identifiers-table" rows={d.identifiers}
            cols={[['kind', (r) => label('identifier_type', r.type)], ['value', (r) => <code>{r.value}</code>], ['source', (r) => r.issuer || '']]} />
        </Card>
        <Card title={t('contacts')} test="contacts">
          <Table rows={d.contact_points}
            cols={[['kind', (r) => label('contact_kind', r.kind)], ['purpose', (r) => label('contact_purpose', r.purpose)], ['value', (r) => r.value],
              ['validFrom', (r) => date(r.valid_from)], ['validTo', (r) => date(r.valid_to)], ['source', (r) => r.source || '']]} />
          {can(me, 'edit') && <ContactForm id={id} onDone={refresh} />}
        </Card>
        <Card title={t('preferences')} test="preferences">
          <Preferences id={id} me={me} prefs={d.preferences || {}} onDone={refresh} key={JSON.stringify(d.preferences)} />
        </Card>
        <Card title={t('changes')} test="changes">
          <Table rows={changes?.changes}
            cols={[['date', (r) => dateTime(r.at)], ['by', (r) => r.by_user], ['field', (r) => r.field],
              ['oldValue', (r) => r.old_value ?? ''], ['newValue', (r) => r.new_value ?? ''], ['reason', (r) => r.reason ?? '']]} />
        </Card>
        <Card title={t('accounts')} test="accounts">
          <Table rows={d.accounts}
            cols={[['account', (r) => <code>{r.number}</code>], ['product', (r) => r.product_name], ['role', (r) => label('account_role', r.role)],
              ['status', (r) => label('account_status', r.status)], ['opened', (r) => date(r.opened_on)], ['balance', (r) => <span class="num">{money(r.balance)}</span>]]} />
        </Card>
        <Card title={t('related')} test="related">
          <Table rows={d.related_parties}
            cols={[['relation', (r) => label('party_link_kind', r.relation)], ['profile', (r) => <a href={`#/customer/${r.party_id}`}>{r.name_zh} {r.name_latin}</a>],
              ['status', (r) => label('party_status', r.status)], ['since', (r) => date(r.since)]]} />
        </Card>
        <Card title={t('transactions')} test="transactions">
          <Table rows={d.transactions}
            cols={[['date', (r) => dateTime(r.posted_at)], ['channel', (r) => label('txn_channel', r.channel)], ['description', (r) => r.description],
              ['amount', (r) => <span class={r.amount_minor < 0 ? 'num neg' : 'num'}>{money(r.amount)}</span>]]} />
        </Card>
        <Card title={t('notes')} test="notes">
          {can(me, 'note') && <NoteForm id={id} onDone={refresh} />}
          <Table rows={d.interactions}
            cols={[['date', (r) => dateTime(r.at)], ['channel', (r) => label('interaction_channel', r.channel)], ['by', (r) => r.staff],
              ['reason', (r) => r.reason], ['description', (r) => r.notes], ['followUp', (r) => date(r.follow_up_on)]]} />
        </Card>
        <Card title={t('consents')} test="consents">
          <Table rows={d.consents}
            cols={[['purpose', (r) => label('consent_purpose', r.purpose)], ['channel', (r) => label('consent_channel', r.channel)], ['granted', (r) => (r.granted ? t('granted') : t('withdrawn'))],
              ['evidence', (r) => r.evidence], ['effective', (r) => dateTime(r.effective_at)], ['recordedBy', (r) => r.recorded_by]]} />
          {reach?.channels && (
            <p class="reach" data-test="contactable">{t('contactable')}:{' '}
              {reach.channels.map((c) => (
                <span key={c.channel} class={c.allowed ? 'ok' : 'no'} title={c.reason}>{label('contact_channel', c.channel)} {c.allowed ? t('yes') : t('no')}</span>
              ))}
            </p>
          )}
          {can(me, 'consent_write') && <ConsentForm id={id} onDone={refresh} />}
        </Card>
        <Card title={t('lineage')} test="lineage">
          <Table rows={d.lineage}
            cols={[['source', (r) => r.source], ['value', (r) => r.source_key], ['job', (r) => r.job_id], ['date', (r) => dateTime(r.loaded_at)]]} />
        </Card>
      </div>
    </div>
  );
}
