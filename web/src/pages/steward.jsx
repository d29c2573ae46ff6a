// The data steward's screens: load jobs with their counts rule by rule, the
// rejected records (masked; one revealed whole with a reason, audited;
// exportable, to correct and load again), and the pairs
// of source records waiting for a person to say whether they are one
// customer.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, roc, t } from '../i18n.js';
import { dateTime } from '../format.js';
import { useSignal } from '../state.js';
import { Card, Loading, PagedTable, Table, useLoad } from '../ui.jsx';

const n = (v) => (typeof v === 'number' ? v.toLocaleString() : v ?? '');

export function Jobs() {
  useSignal(lang);
  useSignal(roc);
  const [jobs, error] = useLoad(() => api('GET', '/jobs', { query: { limit: 200 } }), []);
  if (!jobs) return <Loading error={error} />;
  return (
    <Card title={t('loadJobs')} test="jobs">
      <Table test="jobs-table" rows={jobs.jobs}
        cols={[['job', (r) => <a href={`#/jobs/${r.job}`}>{r.job}</a>], ['status', (r) => <span class={`st-${r.status}`}>{t(`status_${r.status}`)}</span>],
          ['spec', (r) => r.spec], ['file', (r) => <code>{r.file}</code>], ['records', (r) => <span class="num">{n(r.records)}</span>],
          ['loaded', (r) => <span class="num">{n(r.loaded)}</span>], ['fixed', (r) => <span class="num">{n(r.fixed)}</span>],
          ['rejected', (r) => <span class={r.rejected ? 'num neg' : 'num'}>{n(r.rejected)}</span>],
          ['rate', (r) => <span class="num">{n(Math.round(r.records_per_second))}</span>],
          ['seconds', (r) => <span class="num">{r.seconds.toFixed(2)}</span>], ['date', (r) => dateTime(r.started_at)]]} />
    </Card>
  );
}

/** One rejected record in full, raw record included: asked for with a reason, and audited. */
function RevealReject({ job }) {
  const [record, setRecord] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const [shown, setShown] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      setShown(await api('POST', '/rejects/{job}/{record}/reveal',
        { params: { job: Number(job), record: Number(record) }, body: { reason } }));
    } catch (err) {
      setShown(null);
      setError(errorText(err));
    }
  };
  return (
    <form class="dialog" data-test="reject-reveal-form" onSubmit={submit}>
      <h3>{t('revealReject')}</h3>
      <label>{t('record')}
        <input name="record" type="number" min="1" value={record} onInput={(e) => setRecord(e.currentTarget.value)} required />
      </label>
      <label>{t('revealReason')}
        <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required minLength={5} />
      </label>
      <button type="submit">{t('reveal')}</button>
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
      {shown && (
        <dl class="facts" data-test="reject-revealed">
          <dt>{t('field')}</dt><dd>{shown.field}</dd>
          <dt>{t('value')}</dt><dd>{shown.value}</dd>
          <dt>{t('message')}</dt><dd>{shown.message}</dd>
          <dt>{t('rawRecord')}</dt><dd><code>{shown.raw}</code></dd>
          <dd class="banner">{t('revealed')}</dd>
        </dl>
      )}
    </form>
  );
}

