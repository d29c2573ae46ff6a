// The follow-ups due (GET /follow-ups): the notes with a follow-up date on or before today and no
// contact with the customer since, soonest first; the user's own or their branch's (the bank's
// for a role of every branch).  Each opens the customer's 360, where a note is the follow-up.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, roc, t } from '../i18n.js';
import { date, taipeiToday } from '../format.js';
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
