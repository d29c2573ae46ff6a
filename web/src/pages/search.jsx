// One box: a name (the start of the Chinese or romanised name), a national
// ID, a phone, an account or card number (with its dashes or without) or an
// e-mail; results as the user types, the viewer's own branch first.  The
// arrows move through the results and Enter opens one.  A name that finds
// more than the server shows says so, and offers to narrow by birth date
// (a year, a month or a day) or branch.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, t } from '../i18n.js';
import { date } from '../format.js';
import { useSignal } from '../state.js';
import { label, loadVocabulary, vocabulary } from '../vocabulary.js';

const enough = (q) => /[\u3400-\u9fff]/.test(q) || q.trim().length >= 2;

/** "1985", "1985-03", "1985-03-14" or "" (a ROC year such as 74 is taken as 1985). */
export function bornFilter(s) {
  const v = s.trim().replaceAll('/', '-');
  const roc = /^(\d{2,3})(-\d{1,2}(-\d{1,2})?)?$/.exec(v);
  const y = roc ? String(+roc[1] + 1911) + (roc[2] || '') : v;
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(y);
  if (!m) return null;
  return [m[1], m[2] && m[2].padStart(2, '0'), m[3] && m[3].padStart(2, '0')].filter(Boolean).join('-');
}

export function Hits({ hits, more, limit, active = -1, onOpen }) {
  return (
    <ul class="hits" data-test="hits" role="listbox">
      {hits.length === 0 && <li class="none">{t('noResults')}</li>}
      {hits.map((c, i) => (
        <li key={c.id} role="option" aria-selected={i === active} class={i === active ? 'active' : ''}>
          <a href={`#/customer/${c.id}`} onClick={(e) => { e.preventDefault(); onOpen(c.id); }}>
            <strong>{c.name_zh}</strong> <span>{c.name_latin}</span>
            <small>
              {t('born')} {date(c.birth_date)} · {t('branch')} {c.home_branch} · {label('party_status', c.status)}
              {c.matched && ` · ${t('matchedBy', { how: t(`how_${c.matched}`) })}`}
            </small>
          </a>
        </li>
      ))}
      {more && <li class="more" data-test="more">{t('moreHits', { n: limit })}</li>}
    </ul>
  );
}

export function Search({ compact = false, initial = '' }) {
  useSignal(lang);
  useSignal(vocabulary);
  useEffect(() => { loadVocabulary().catch(() => { /* statuses are shown by their code until it comes */ }); }, []);
  const [q, setQ] = useState(initial);
  const [born, setBorn] = useState('');
  const [branch, setBranch] = useState('');
  const [found, setFound] = useState(null);
  const [active, setActive] = useState(-1);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const bornOk = born.trim() === '' || bornFilter(born) !== null;
  useEffect(() => {
    if (!enough(q) || !bornOk) {
      setFound(null);
      return undefined;
    }
    const my = ++seq.current;
    const timer = setTimeout(async () => {
      setBusy(true);
      try {
        const r = await api('GET', '/customers', { query: { q: q.trim(), born: bornFilter(born) || undefined, branch: branch.trim() || undefined } });
        if (my === seq.current) {
          setFound(r);
          setActive(r.customers.length === 1 ? 0 : -1);
          setError(null);
        }
      } catch (e) {
        if (my === seq.current) {
          const none = e.status === 404 || (e.status === 422 && /^q:/.test(e.message));
          setFound(none ? { customers: [], more: false, limit: 0 } : null);
          setError(none ? null : e);
        }
      } finally {
        if (my === seq.current) setBusy(false);
      }
    }, 150); // the server answers in milliseconds: a short pause between keys is enough
    return () => clearTimeout(timer);
  }, [q, born, branch]);
  const open = (id) => {
    setQ('');
    setBorn('');
    setBranch('');
    setFound(null);
    location.hash = `#/customer/${id}`;
  };
  const hits = found?.customers || [];
  const key = (e) => {
    if (e.key === 'ArrowDown' && hits.length) { e.preventDefault(); setActive((active + 1) % hits.length); }
    if (e.key === 'ArrowUp' && hits.length) { e.preventDefault(); setActive(active <= 0 ? hits.length - 1 : active - 1); }
    if (e.key === 'Enter' && hits[active]) { e.preventDefault(); open(hits[active].id); }
    if (e.key === 'Escape') { setQ(''); setFound(null); }
  };
  const refining = found?.more || born !== '' || branch !== '';
  return (
    <div class={compact ? 'search compact' : 'search'}>
      <input
        type="search"
        data-test="search"
        placeholder={t('searchHint')}
        aria-label={t('search')}
        aria-autocomplete="list"
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
        onKeyDown={key}
      />
      {busy && <span class="hint">{t('searching')}</span>}
      {error && <p class="error">{errorText(error)}</p>}
      {found && (
        <div class="found">
          {refining && (
            <div class="refine" data-test="refine">
              <input name="born" data-test="refine-born" placeholder={t('refineBorn')} value={born} size={10}
                onInput={(e) => setBorn(e.currentTarget.value)} onKeyDown={key} aria-invalid={!bornOk} />
              <input name="branch" data-test="refine-branch" placeholder={t('branch')} value={branch} size={5}
                onInput={(e) => setBranch(e.currentTarget.value)} onKeyDown={key} />
              {!bornOk && <small class="error">{t('refineBornHint')}</small>}
            </div>
          )}
          <Hits hits={hits} more={found.more} limit={found.limit} active={active} onOpen={open} />
        </div>
      )}
    </div>
  );
}