export function Job({ id, me }) {
  useSignal(lang);
  useSignal(roc);
  const [rule, setRule] = useState('');
  const [job, error] = useLoad(() => api('GET', '/jobs/{id}', { params: { id } }), [id]);
  if (!job) return <Loading error={error} />;
  const rules = job.rules.filter((r) => r.outcome === 'rejected');
  const cols = ['record', 'offset', 'field', 'value', 'rule', 'message', 'status'];
  return (
    <>
      <Card title={`${t('job')} ${job.job} · ${job.spec} · ${job.file}`} test="job">
        <dl class="facts">
          <dt>{t('status')}</dt><dd>{t(`status_${job.status}`)} {job.message || ''}</dd>
          <dt>{t('records')}</dt><dd>{n(job.records)}</dd>
          <dt>{t('loaded')}</dt><dd>{n(job.loaded)}</dd>
          <dt>{t('fixed')}</dt><dd>{n(job.fixed)}</dd>
          <dt>{t('rejected')}</dt><dd>{n(job.rejected)}</dd>
          <dt>{t('date')}</dt><dd>{dateTime(job.started_at)} – {dateTime(job.finished_at)}</dd>
        </dl>
        <h3>{t('byRule')}</h3>
        <Table test="rules" rows={job.rules}
          cols={[['outcome', (r) => t(`outcome_${r.outcome}`)], ['rule', (r) => r.rule], ['field', (r) => r.field],
            ['count', (r) => <span class="num">{n(r.count)}</span>]]} />
      </Card>
      <Card title={t('rejectedRecords')} test="rejects">
        <label>{t('rule')}{' '}
          <select data-test="rule-filter" value={rule} onChange={(e) => setRule(e.currentTarget.value)}>
            <option value="">{t('all')}</option>
            {[...new Set(rules.map((r) => r.rule))].map((r) => <option key={r}>{r}</option>)}
          </select>
        </label>
        {/* paged on the server, every reject exported (issue 22 item 6) */}
        <PagedTable key={`${id}/${rule}`} name={`rejects-job${id}${rule ? '-' + rule : ''}`} test="rejects-table"
          columns={cols} labels={cols.map((c) => t(c))}
          exportHref={`/api/v1/rejects/export.csv?job=${encodeURIComponent(id)}${rule ? `&rule=${encodeURIComponent(rule)}` : ''}`}
          load={(after, limit) => api('GET', '/rejects', { query: { job: Number(id), limit, rule, after: after ?? undefined } })
            .then((r) => ({ rows: r.rejects.map((x) => cols.map((c) => x[c])), total: r.total, next: r.next }))} />
        <p class="hint">{t('rejectsMasked')}</p>
        {me?.permissions.includes('reveal_rejects') && <RevealReject job={id} />}
      </Card>
    </>
  );
}

function Pair({ p, onDecided }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const decide = async (accept) => {
    try {
      const r = await api('POST', '/matches/{pair}/decision', { params: { pair: p.pair }, body: note ? { accept, note } : { accept } });
      setDone(r.status);
      onDecided();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const ev = Object.entries(p.evidence).filter(([k, v]) => k !== 'records' && typeof v === 'string');
  return (
    <section class="card pair" data-test="pair">
      <h2>{t('pair')} {p.pair} <span class="num">{t('probability')} {(p.probability * 100).toFixed(1)}%</span></h2>
      <div class="pair-records">
        <span data-test="record-a">{p.evidence.records?.[0] || `#${p.a}`}</span>
        <span data-test="record-b">{p.evidence.records?.[1] || `#${p.b}`}</span>
      </div>
      {ev.length > 0 && (
        <table class="evidence"><tbody>{ev.map(([k, v]) => <tr key={k}><th>{t(`mf_${k}`)}</th><td class={`lv-${v.replaceAll(' ', '-')}`}>{t(`lv_${v}`)}</td></tr>)}</tbody></table>
      )}
      {done ? <p class="banner" data-test="decided">{t(`decided_${done}`)}</p> : (
        <div class="inline">
          <input name="note" placeholder={t('note')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button data-test="accept" onClick={() => decide(true)}>{t('samePerson')}</button>
          <button data-test="reject" class="secondary" onClick={() => decide(false)}>{t('notSamePerson')}</button>
        </div>
      )}
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
    </section>
  );
}

export function Review() {
  useSignal(lang);
  const [pairs, error] = useLoad(() => api('GET', '/matches', { query: { limit: 200 } }), []);
  const [decided, setDecided] = useState(0);
  if (!pairs) return <Loading error={error} />;
  return (
    <div data-test="review">
      <section class="card">
        <h2>{t('reviewQueue')}</h2>
        <p class="notice" data-test="review-count">{t('pairsWaiting', { n: pairs.pairs.length - decided })} {t('reviewHint')}</p>
      </section>
      {pairs.pairs.map((p) => <Pair key={p.pair} p={p} onDecided={() => setDecided((d) => d + 1)} />)}
    </div>
  );
}
