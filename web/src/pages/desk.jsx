// The agent desktop (issue 25 items 6 and 7), #/desk: one screen for a contact-centre agent.  Their
// state (ready, a break with its reason, offline; taking over from another screen), the interactions
// routed to them with a running timer, the IVR path, why the engine chose them, and what they do with
// each: answer and end a chat or an e-mail (a chat's transcript and the box to answer the customer in,
// read again when the event stream says the customer wrote), transfer to a queue or a colleague with a note, schedule a
// call-back, wrap up with a disposition and a note.  The screen pop: the desk listens to the server's
// events (/contact/desk/events) and the moment a call is routed to the agent the caller's 360 opens
// under it (search with the number filled in when the caller is not known).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, t, term } from '../i18n.js';
import { useSignal } from '../state.js';
import { Card, useLoad } from '../ui.jsx';
import { Customer } from './customer.jsx';
import { Search } from './search.jsx';

const BREAKS = ['lunch', 'rest', 'training', 'meeting', 'coaching', 'personal'];
const DISPOSITIONS = ['resolved', 'information', 'complaint', 'sale', 'follow_up', 'wrong_number'];
/* a campaign's outbound call: the outcome its dialler and the campaign take (sale and refused its responses) */
const OUTBOUND_DISPOSITIONS = ['sale', 'refused', 'contact', 'callback', 'wrong_number'];
const VOICE = ['voice', 'callback', 'outbound'];

function Failure({ error }) {
  return error ? <p class="error" role="alert">{t('error', { msg: errorText(error) })}</p> : null;
}

