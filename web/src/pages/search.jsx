// One box: a name (the start of the Chinese or romanised name), a national
// ID, a phone, an account number or an e-mail; results as the user types.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { lang, t } from '../i18n.js';
import { date } from '../format.js';
import { useSignal } from '../state.js';

const enough = (q) => /[\u3400-\u9fff]/.test(q) || q.trim().length >= 2;

export function Search({ compact = false }) {
  useSignal(lang);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  useEffect(() => {
    if (!enough(q)) {
      setHits(null);
      return undefined;
    }
    const my = ++seq.current;
    const timer = setTimeout(async () => {
      setBusy(true);
      try {
        const r = await api('GET', '/customers', { query: { q: q.trim() } });
        if (my === seq.current) {
          setHits(r.customers);
          setError(null);
        }
      } catch (e) {
        if (my === seq.current) {
          setHits(null);
          setError(e.status === 404 || e.status === 422 ? null : e.message);
          if (e.status === 404 || e.status === 422) setHits([]);
        }
      } finally {
        if (my === seq.current) setBusy(false);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [q]);
  const open = (id) => {
    setQ('');
    setHits(null);
    location.hash = `#/customer/${id}`;
  };
  return (
    <div class={compact ? 'search compact' : 'search'}>
      <input
        type="search"
        data-test="search"
        placeholder={t('searchHint')}
        aria-label={t('search')}
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && hits && hits.length === 1) open(hits[0].id);
          if (e.key === 'Escape') setQ('');
        }}
      />
      {busy && <span class="hint">{t('searching')}</span>}
      {error && <p class="error">{t('error', { msg: error })}</p>}
      {hits && (
        <ul class="hits" data-test="hits">
          {hits.length === 0 && <li class="none">{t('noResults')}</li>}
          {hits.map((c) => (
            <li key={c.id}>
              <a href={`#/customer/${c.id}`} onClick={(e) => { e.preventDefault(); open(c.id); }}>
                <strong>{c.name_zh}</strong> <span>{c.name_latin}</span>
                <small>
                  {t('born')} {date(c.birth_date)} · {t('branch')} {c.home_branch} · {c.status}
                  {c.matched && ` · ${t('matchedBy', { how: c.matched })}`}
                </small>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
