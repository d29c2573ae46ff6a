// Every analysis run kept, newest first; each opens its dashboard.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, t } from '../i18n.js';
import { date, dateTime } from '../format.js';
import { useSignal } from '../state.js';
import { label, loadVocabulary, vocabulary } from '../vocabulary.js';

export function Analyses() {
  useSignal(lang);
  useSignal(vocabulary);
  const [runs, setRuns] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    loadVocabulary().catch(() => { /* the kinds are shown by name until it comes */ });
    api('GET', '/analyses', { query: { limit: 200 } }).then((r) => setRuns(r.runs), (e) => setError(e));
  }, []);
  if (error) return <p class="error">{t('error', { msg: errorText(error) })}</p>;
  if (!runs) return <p class="notice">{t('loading')}</p>;
  return (
    <section class="card">
      <h2>{t('analyses')}</h2>
      <table data-test="runs">
        <thead><tr><th>{t('run')}</th><th>{t('kind')}</th><th>{t('asOf')}</th><th>{t('date')}</th><th>{t('headline')}</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.run}>
              <td><a href={`#/dashboards/${r.job}/${r.run}`}>{r.run}</a></td><td>{label('analysis', r.job)}</td><td>{date(r.as_of)}</td>
              <td>{dateTime(r.started_at)}</td><td>{r.headline}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
