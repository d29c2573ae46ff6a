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

/** Who is who measured against the bank's own truth file (rapport match evaluate). */
function Evaluate() {
  const [q, setQ] = useState(null);
  const [error, setError] = useState(null);
  const measure = async (e) => {
    e.preventDefault();
    const f = e.currentTarget.elements.truth.files[0];
    const specText = e.currentTarget.elements.spec.value.trim();
    if (!f) {
      setError(t('truthFileNeeded'));
      return;
    }
    setError(null);
    let spec;
    if (specText) {
      try {
        spec = JSON.parse(specText);
      } catch (x) {
        setError(t('specNotJson', { msg: String(x.message || x) }));
        return;
      }
    }
    try {
      setQ(await api('POST', '/matches/evaluate', { body: spec ? { truth: await f.text(), spec } : { truth: await f.text() } }));
    } catch (x) {
      setError(errorText(x));
    }
  };
  const pct = (x) => `${(x * 100).toFixed(2)}%`;
  return (
    <section class="card" data-test="evaluate">
      <h2>{t('evaluateTitle')}</h2>
      <p class="hint">{t('evaluateHint')}</p>
      <form class="inline" onSubmit={measure}>
        <label>{t('truthFile')} <input type="file" name="truth" accept=".csv,text/csv" /></label>
        <label>{t('matchSpec')} <textarea name="spec" rows={3} cols={40} data-test="evaluate-spec" placeholder='{"blocking": ["phone", {"all": ["area", "surname"]}]}' /></label>
        <button data-test="evaluate-run">{t('evaluate')}</button>
      </form>
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
      {q && (
        <table class="evidence" data-test="quality"><tbody>
          {['precision', 'recall', 'f1', 'blocking_recall'].map((k) => <tr key={k}><th>{t(`q_${k}`)}</th><td class="num" data-test={`q-${k}`}>{q[k].toFixed(4)}</td></tr>)}
          <tr><th>{t('q_review_share')}</th><td class="num">{pct(q.review_share)} ({q.for_review})</td></tr>
          {['true_pairs', 'found_pairs', 'right_pairs', 'missing_records'].map((k) => <tr key={k}><th>{t(`q_${k}`)}</th><td class="num">{q[k].toLocaleString()}</td></tr>)}
        </tbody></table>
      )}
    </section>
  );
}

