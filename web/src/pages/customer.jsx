// The customer 360: everything about one customer on one screen, masked for
// the viewer's role, with reveal (a reason, audited), contact points and
// preferences (with their history), notes and consents.  The forms' choices
// and the lists' values are the warehouse's vocabulary, in the user's language.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { clusterName, errorText, lang, roc, t, term } from '../i18n.js';
import { date, dateTime, money, phone, taipeiToday } from '../format.js';
import { useSignal } from '../state.js';
import { Card, Table, useLoad } from '../ui.jsx';
import { choices, label, loadVocabulary, vocabulary } from '../vocabulary.js';
import { CustomerEvents, Offers } from './leads.jsx';

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
      setError(err);
    }
  };
  return (
    <form class="dialog" data-test="reveal-form" onSubmit={submit}>
      <label>{t('revealReason')}
        <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required minLength={5} />
      </label>
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
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
      setError(err);
    }
  };
  return (
    <form class="inline" data-test="contact-form" onSubmit={submit}>
      <select name="kind" value={f.kind} onChange={set('kind')}>{options('contact_kind')}</select>
      <select name="purpose" value={f.purpose} onChange={set('purpose')}>{options('contact_purpose')}</select>
      <input name="value" placeholder={t('value')} value={f.value} onInput={set('value')} required />
      <input name="reason" placeholder={t('reason')} value={f.reason} onInput={set('reason')} />
      <button type="submit">{t('save')}</button>
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
    </form>
  );
}

/** The channel a user's notes are taken by, unless they say otherwise: an agent's the phone, branch staff's the branch. */
const ownChannel = (me) => (['csr', 'tsr'].includes(me.role) ? 'phone' : 'branch');

// A note being written is kept in the tab (sessionStorage) until it is added: a session that ends
// before it is sent loses nothing; signed in again, the same screen shows it as it was.
const draftKey = (id) => `rapport.draft.note.${id}`;
const readDraft = (id) => {
  try { return JSON.parse(sessionStorage.getItem(draftKey(id)) || 'null'); } catch { return null; }
};

