// The web application: sign-in, then screens by the user's permissions.
// Routes live in the address's hash (#/customer/12), so the server needs
// no fallback and a link can be shared.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrf, ApiError, sessionEnded } from './api.js';
import { lang, roc, setLang, setRoc, t } from './i18n.js';
import { useSignal } from './state.js';
import { ChangePassword, Login } from './pages/login.jsx';
import { Lookup, Search, lookupOf } from './pages/search.jsx';
import { Customer } from './pages/customer.jsx';
import { CallingList, CallingLists, FollowUps } from './pages/worklist.jsx';
import { Leads } from './pages/leads.jsx';
import { Events } from './pages/events.jsx';
import { Desk } from './pages/desk.jsx';
import { Wallboard } from './pages/wallboard.jsx';
import { Campaign, Campaigns } from './pages/campaigns.jsx';
import { Analyses } from './pages/analyses.jsx';
import { Models } from './pages/models.jsx';
import { Dashboards } from './pages/dashboards.jsx';
import { Job, Jobs, NewFile, Review } from './pages/steward.jsx';
import { Audit, Users } from './pages/admin.jsx';

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

// The screens a user may open, by permission.
const MENU = [
  ['search', '#/', 'menuSearch'],
  ['answer', '#/desk', 'menuDesk'],
  ['centre', '#/wallboard', 'menuWallboard'],
  ['analysis', '#/dashboards/pareto', 'menuDashboards'],
  ['analysis', '#/analyses', 'analyses'],
  ['analysis', '#/models', 'menuModels'],
  ['campaigns', '#/campaigns', 'menuCampaigns'],
  ['campaigns', '#/events', 'menuEvents'],
  ['etl', '#/jobs', 'menuJobs'],
  ['etl', '#/review', 'menuReview'],
  ['etl', '#/new-file', 'menuNewFile'],
  ['users', '#/users', 'users'],
  ['audit', '#/audit', 'auditTrail'],
];

// "#/dashboards/rfm/4" -> "dashboards"; the customer 360 belongs to search
const section = (h) => { const s = h.split('/')[1] || ''; return s === 'customer' ? '' : s; };

function Header({ me, onSignOut, hash }) {
  useSignal(lang);
  const rocOn = useSignal(roc);
  const items = MENU.filter(([p]) => can(me, p));
  return (
    <header class="top">
      <a class="brand" href="#/">{t('app')}</a>
      {items.length > 1 && (
        <nav class="menu" data-test="menu">
          {items.map(([, href, key]) => (
            <a key={href} href={href} class={section(href) === section(hash) ? 'on' : ''}>{t(key)}</a>
          ))}
        </nav>
      )}
      {can(me, 'search') && <Search compact />}
      <span class="spacer" />
      <span class="who" data-test="who">{t('welcome', { user: me.user, role: t(`role_${me.role}`) })}</span>
      <label class="roc">
        <input type="checkbox" checked={rocOn} onChange={(e) => setRoc(e.currentTarget.checked)} />
        {t('rocYears')}
      </label>
      <button class="link" data-test="lang" onClick={() => setLang(lang.get() === 'en' ? 'zh-TW' : 'en')}>
        {t('language')}
      </button>
      <a class="link" href="#/password" data-test="change-password">{t('changePassword')}</a>
      <button class="link" data-test="sign-out" onClick={onSignOut}>{t('signOut')}</button>
    </header>
  );
}

function Home({ me }) {
  if (can(me, 'search')) {
    return (
      <><Search />{can(me, 'view') && <Leads me={me} />}{can(me, 'dial') && <CallingList />}{can(me, 'view') && <FollowUps />}{can(me, 'lists') && <CallingLists />}</>
    );
  }
  if (can(me, 'analysis')) return <Dashboards job="pareto" />;
  if (can(me, 'etl')) return <Jobs />;
  if (can(me, 'users')) return <Users me={me} />;
  if (can(me, 'audit')) return <Audit />;
  return <p class="notice">{t('noPermission', { role: t(`role_${me.role}`) })}</p>;
}

function App() {
  useSignal(lang);
  useSignal(roc);
  const [me, setMe] = useState(undefined);
  const [ended, setEnded] = useState(false);
  const hash = useHash();
  // the server says the session has ended (idle, signed out elsewhere, a password changed): sign in
  // again here, and the same screen comes back (the hash is kept; a note being written is kept too)
  sessionEnded.handler = () => {
    setCsrf(null);
    setEnded(true);
    setMe(null);
  };
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
        notice={ended ? t('sessionEnded') : null}
        onSignedIn={(s) => {
          setCsrf(s.csrf);
          setEnded(false);
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
  if (me.password_expired)
    return (
      <main>
        <ChangePassword expired onDone={() => setMe({ ...me, password_expired: false })} />
        <button class="link" data-test="sign-out" onClick={signOut}>{t('signOut')}</button>
      </main>
    );
  let page;
  let m;
  if (hash.startsWith('#/password')) page = <ChangePassword expired={false} onDone={() => {}} />;
  else if (lookupOf(hash)) page = <Lookup what={lookupOf(hash)} key={hash} />;
  else if ((m = /^#\/customer\/(\d+)/.exec(hash))) page = <Customer id={m[1]} me={me} key={m[1]} />;
  else if ((m = /^#\/dashboards\/([a-z-]+)(?:\/(\d+))?/.exec(hash))) page = <Dashboards job={m[1]} run={m[2] && +m[2]} key={m[1]} />;
  else if (hash.startsWith('#/analyses')) page = <Analyses />;
  else if (hash.startsWith('#/models')) page = <Models />;
  else if ((m = /^#\/campaigns\/([^/]+)/.exec(hash))) page = <Campaign code={decodeURIComponent(m[1])} me={me} key={m[1]} />;
  else if (hash.startsWith('#/campaigns')) page = <Campaigns me={me} />;
  else if (hash.startsWith('#/events')) page = <Events me={me} />;
  else if (hash.startsWith('#/desk')) page = <Desk me={me} />;
  else if (hash.startsWith('#/wallboard')) page = <Wallboard />;
  else if ((m = /^#\/jobs\/(\d+)/.exec(hash))) page = <Job id={m[1]} me={me} key={m[1]} />;
  else if (hash.startsWith('#/jobs')) page = <Jobs />;
  else if (hash.startsWith('#/review')) page = <Review />;
  else if (hash.startsWith('#/new-file')) page = <NewFile />;
  else if (hash.startsWith('#/users')) page = <Users me={me} />;
  else if (hash.startsWith('#/audit')) page = <Audit />;
  else page = <Home me={me} />;
  // a screen the role may not use, opened by hand, says so in the user's language, without its form (issue 22 item 7)
  const needs = [['#/customer', 'view'], ['#/dashboards', 'analysis'], ['#/analyses', 'analysis'], ['#/models', 'analysis'], ['#/campaigns', 'campaigns'], ['#/events', 'campaigns'], ['#/desk', 'answer'], ['#/wallboard', 'centre'], ['#/jobs', 'etl'],
    ['#/review', 'etl'], ['#/users', 'users'], ['#/audit', 'audit']].find(([h]) => hash.startsWith(h));
  if (needs && !can(me, needs[1])) page = <p class="notice" data-test="not-allowed">{t('noPermission', { role: t(`role_${me.role}`) })}</p>;
  return (
    <>
      <Header me={me} onSignOut={signOut} hash={hash} />
      <main>{page}</main>
    </>
  );
}

render(<App />, document.getElementById('app'));