/** Where there is no truth: links drawn at random by score, labelled here, and the precision they estimate. */
function Sample() {
  const [s, setS] = useState(null);
  const [labels, setLabels] = useState({});
  const [est, setEst] = useState(null);
  const [error, setError] = useState(null);
  const draw = async () => {
    setError(null); setEst(null); setLabels({});
    try { setS(await api('GET', '/matches/sample', { query: { size: 40 } })); } catch (x) { setError(errorText(x)); }
  };
  const estimate = async () => {
    setError(null);
    try {
      setEst(await api('POST', '/matches/sample/estimate', {
        body: { labels: s.pairs.map((p) => ({ stratum: p.stratum, stratum_links: p.stratum_links, label: labels[p.sample] || '' })) },
      }));
    } catch (x) { setError(errorText(x)); }
  };
  const who = (p, x) => `${p[x]} ${p[`${x}_name_zh`]} ${p[`${x}_name_latin`]} ${p[`${x}_birth`]}`;
  /* "name same; birth_date one part differs" in the screen's language */
  const said = (ev) => ev.split('; ').filter(Boolean).map((e) => {
    const at = e.indexOf(' ');
    return `${t(`mf_${e.slice(0, at)}`)} ${t(`lv_${e.slice(at + 1)}`)}`;
  }).join('；');
  return (
    <section class="card" data-test="sample">
      <h2>{t('sampleTitle')}</h2>
      <p class="hint">{t('sampleHint')}</p>
      <button data-test="sample-draw" onClick={draw}>{t('sampleDraw')}</button>
      {s && (
        <>
          <Table test="sample-table" rows={s.pairs}
            cols={[['sampleStratum', (p) => t(`stratum_${p.stratum}`)], ['sampleA', (p) => who(p, 'a')], ['sampleB', (p) => who(p, 'b')],
              ['evidence', (p) => said(p.evidence)],
              ['label', (p) => (
                <select data-test="sample-label" value={labels[p.sample] || ''} onChange={(e) => setLabels({ ...labels, [p.sample]: e.currentTarget.value })}>
                  <option value="">—</option><option value="same">{t('samePerson')}</option><option value="different">{t('notSamePerson')}</option>
                </select>)]]} />
          <button data-test="sample-estimate" onClick={estimate}>{t('sampleEstimate')}</button>
        </>
      )}
      {est && (
        <div data-test="estimate">
          <p class="notice" data-test="estimate-precision">{t('sampleResult', { p: est.precision.toFixed(4), low: est.low.toFixed(4), high: est.high.toFixed(4), n: est.labelled })}</p>
          <Table test="estimate-table" rows={est.strata}
            cols={[['sampleStratum', (r) => t(`stratum_${r.stratum}`)], ['sampleLinks', (r) => r.links.toLocaleString()], ['sampleLabelled', (r) => r.labelled],
              ['sampleSame', (r) => r.same], ['q_precision', (r) => (r.precision === null ? '' : r.precision.toFixed(4))]]} />
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
      <Evaluate />
      <Sample />
    </div>
  );
}

/** The first bytes of a file (a sample of it), as base64 for the API. */
async function sampleBase64(file) {
  const bytes = new Uint8Array(await file.slice(0, 1 << 18).arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const cell = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? `(${v.error})` : String(v));

/** A copybook's layout as a compiler's map: every item once, indented by its nesting. */
function Layout({ m }) {
  return (
    <div>
      <h3>{t('layoutTitle')}</h3>
      <p class="notice" data-test="layout-summary">{t(m.variable ? 'layoutSummaryVariable' : 'layoutSummary', { record: m.record, length: m.length, fields: m.fields.length })}</p>
      <Table test="layout-table" rows={m.items}
        cols={[['layoutLevel', (r) => String(r.level).padStart(2, '0')],
          ['layoutName', (r) => <code style={{ paddingLeft: `${r.depth}em` }}>{r.name}{r.redefines ? ` REDEFINES ${r.redefines}` : ''}</code>],
          ['layoutPicture', (r) => <code>{r.picture}</code>], ['layoutUsage', (r) => r.usage],
          ['layoutStart', (r) => <span class="num">{r.start}</span>], ['layoutEnd', (r) => <span class="num">{r.end}</span>],
          ['layoutLength', (r) => <span class="num">{r.length}</span>],
          ['layoutOccurs', (r) => (r.depending_on ? `${r.occurs_min}–${r.occurs} (${r.depending_on})` : r.occurs > 1 ? r.occurs : '')]]} />
    </div>
  );
}

/** The sample's records as the load would decode them: the spec's values, or the record's reject. */
function Preview({ records }) {
  const names = records.find((r) => r.values) ? Object.keys(records.find((r) => r.values).values) : [];
  return (
    <div>
    <h3>{t('previewTitle')}</h3>
    <table data-test="preview-table">
      <thead><tr><th>{t('record')}</th>{names.map((n) => <th key={n}>{n}</th>)}</tr></thead>
      <tbody>{records.map((r) => (
        <tr key={r.record} class={r.rejected ? 'rejected' : ''}>
          <td class="num">{r.record}</td>
          {r.rejected ? <td colSpan={Math.max(names.length, 1)} class="neg">{t('previewRejected', { rule: r.rejected.rule, msg: r.rejected.message })}</td>
            : names.map((n) => <td key={n}>{cell(r.values[n])}</td>)}
        </tr>
      ))}</tbody>
    </table>
    </div>
  );
}

/** A new host file tried before its first load: its copybook's layout, and a sample decoded by its spec
 * (nothing is written). */
export function NewFile() {
  useSignal(lang);
  const [copybook, setCopybook] = useState(null);
  const [layout, setLayout] = useState(null);
  const [spec, setSpec] = useState(null);
  const [sample, setSample] = useState(null);
  const [records, setRecords] = useState(null);
  const [error, setError] = useState(null);
  /* what the server could not read is said in its own words, which name the line or the spec's member */
  const fail = (e) => setError(typeof e === 'string' ? e : e.code === 'invalid' && e.message ? t('fileRefused', { msg: e.message }) : errorText(e));
  const readCopybook = async (e) => {
    const f = e.currentTarget.files?.[0];
    setError(null);
    setLayout(null);
    if (!f) return;
    const text = await f.text();
    setCopybook(text);
    try {
      setLayout(await api('POST', '/copybooks/layout', { body: { copybook: text, name: f.name } }));
    } catch (err) {
      fail(err);
    }
  };
  const readSpec = async (e) => {
    const f = e.currentTarget.files?.[0];
    setError(null);
    try {
      setSpec(f ? JSON.parse(await f.text()) : null);
    } catch (err) {
      setSpec(null);
      fail(t('specNotJson', { msg: err.message }));
    }
  };
  const readSample = async (e) => {
    const f = e.currentTarget.files?.[0];
    setSample(f ? await sampleBase64(f) : null);
  };
  const preview = async () => {
    setError(null);
    setRecords(null);
    try {
      const body = { spec, sample, records: 20 };
      if (copybook !== null) body.copybook = copybook;
      setRecords((await api('POST', '/load/preview', { body })).records);
    } catch (err) {
      fail(err);
    }
  };
  return (
    <Card title={t('newFile')} test="new-file">
      <p class="note">{t('newFileHelp')}</p>
      <div class="form inline">
        <label>{t('copybookFile')}<input type="file" accept=".cpy,.cob,.txt,text/plain" data-test="copybook-file" onChange={readCopybook} /></label>
        <label>{t('specFile')}<input type="file" accept=".json,application/json" data-test="spec-file" onChange={readSpec} /></label>
        <label>{t('sampleFile')}<input type="file" data-test="sample-file" onChange={readSample} /></label>
      </div>
      <button type="button" disabled={!spec || !sample} data-test="preview-run" onClick={preview}>{t('previewRun')}</button>
      {error && <p class="error" role="alert" data-test="new-file-error">{t('error', { msg: error })}</p>}
      {layout && (layout.records || [layout]).map((m) => <Layout key={m.record} m={m} />)}
      {records && <Preview records={records} />}
    </Card>
  );
}