function NoteForm({ id, me, onDone }) {
  const blank = { text: '', channel: ownChannel(me), reason: '', outcome: '', follow_up_on: '' };
  const [f, setF] = useState(() => ({ ...blank, ...(readDraft(id) || {}) }));
  const [error, setError] = useState(null);
  const keep = (next) => {
    setF(next);
    if (next.text || next.reason || next.outcome || next.follow_up_on) sessionStorage.setItem(draftKey(id), JSON.stringify(next));
    else sessionStorage.removeItem(draftKey(id));
  };
  const set = (k) => (e) => keep({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    const body = { text: f.text, channel: /** @type {import('../api-types').Term<'interaction_channel'>} */ (f.channel),
      reason: f.reason || undefined, outcome: f.outcome || undefined, follow_up_on: f.follow_up_on || undefined };
    try {
      await api('POST', '/customers/{id}/notes', { params: { id }, body });
      keep({ ...f, text: '', reason: '', outcome: '', follow_up_on: '' });
      setError(null);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="stack" data-test="note-form" onSubmit={submit}>
      <textarea name="text" placeholder={t('noteText')} value={f.text} onInput={set('text')} required />
      {readDraft(id) && f.text && <small class="muted" data-test="draft-kept">{t('draftKept')}</small>}
      <div class="inline">
        <select name="channel" value={f.channel} onChange={set('channel')}>{options('interaction_channel')}</select>
        <input name="reason" placeholder={t('reason')} value={f.reason} onInput={set('reason')} />
        <input name="outcome" placeholder={t('outcome')} value={f.outcome} onInput={set('outcome')} />
        <input name="follow_up_on" type="date" value={f.follow_up_on} onInput={set('follow_up_on')} />
        <button type="submit">{t('addNote')}</button>
      </div>
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
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
      setError(err);
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
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
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
      setError(err);
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
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
    </form>
  );
}

// A segment as an analysis names it, in words: a gains-and-losses class, a move between pyramid
// levels ("big -> top"), a cluster's number; a segment the bank named keeps its name.
function segmentWords(analysis, seg) {
  if (analysis === 'gains-losses') return term('class_', seg);
  if (analysis === 'migration') return String(seg).split(' -> ').map((l) => term('level_', l)).join(' → ');
  if (analysis === 'cluster') return clusterName(seg);
  return seg;
}

// The latest analysis scores: value decile and pyramid level, RFM cell, behaviour types and risk
// grade, lifetime value, and the segment of each analysis that assigns one.
function Scores({ scores }) {
  if (!scores || scores.length === 0) return <p class="none">{t('noScores')}</p>;
  const by = (a) => scores.filter((s) => a.includes(s.analysis));
  const value = by(['value', 'pareto', 'pyramid'])[0];
  const rfm = by(['rfm'])[0];
  const clv = by(['clv'])[0];
  const beh = by(['behaviour'])[0];
  const segs = by(['segment', 'cluster', 'migration', 'gains-losses']);
  const types = (beh?.result.types || '').split(',').filter((x) => x);
  const asOf = (s) => <small class="muted"> ({t('asOf')} {date(s.as_of)})</small>;
  return (
    <dl class="facts" data-test="scores-list">
      {value && <><dt>{t('valueLevel')}</dt><dd data-test="value-level">{t('decileN', { n: value.result.decile })} · {value.result.profit}{asOf(value)}</dd></>}
      {value && <><dt>{t('pyramidLevel')}</dt><dd data-test="pyramid-level">{term('level_', value.result.level)}{asOf(value)}</dd></>}
      {rfm && <><dt>{t('rfmCell')}</dt><dd data-test="rfm-cell">{rfm.result.cell} (R{rfm.result.r} F{rfm.result.f} M{rfm.result.m}){asOf(rfm)}</dd></>}
      {beh && <><dt>{t('behaviourTypes')}</dt><dd data-test="behaviour-types">{(types.length ? types : ['general']).map((x) => term('btype_', x)).join(' · ')}{asOf(beh)}</dd></>}
      {beh?.result.risk_grade && <><dt>{t('riskGrade')}</dt><dd data-test="risk-grade"><strong>{beh.result.risk_grade}</strong> {term('grade_', beh.result.risk_grade)}{beh.result.risk_p != null && <small class="muted"> · {t('riskChance', { p: (beh.result.risk_p * 100).toFixed(1) })}</small>}{asOf(beh)}</dd></>}
      {clv && <><dt>{t('lifetimeValue')}</dt><dd data-test="clv">{clv.result.clv} · {t('pAlive', { p: (clv.result.p_alive * 100).toFixed(0) })}{asOf(clv)}</dd></>}
      {segs.map((s) => (
        <Fragment key={s.run}><dt>{label('analysis', s.analysis)}</dt><dd data-test={`segment-${s.analysis}`}>{segmentWords(s.analysis, s.result.segment)}{asOf(s)}</dd></Fragment>
      ))}
    </dl>
  );
}

// Each kept model's latest probability for the customer, its decile, and the features that raise it
// most ("mainly because of: change of assets over 3 months -6.18 (+23.6 points)").
function Predictions({ predictions }) {
  if (!predictions || predictions.length === 0) return <p class="none">{t('noPredictions')}</p>;
  const num = (v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v).toLocaleString(undefined, { maximumFractionDigits: 2 }) : term('level_', v));
  return (
    <dl class="facts" data-test="predictions-list">
      {predictions.map((p) => (
        <Fragment key={p.run}>
          <dt>{term('target_', p.target)}</dt>
          <dd data-test={`prediction-${p.model}`}>
            <strong>{t('probabilityPct', { p: (p.score * 100).toFixed(1) })}</strong> · {t('decileN', { n: p.decile })}
            <small class="muted"> ({p.model} v{p.version}{p.as_of ? `, ${t('asOf')} ${date(p.as_of)}` : ''})</small>
            {p.reasons.length > 0 && (
              <ul class="reasons" data-test={`reasons-${p.model}`}>
                {p.reasons.map((r) => (
                  <li key={r.feature}>{term('feat_', r.feature)} {num(r.value)} <small class="muted">({t('effectPts', { p: Number((r.effect * 100).toPrecision(2)) })})</small></li>
                ))}
              </ul>
            )}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

// A change's field and values in words: a preference by its name and its list's labels; a contact
// point as "mobile (home)".
const PREF_FIELDS = { language: ['lang_label', 'language'], channel: ['preferredChannel', 'preference_channel'], hours: ['hours', null], days: ['days', null] };
function changeField(r) {
  if (r.what === 'preference' && PREF_FIELDS[r.field]) return t(PREF_FIELDS[r.field][0]);
  const [kind, purpose] = String(r.field || '').split(/[/.: ]/);
  return purpose ? `${label('contact_kind', kind)}（${label('contact_purpose', purpose)}）` : label('contact_kind', kind);
}
function changeValue(r, v) {
  if (v === null || v === undefined) return '';
  const list = r.what === 'preference' ? PREF_FIELDS[r.field]?.[1] : null;
  return list ? label(list, v) : v;
}

/** May the viewer open this customer?  Branch staff open their own branch's only (the API's scope). */
const mayOpen = (me, branch) => can(me, 'all_branches') || (!!me.branch && branch === me.branch);

/** A relative: a link to their 360 when the viewer may open it; else the name and branch, no link. */
function Relative({ r, me }) {
  const name = `${r.name_zh || ''} ${r.name_latin || ''}`.trim();
  if (mayOpen(me, r.home_branch)) return <a href={`#/customer/${r.party_id}`}>{name}</a>;
  return <span data-test="relative-elsewhere">{name} <small class="muted">{t('otherBranch', { branch: r.home_branch || '—' })}</small></span>;
}

/** The contact history: the 360's latest notes, then every note by pages from the server, and a box
 *  that finds notes by any words of their text, reason, outcome or author among all of them. */
function Notes({ id, rows }) {
  const [q, setQ] = useState('');
  const [page, setPage] = useState(null); // {q, notes, total, next} from the server, or null: the 360's own
  const [error, setError] = useState(null);
  const asked = useRef(0); // a reply to an older question does not overwrite a newer one's
  const fetchPage = (words, after, before) => {
    const mine = ++asked.current;
    return api('GET', '/customers/{id}/notes', { params: { id }, query: { q: words, after, limit: 50 } })
      .then((r) => { if (mine === asked.current) { setError(null); setPage({ q: words, notes: [...before, ...r.notes], total: r.total, next: r.next }); } })
      .catch((e) => { if (mine === asked.current) setError(e); });
  };
  // the words typed, or the 360 read again (a note added): what matches is asked for again
  useEffect(() => {
    const words = q.trim();
    if (!words) { asked.current++; setPage(null); setError(null); return undefined; }
    const timer = setTimeout(() => fetchPage(words, undefined, []), 250);
    return () => clearTimeout(timer);
  }, [q, id, rows]);
  const shown = page ? page.notes : rows || [];
  // the 360 holds the latest 20: with 20 there may be older ones
  const more = page ? page.next : (rows || []).length >= 20 && rows[rows.length - 1].id;
  return (
    <>
      {rows && rows.length > 0 && (
        <input type="search" class="note-search" data-test="note-search" placeholder={t('searchNotes')} value={q}
          onInput={(e) => setQ(e.currentTarget.value)} />
      )}
      {error && <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p>}
      <Table rows={shown} test="notes-table" empty={q ? t('noNotesMatch') : null}
        cols={[['date', (r) => dateTime(r.at)], ['channel', (r) => label('interaction_channel', r.channel)], ['by', (r) => r.staff],
          ['reason', (r) => r.reason], ['description', (r) => r.notes], ['outcome', (r) => r.outcome],
          ['followUp', (r) => date(r.follow_up_on)]]} />
      {page && <p class="muted" data-test="notes-count">{t('notesShown', { n: page.notes.length, total: page.total })}</p>}
      {more && (
        <button type="button" class="link" data-test="notes-more"
          onClick={() => fetchPage(page ? page.q : undefined, more, shown)}>{t('olderNotes')}</button>
      )}
    </>
  );
}

/** The digits after the point of a currency (2 for TWD, 0 for JPY), as the browser knows them. */
function exponent(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

/** Sums of minor units by currency as a person reads them: "1,287,654.32 TWD · 1,200 JPY". */
function totals(list) {
  if (!list || list.length === 0) return null;
  const loc = lang.get() === 'en' ? 'en-GB' : 'zh-TW';
  return list.map(({ currency, minor }) => {
    const e = exponent(currency);
    return `${(minor / 10 ** e).toLocaleString(loc, { minimumFractionDigits: e, maximumFractionDigits: e })} ${currency}`;
  }).join(' · ');
}

/** What the customer holds as owner or joint holder, open, summed by currency. */
function sums(accounts, pick) {
  const by = new Map();
  for (const a of accounts) {
    if (!pick(a) || a.balance_minor === null || a.status === 'closed' || !['owner', 'joint'].includes(a.role)) continue;
    by.set(a.currency, (by.get(a.currency) || 0) + a.balance_minor);
  }
  return totals([...by].map(([currency, minor]) => ({ currency, minor })));
}

const ASSETS = ['deposit', 'time_deposit', 'investment', 'insurance'];
const DEBTS = ['loan', 'card'];

// What the store knows today that the person at the counter should see first: each a row
// [message key, its values, level]; later ones (an open case, a lost card) are one line each.
const ALERTS = [
  (d) => d.party.status === 'deceased' && ['alertDeceased', {}, 'high'],
  (d) => (d.related_parties || []).filter((r) => r.status === 'deceased')
    .map((r) => ['alertRelativeDeceased', { name: r.name_zh || r.name_latin, relation: label('party_link_kind', r.relation) }, 'high']),
  (d) => (d.accounts || []).filter((a) => a.status === 'dormant')
    .map((a) => ['alertDormant', { account: a.number, product: a.product_name || a.product }, 'mid']),
  (d) => (d.accounts || []).filter((a) => a.status === 'frozen')
    .map((a) => ['alertFrozen', { account: a.number, product: a.product_name || a.product }, 'high']),
  (d, today) => (d.interactions || []).filter((i) => i.follow_up_on && i.follow_up_on <= today &&
      !(d.interactions || []).some((l) => l.at > i.at && l.at >= i.follow_up_on)) /* a contact when due is the follow-up */
    .map((i) => ['alertFollowUp', { on: date(i.follow_up_on), what: i.reason || i.notes || '' }, i.follow_up_on < today ? 'high' : 'mid']),
  (d) => latestConsents(d.consents).filter((c) => !c.granted)
    .map((c) => ['alertWithdrawn', { purpose: label('consent_purpose', c.purpose), channel: label('consent_channel', c.channel), on: dateTime(c.effective_at) }, 'mid']),
];

/** Each purpose and channel's consent as it stands: the latest given. */
function latestConsents(consents) {
  const by = new Map();
  for (const c of consents || []) {
    const k = `${c.purpose}/${c.channel}`;
    if (!by.has(k) || (by.get(k).effective_at || '') < (c.effective_at || '')) by.set(k, c);
  }
  return [...by.values()];
}

/** The summary header: what the customer holds and is worth, may be contacted by, and what needs attention. */
function Summary({ d, me, scores, reach, home }) {
  const accounts = d.accounts || [];
  const assets = sums(accounts, (a) => ASSETS.includes(a.product_kind));
  const debts = sums(accounts, (a) => DEBTS.includes(a.product_kind));
  const products = [...new Set(accounts.filter((a) => a.status !== 'closed').map((a) => a.product_name || a.product))];
  const latest = (names) => (scores || []).find((s) => names.includes(s.analysis));
  const value = latest(['value', 'pareto', 'pyramid']);
  const seg = latest(['segment']);
  const cluster = latest(['cluster']);
  const beh = latest(['behaviour']);
  const types = (beh?.result.types || '').split(',').filter((x) => x);
  const today = taipeiToday();
  // a rule gives one alert ([key, values, level]), several ([[...], ...]), or none (false, [])
  const alerts = ALERTS.flatMap((f) => { const a = f(d, today); return !a || a.length === 0 ? [] : Array.isArray(a[0]) ? a : [a]; });
  const household = (home?.members || []).filter((r) => r.relation !== 'self');
  const allowed = reach?.channels?.filter((c) => c.allowed) || null;
  return (
    <section class="card summary" data-test="summary">
      <dl class="facts wide">
        <dt>{t('assets')}</dt><dd data-test="summary-assets">{assets || t('none')}</dd>
        <dt>{t('debts')}</dt><dd data-test="summary-debts">{debts || t('none')}</dd>
        <dt>{t('productsHeld')}</dt><dd data-test="summary-products">{products.length ? `${products.length}：${products.join('、')}` : t('none')}</dd>
        {value && <><dt>{t('pyramidLevel')}</dt><dd data-test="summary-level">{term('level_', value.result.level)}</dd></>}
        {seg && <><dt>{t('segmentLabel')}</dt><dd>{seg.result.segment}</dd></>}
        {beh && <><dt>{t('behaviour')}</dt><dd data-test="summary-behaviour">{(types.length ? types : ['general']).map((x) => term('btype_', x)).join('、')}</dd></>}
        {beh?.result.risk_grade && <><dt>{t('riskGrade')}</dt><dd data-test="summary-grade">{beh.result.risk_grade} {term('grade_', beh.result.risk_grade)}</dd></>}
        {cluster && <><dt>{label('analysis', 'cluster')}</dt><dd>{segmentWords('cluster', cluster.result.segment)}</dd></>}
        {allowed && (
          <><dt>{t('mayContact')}</dt>
            <dd data-test="summary-contact">{allowed.length ? allowed.map((c) => label('contact_channel', c.channel)).join('、') : t('contactNone')}</dd></>
        )}
      </dl>
      {alerts.length > 0 && (
        <ul class="alerts" data-test="alerts">
          {alerts.map(([k, v, level], i) => <li key={i} class={`alert ${level}`} data-alert={k}>{t(k, v)}</li>)}
        </ul>
      )}
      {household.length > 0 && (
        <p class="household" data-test="household">{t('householdOf')}{' '}
          {household.map((r, i) => (
            <span key={r.party_id}>{i > 0 && '、'}{label('party_link_kind', r.relation)} <Relative r={r} me={me} /></span>
          ))}
        </p>
      )}
      {household.length > 0 && (
        <p class="household" data-test="household-value">{t('householdValue', {
          assets: totals(home.combined.assets) || t('none'), debts: totals(home.combined.debts) || t('none'), n: home.combined.accounts })}
        {home.not_counted > 0 && <small class="muted"> {t('householdNotCounted', { n: home.not_counted })}</small>}
        </p>
      )}
      <div class="next-best" data-test="next-best" hidden>{/* the campaigns issue fills it: leads and the next-best offer */}</div>
    </section>
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
  const [home] = useLoad(() => api('GET', '/customers/{id}/household', { params: { id } }), [id]);
  const [reach, , reloadReach] = useLoad(
    () => (can(me, 'view') ? api('GET', '/customers/{id}/contactable', { params: { id } }) : Promise.resolve(null)), [id]);
  if (error) return <p class="error" role="alert" data-test="customer-error">{t('error', { msg: errorText(error) })}</p>;
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
      <Summary d={d} me={me} scores={scores?.scores} reach={reach} home={home} />
      <div class="grid">
        {can(me, 'view') && (
          <Card title={t('offers')} test="offers">
            <Offers id={id} me={me} />
          </Card>
        )}
        {can(me, 'view') && (
          <Card title={t('customerEvents')} test="events">
            <CustomerEvents id={id} />
          </Card>
        )}
        <Card title={t('scores')} test="scores">
          <Scores scores={scores?.scores} />
        </Card>
        <Card title={t('predictions')} test="predictions">
          <Predictions predictions={scores?.predictions} />
        </Card>
        <Card title={t('identifiers')} test="identifiers">
          <Table test="identifiers-table" rows={d.identifiers}
            cols={[['kind', (r) => label('identifier_type', r.type)], ['value', (r) => <code>{r.value}</code>], ['source', (r) => r.issuer || '']]} />
        </Card>
        <Card title={t('contacts')} test="contacts">
          <Table rows={d.contact_points}
            cols={[['kind', (r) => label('contact_kind', r.kind)], ['purpose', (r) => label('contact_purpose', r.purpose)], ['value', (r) => (['mobile', 'phone', 'fax'].includes(r.kind) ? phone(r.value) : r.value)],
              ['validFrom', (r) => date(r.valid_from)], ['validTo', (r) => date(r.valid_to)], ['source', (r) => r.source || '']]} />
          {can(me, 'edit') && <ContactForm id={id} onDone={refresh} />}
        </Card>
        <Card title={t('preferences')} test="preferences">
          <Preferences id={id} me={me} prefs={d.preferences || {}} onDone={refresh} key={JSON.stringify(d.preferences)} />
        </Card>
        <Card title={t('changes')} test="changes">
          <Table rows={changes?.changes}
            cols={[['date', (r) => dateTime(r.at)], ['by', (r) => r.by_user], ['field', changeField],
              ['oldValue', (r) => changeValue(r, r.old_value)], ['newValue', (r) => changeValue(r, r.new_value)], ['reason', (r) => r.reason ?? '']]} />
        </Card>
        <Card title={t('accounts')} test="accounts">
          <Table rows={d.accounts}
            cols={[['account', (r) => <code>{r.number}</code>], ['product', (r) => r.product_name], ['role', (r) => label('account_role', r.role)],
              ['status', (r) => label('account_status', r.status)], ['opened', (r) => date(r.opened_on)], ['balance', (r) => <span class="num">{money(r.balance)}</span>]]} />
        </Card>
        <Card title={t('related')} test="related">
          <Table rows={d.related_parties}
            cols={[['relation', (r) => label('party_link_kind', r.relation)], ['profile', (r) => <Relative r={r} me={me} />],
              ['status', (r) => label('party_status', r.status)], ['since', (r) => date(r.since)]]} />
        </Card>
        <Card title={t('transactions')} test="transactions">
          <Table rows={d.transactions}
            cols={[['date', (r) => dateTime(r.posted_at)], ['channel', (r) => label('txn_channel', r.channel)], ['description', (r) => r.description],
              ['amount', (r) => <span class={r.amount_minor < 0 ? 'num neg' : 'num'}>{money(r.amount)}</span>]]} />
        </Card>
        <Card title={t('notes')} test="notes">
          {can(me, 'note') && <NoteForm id={id} me={me} onDone={refresh} />}
          <Notes id={id} rows={d.interactions} />
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
