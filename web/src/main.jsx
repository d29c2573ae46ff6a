// The web application: sign-in, then screens by the user's permissions.
// Routes live in the address's hash (#/customer/12), so the server needs
// no fallback and a link can be shared.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrf, ApiError } from './api.js';
import { lang, roc, setLang, setRoc, t } from './i18n.js';
import { useSignal } from './state.js';
import { Login } from './pages/login.jsx';
import { Search } from './pages/search.jsx';
import { Customer } from './pages/customer.jsx';
import { Analyses } from './pages/analyses.jsx';

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const f = () => setHash(location.hash || '#/');
    addEventListener('hashchange', f);
    return () => removeEventListener('hashchange', f);
  }, []);
  return hash;
}

export const can = (me, perm) => !!me && me.permissions.includes(perm);

function Header({ me, onSignOut }) {
  useSignal(lang);
  const rocOn = useSignal(roc);
  return (
    <header class="top">
      <a class="brand" href="#/">{t('app')}</a>
      {can(me, 'search') && <Search compact />}
      <span class="spacer" />
      <span class="who" data-test="who">{t('welcome', { user: me.user, role: me.role_title })}</span>
      <label class="roc">
        <input type="checkbox" checked={rocOn} onChange={(e) => setRoc(e.currentTarget.checked)} />
        {t('rocYears')}
      </label>
      <button class="link" data-test="lang" onClick={() => setLang(lang.get() === 'en' ? 'zh-TW' : 'en')}>
        {t('language')}
      </button>
      <button class="link" data-test="sign-out" onClick={onSignOut}>{t('signOut')}</button>
    </header>
  );
}

function Home({ me }) {
  if (can(me, 'search')) return <Search />;
  if (can(me, 'analysis')) return <Analyses />;
  return <p class="notice">{t('noPermission', { role: me.role_title })}</p>;
}

function App() {
  useSignal(lang);
  useSignal(roc);
  const [me, setMe] = useState(undefined);
  const hash = useHash();
  useEffect(() => {
    document.documentElement.lang = lang.get();
    api('GET', '/session')
      .then((s) => {
        setCsrf(s.csrf);
        setMe(s);
      })
      .catch((e) => {
        if (!(e instanceof ApiError) || e.status !== 401) console.error(e);
        setMe(null);
      });
  }, []);
  if (me === undefined) return <p class="notice">{t('loading')}</p>;
  if (!me)
    return (
      <Login
        onSignedIn={(s) => {
          setCsrf(s.csrf);
          setMe(s);
        }}
      />
    );
  const signOut = async () => {
    try {
      await api('DELETE', '/session');
    } finally {
      setCsrf(null);
      setMe(null);
      location.hash = '#/';
    }
  };
  let page;
  let m;
  if ((m = /^#\/customer\/(\d+)/.exec(hash))) page = <Customer id={m[1]} me={me} key={m[1]} />;
  else if (hash.startsWith('#/analyses')) page = <Analyses />;
  else page = <Home me={me} />;
  return (
    <>
      <Header me={me} onSignOut={signOut} />
      <main>{page}</main>
    </>
  );
}

render(<App />, document.getElementById('app'));