// A link another program makes (a telephone switch's screen pop, internet banking):
//   #/?phone=0912345678   #/customer?account=0012-100-000001   #/customer?id=12   #/?q=A123456789
// with phone, account, card, id (national ID or the customer number), email or q: one customer
// found opens their 360 (the address replaced, so that Back does not come here again); more than
// one are listed; none is said.
const LOOKUP_KEYS = { phone: 'phone:', account: 'acct:', card: 'acct:', nid: 'nid:', email: 'email:', customer: 'id:', q: '' };

/** The lookup an address asks for, or null: {key, value, q}. */
export function lookupOf(hash) {
  const m = /^#\/(?:customer)?\?(.*)$/.exec(hash);
  if (!m) return null;
  const p = new URLSearchParams(m[1]);
  for (const [k, prefix] of Object.entries(LOOKUP_KEYS)) {
    const v = p.get(k);
    if (v && v.trim()) return { key: k, value: v.trim(), q: prefix + v.trim() };
  }
  const id = p.get('id');
  if (id && /^\d+$/.test(id.trim())) return { key: 'customer', value: id.trim(), q: `id:${id.trim()}` };
  if (id && id.trim()) return { key: 'nid', value: id.trim(), q: id.trim() };
  return null;
}

export function Lookup({ what }) {
  useSignal(lang);
  useSignal(vocabulary);
  const [found, setFound] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('GET', '/customers', { query: { q: what.q } }).then((r) => {
      if (r.customers.length === 1) location.replace(`#/customer/${r.customers[0].id}`);
      else setFound(r);
    }, (e) => {
      if (e.status === 404 || e.status === 422) setFound({ customers: [], more: false, limit: 0 });
      else setError(e);
    });
  }, [what.q]);
  if (error) return <p class="error" role="alert" data-test="lookup-error">{t('error', { msg: errorText(error) })}</p>;
  if (!found) return <p class="notice">{t('searching')}</p>;
  return (
    <div class="lookup" data-test="lookup">
      <p class={found.customers.length ? 'notice' : 'none'}>
        {t(found.customers.length ? 'lookupMany' : 'lookupNone', { what: what.value })}
      </p>
      {found.customers.length > 0 && (
        <Hits hits={found.customers} more={found.more} limit={found.limit} onOpen={(id) => { location.hash = `#/customer/${id}`; }} />
      )}
    </div>
  );
}
