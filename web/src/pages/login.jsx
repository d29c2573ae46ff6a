import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, setLang, t } from '../i18n.js';
import { useSignal } from '../state.js';

export function Login({ onSignedIn, notice = null }) {
  useSignal(lang);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // the one-time code goes only when typed: users without a second factor leave it empty
      onSignedIn(await api('POST', '/session', { body: otp ? { name, password, otp } : { name, password } }));
    } catch (err) {
      // locked out by failed sign-ins (429): said in the user's language, with when to try again (issue 22 item 7)
      if (err.status === 429 && err.retryAfter) {
        const at = new Date(Date.now() + err.retryAfter * 1000);
        setError(t('lockedOutFor', { minutes: Math.ceil(err.retryAfter / 60),
          time: at.toLocaleTimeString(lang.get() === 'en' ? 'en-GB' : 'zh-TW', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Taipei' }) }));
      } else if (err.status === 429) setError(t('lockedOutAdmin'));
      else setError(t('signInFailed', { msg: errorText(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login" onSubmit={submit}>
      <h1>{t('app')}</h1>
      {notice && <p class="banner" role="status" data-test="session-ended">{notice}</p>}
      <label>
        {t('userName')}
        <input name="name" autocomplete="username" value={name} onInput={(e) => setName(e.currentTarget.value)} required />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autocomplete="current-password" value={password}
          onInput={(e) => setPassword(e.currentTarget.value)} required />
      </label>
      <label>
        {t('oneTimeCode')}
        <input name="otp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength={7}
          data-test="otp" value={otp} onInput={(e) => setOtp(e.currentTarget.value)} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{t('signIn')}</button>
      <button type="button" class="link" onClick={() => setLang(lang.get() === 'en' ? 'zh-TW' : 'en')}>{t('language')}</button>
    </form>
  );
}

// One's own password changed (PUT /session/password): the current one, the
// new one twice.  While the password has expired it is all there is to do.
export function ChangePassword({ expired, onDone }) {
  useSignal(lang);
  const [f, setF] = useState({ password: '', fresh: '', again: '' });
  const [error, setError] = useState(null);
  const [ok, setOk] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    if (f.fresh !== f.again) {
      setError(t('passwordsDiffer'));
      return;
    }
    try {
      await api('PUT', '/session/password', { body: { password: f.password, new_password: f.fresh } });
      setError(null);
      setOk(true);
      setF({ password: '', fresh: '', again: '' });
      onDone();
    } catch (err) {
      setError(t('error', { msg: errorText(err) }));
      setOk(false);
    }
  };
  return (
    <form class="login" data-test="password-form" onSubmit={submit}>
      <h1>{t('changePassword')}</h1>
      {expired && <p class="notice" data-test="password-expired">{t('passwordExpired')}</p>}
      <label>
        {t('currentPassword')}
        <input name="password" type="password" autocomplete="current-password" value={f.password} onInput={set('password')} required />
      </label>
      <label>
        {t('newPassword')}
        <input name="new_password" type="password" autocomplete="new-password" value={f.fresh} onInput={set('fresh')} required />
      </label>
      <label>
        {t('newPasswordAgain')}
        <input name="again" type="password" autocomplete="new-password" value={f.again} onInput={set('again')} required />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      {ok && <p class="banner" data-test="password-changed">{t('passwordChanged')}</p>}
      <button type="submit">{t('changePassword')}</button>
    </form>
  );
}
