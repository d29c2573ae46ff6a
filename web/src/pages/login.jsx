import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { lang, setLang, t } from '../i18n.js';
import { useSignal } from '../state.js';

export function Login({ onSignedIn }) {
  useSignal(lang);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api('POST', '/session', { body: { name, password } }));
    } catch (err) {
      setError(t('signInFailed', { msg: err.message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login" onSubmit={submit}>
      <h1>{t('app')}</h1>
      <label>
        {t('userName')}
        <input name="name" autocomplete="username" value={name} onInput={(e) => setName(e.currentTarget.value)} required />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autocomplete="current-password" value={password}
          onInput={(e) => setPassword(e.currentTarget.value)} required />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{t('signIn')}</button>
      <button type="button" class="link" onClick={() => setLang(lang.get() === 'en' ? 'zh-TW' : 'en')}>{t('language')}</button>
    </form>
  );
}
