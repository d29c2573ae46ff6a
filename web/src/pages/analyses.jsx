// The analysis runs (dashboards come with issue 8's later parts).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { lang, t } from '../i18n.js';
import { dateTime } from '../format.js';
import { useSignal } from '../state.js';

export function Analyses() {
  useSignal(lang);
  const [runs, setRuns] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('GET', '/analyses').then((r) => setRuns(r.runs), (e) => setError(e.message));
  }, []);
  if (error) return <p class="error">{t('error', { msg: error })}</p>;
  if (!runs) return <p class="notice">{t('loading')}</p>;
  return (
    <section class="card">
      <h2>{t('analyses')}</h2>
      <table data-test="runs">
        <thead><tr><th>{t('run')}</th><th>{t('kind')}</th><th>{t('asOf')}</th><th>{t('date')}</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}><td>{r.id}</td><td>{r.job}</td><td>{r.as_of}</td><td>{dateTime(r.finished_at || r.started_at)}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