/** Seconds since an instant, as m:ss (h:mm:ss past an hour). */
function elapsed(since, now) {
  if (!since) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const two = (n) => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

/** The engine's reason ("agent 117 (王小美): skill 信用卡 level 3, idle 94 s; voice waited 50 s, overflowed,
 * served this customer last") in the user's words; as it is when it has another shape. */
function whyText(why) {
  const m = /^agent \d+(?: \((.*)\))?: skill (.+) level (\d+), idle (\d+) s; (\w+) waited (\d+) s(, overflowed)?(, served this customer last)?$/.exec(why || '');
  if (!m) return why || '';
  return [t('whyRouted', { skill: m[2], level: m[3], idle: m[4], waited: m[6] }), m[7] ? t('whyOverflowed') : '', m[8] ? t('whyLastAgent') : '']
    .filter(Boolean).join(t('listSep'));
}

function useClock() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function StateControl({ desk, onChanged }) {
  const [reason, setReason] = useState(BREAKS[0]);
  const [failed, setFailed] = useState(null);
  const [conflict, setConflict] = useState(null);
  const now = useClock();
  const a = desk.agent;
  const go = async (state, takeOver = false) => {
    setFailed(null);
    try {
      const body = /** @type {any} */ ({ state });
      if (state === 'break') body.reason = reason;
      if (takeOver) body.take_over = true;
      await api('PUT', '/contact/desk/state', { body });
      setConflict(null);
      onChanged();
    } catch (e) {
      if (e.status === 409 && /another screen/.test(e.message)) setConflict(state);
      else setFailed(e);
    }
  };
  return (
    <Card title={t('deskState')} test="desk-state">
      <p class={`agent-state state-${a.state}`} data-test="agent-state">
        <strong>{t(`agentState_${a.state}`)}</strong>{a.reason ? ` (${term('break_', a.reason)})` : ''} · {elapsed(a.state_at, now)}
      </p>
      <div class="actions">
        <button type="button" data-test="go-ready" disabled={a.state === 'ready'} onClick={() => go('ready')}>{t('goReady')}</button>
        <select value={reason} onChange={(e) => setReason(e.currentTarget.value)} aria-label={t('breakReason')} data-test="break-reason">
          {BREAKS.map((b) => <option key={b} value={b}>{t(`break_${b}`)}</option>)}
        </select>
        <button type="button" data-test="go-break" onClick={() => go('break')}>{t('goBreak')}</button>
        <button type="button" data-test="go-offline" disabled={a.state === 'offline'} onClick={() => go('offline')}>{t('goOffline')}</button>
      </div>
      {conflict && (
        <p class="notice" role="alert" data-test="other-screen">{t('otherScreen')}{' '}
          <button type="button" data-test="take-over" onClick={() => go(conflict, true)}>{t('takeOver')}</button></p>
      )}
      <Failure error={failed} />
    </Card>
  );
}

function WrapUp({ ix, onDone }) {
  const codes = ix.channel === 'outbound' && ix.campaign ? OUTBOUND_DISPOSITIONS : DISPOSITIONS;
  const [disposition, setDisposition] = useState(codes[0]);
  const [note, setNote] = useState('');
  const [when, setWhen] = useState('');
  const [failed, setFailed] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    setFailed(null);
    try {
      await api('POST', '/contact/interactions/{id}/events', { params: { id: ix.id },
        body: { event: 'wrap_up', disposition, note: note || undefined,
          callback_at: disposition === 'callback' && when ? new Date(when).toISOString() : undefined } });
      onDone();
    } catch (err) {
      setFailed(err);
    }
  };
  return (
    <form class="inline" onSubmit={save} data-test="wrap-up">
      <label>{t('disposition')}{' '}
        <select value={disposition} onChange={(e) => setDisposition(e.currentTarget.value)} data-test="disposition">
          {codes.map((d) => <option key={d} value={d}>{t(`disposition_${d}`)}</option>)}
        </select></label>
      {disposition === 'callback' && (
        <label>{t('callBackAt')} <input type="datetime-local" value={when} required data-test="wrap-up-callback-at"
          onInput={(e) => setWhen(e.currentTarget.value)} /></label>
      )}
      <input name="note" maxLength={4000} placeholder={t('noteOptional')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <button type="submit" data-test="wrap-up-save">{t('wrapUpSave')}</button>
      <Failure error={failed} />
    </form>
  );
}

function Transfer({ ix, desk, onDone }) {
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [failed, setFailed] = useState(null);
  const go = async (e) => {
    e.preventDefault();
    if (!to) return;
    setFailed(null);
    const [kind, value] = to.split(':');
    try {
      await api('POST', '/contact/interactions/{id}/events', { params: { id: ix.id },
        body: { event: 'transfer', queue: kind === 'q' ? value : undefined, to_agent: kind === 'a' ? value : undefined, note: note || undefined } });
      onDone();
    } catch (err) {
      setFailed(err);
    }
  };
  return (
    <form class="inline" onSubmit={go} data-test="transfer">
      <select value={to} onChange={(e) => setTo(e.currentTarget.value)} aria-label={t('transferTo')} data-test="transfer-to">
        <option value="">{t('transferTo')}</option>
        {desk.queues.map((q) => <option key={q.code} value={`q:${q.code}`}>{t('queueN', { q: q.name })}</option>)}
        {desk.colleagues.map((c) => <option key={c.login} value={`a:${c.login}`}>{c.name} ({t(`agentState_${c.state}`)})</option>)}
      </select>
      <input name="transfer-note" maxLength={4000} placeholder={t('transferNote')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <button type="submit" disabled={!to}>{t('transfer')}</button>
      <Failure error={failed} />
    </form>
  );
}

function CallBack({ ix, desk, onDone }) {
  const [when, setWhen] = useState('');
  const [failed, setFailed] = useState(null);
  const [done, setDone] = useState(null);
  const go = async (e) => {
    e.preventDefault();
    if (!when) return;
    setFailed(null);
    const queue = (desk.queues.find((q) => q.code === ix.queue && q.channel === 'voice') || desk.queues.find((q) => q.channel === 'voice'))?.code || ix.queue;
    try {
      const r = await api('POST', '/contact/interactions', { body: { channel: 'callback', queue, external_id: `cb-${ix.id}-${Date.now()}`,
        address: ix.address || undefined, party_id: ix.party_id || undefined, reason: ix.reason || undefined,
        callback_at: new Date(when).toISOString() } });
      setDone(r.interaction.id);
      onDone();
    } catch (err) {
      setFailed(err);
    }
  };
  return (
    <form class="inline" onSubmit={go} data-test="callback">
      <label>{t('callBackAt')} <input type="datetime-local" value={when} onInput={(e) => setWhen(e.currentTarget.value)} /></label>
      <button type="submit" disabled={!when}>{t('scheduleCallBack')}</button>
      {done && <span class="ok">{t('callBackScheduled', { n: done })}</span>}
      <Failure error={failed} />
    </form>
  );
}

/** A chat's transcript and the box to answer in: read again every two seconds and whenever the desk's
 * event stream says the customer wrote (bump); everything shown as text. */
function Chat({ ix, me, bump, onChanged }) {
  const [msgs, setMsgs] = useState(/** @type {any[]} */ ([]));
  const [name, setName] = useState(null);
  const [text, setText] = useState('');
  const [failed, setFailed] = useState(null);
  const last = useRef(0);
  const read = async () => {
    try {
      const r = await api('GET', '/contact/interactions/{id}/messages', { params: { id: ix.id }, query: { after: last.current } });
      if (r.messages.length) {
        last.current = r.last_seq;
        setMsgs((m) => m.concat(r.messages));
      }
      setName(r.name);
    } catch (e) {
      setFailed(e);
    }
  };
  useEffect(() => {
    read();
    const id = setInterval(read, 2000);
    return () => clearInterval(id);
  }, [ix.id]);
  useEffect(() => { if (bump) read(); }, [bump]);
  const send = async (e) => {
    e.preventDefault();
    if (!text.trim()) return;
    setFailed(null);
    try {
      await api('POST', '/contact/interactions/{id}/messages', { params: { id: ix.id }, body: { text } });
      setText('');
      read();
      if (ix.state === 'assigned') onChanged(); /* answering accepted it */
    } catch (err) {
      setFailed(err);
    }
  };
  const who = (m) => m.from === 'customer' ? (name ? t('chatCustomerNamed', { name }) : t('chatCustomer'))
    : m.agent === me?.user ? t('chatAgentMe') : t('chatAgentOther', { login: m.agent || '' });
  const open = ix.state === 'assigned' || ix.state === 'connected';
  return (
    <div class="chat" data-test="chat">
      <h3>{t('chatTranscript')}</h3>
      <ol class="transcript" data-test="chat-transcript">
        {msgs.length === 0 && <li class="none">{t('chatNone')}</li>}
        {msgs.map((m) => (
          <li key={m.seq} class={`msg ${m.from}`} data-test={`chat-${m.from}`}>
            {m.from === 'system'
              ? <em>{m.text === 'customer_ended' ? t('chatCustomerEnded') : m.text}</em>
              : <><strong>{who(m)}</strong> <span class="text">{m.text}</span></>}
          </li>
        ))}
      </ol>
      {open ? (
        <form class="inline" onSubmit={send} data-test="chat-reply">
          <textarea name="chat-text" rows={2} maxLength={2000} aria-label={t('chatMessage')} placeholder={t('chatMessage')}
            value={text} onInput={(e) => setText(e.currentTarget.value)} data-test="chat-text" />
          <button type="submit" data-test="chat-send" disabled={!text.trim()}>{t('chatSend')}</button>
        </form>
      ) : <p class="notice" data-test="chat-ended">{t('chatEnded')}</p>}
      <Failure error={failed} />
    </div>
  );
}

function Interaction({ ix, desk, now, onChanged, me, bump }) {
  const [failed, setFailed] = useState(null);
  const step = async (event) => {
    setFailed(null);
    try {
      await api('POST', '/contact/interactions/{id}/events', { params: { id: ix.id }, body: { event } });
      onChanged();
    } catch (e) {
      setFailed(e);
    }
  };
  const voice = VOICE.includes(ix.channel);
  const since = ix.state === 'wrap_up' ? ix.wrap_at : ix.connected_at || ix.assigned_at;
  return (
    <section class="card interaction" data-test={`interaction-${ix.id}`}>
      <h2>{t(`ccChannel_${ix.channel}`)} · {ix.address || t('unknownCaller')} <span class="timer" data-test="timer">{elapsed(since, now)}</span></h2>
      <dl class="facts">
        <dt>{t('queue')}</dt><dd>{ix.queue}</dd>
        <dt>{t('ixState')}</dt><dd data-test="ix-state">{t(`ixState_${ix.state}`)}</dd>
        {ix.ivr_path && <><dt>{t('ivrPath')}</dt><dd data-test="ivr-path">{ix.ivr_path}</dd></>}
        {ix.reason && <><dt>{t('callReason')}</dt><dd>{ix.reason}</dd></>}
        {ix.parties > 1 && <><dt>{t('sharedNumber')}</dt><dd>{t('sharedNumberN', { n: ix.parties })}</dd></>}
        {ix.note && <><dt>{t('ixNote')}</dt><dd>{ix.note}</dd></>}
        <dt>{t('routedWhy')}</dt><dd class="why" data-test="why">{whyText(ix.why)}</dd>
      </dl>
      <div class="actions">
        {!voice && ix.state === 'assigned' && <button type="button" data-test="accept" onClick={() => step('answered')}>{t('accept')}</button>}
        {!voice && ix.state === 'connected' && <button type="button" data-test="end" onClick={() => step('ended')}>{t('endContact')}</button>}
      </div>
      {ix.channel === 'chat' && <Chat ix={ix} me={me} bump={bump} onChanged={onChanged} />}
      {(ix.state === 'connected' || ix.state === 'wrap_up') && <WrapUp ix={ix} onDone={onChanged} />}
      {ix.state === 'connected' && <Transfer ix={ix} desk={desk} onDone={onChanged} />}
      {ix.state !== 'assigned' && <CallBack ix={ix} desk={desk} onDone={onChanged} />}
      <Failure error={failed} />
    </section>
  );
}

/** The screen pop: the caller's 360, or a search with their number when they are not known. */
function Pop({ ix, me }) {
  if (ix.party_id) return <div data-test="pop-customer"><Customer id={String(ix.party_id)} me={me} key={ix.party_id} /></div>;
  return (
    <Card title={t('unknownCaller')} test="pop-search">
      <p class="notice">{t('unknownCallerHint', { n: ix.address || '' })}</p>
      <Search initial={ix.address || ''} key={ix.id} />
    </Card>
  );
}

export function Desk({ me }) {
  useSignal(lang);
  const [desk, error, reload] = useLoad(() => api('GET', '/contact/desk'), []);
  const [live, setLive] = useState(false);
  const [popped, setPopped] = useState(null);
  const [chatBump, setChatBump] = useState(/** @type {Record<number, number>} */ ({}));
  const now = useClock();
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useEffect(() => {
    // the screen pop: an event the moment something is routed to this agent
    const es = new EventSource('/api/v1/contact/desk/events');
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    es.addEventListener('assigned', (e) => {
      const a = JSON.parse(/** @type {MessageEvent} */ (e).data);
      setPopped(a.interaction);
      reloadRef.current();
    });
    // a customer wrote in a chat of theirs, or ended it: its transcript read now
    es.addEventListener('chat', (e) => {
      const c = JSON.parse(/** @type {MessageEvent} */ (e).data);
      setChatBump((b) => ({ ...b, [c.interaction]: (b[c.interaction] || 0) + 1 }));
      if (c.what === 'ended') reloadRef.current();
    });
    // what another server had for this screen, too large to pass through the store: read the desk again
    es.addEventListener('refresh', () => reloadRef.current());
    // the desk read again now and then: the screen's sign of life, and what changed at the switch
    const id = setInterval(() => reloadRef.current(), 15000);
    return () => { es.close(); clearInterval(id); };
  }, []);
  if (error) return <Failure error={error} />;
  if (!desk) return <p class="notice">{t('loading')}</p>;
  const open = desk.interactions;
  const current = open.find((i) => i.id === popped) || open[open.length - 1];
  return (
    <div class="desk" data-test="desk">
      <div class="grid">
        <StateControl desk={desk} onChanged={reload} />
        <Card title={t('myInteractions')} test="my-interactions" actions={<span class={live ? 'ok' : 'hint'} data-test="live">{t(live ? 'deskLive' : 'deskNotLive')}</span>}>
          {open.length === 0 ? <p class="none">{t('noInteractions')}</p> : open.map((ix) => (
            <Interaction key={ix.id} ix={ix} desk={desk} now={now} onChanged={reload} me={me} bump={chatBump[ix.id] || 0} />
          ))}
        </Card>
      </div>
      {current && <Pop ix={current} me={me} />}
    </div>
  );
}
