// Pieces every screen uses: cards, tables, loading, and a data table that
// exports what it shows to CSV and XLSX.
import { useEffect, useState } from 'preact/hooks';
import { errorText, t } from './i18n.js';

export function Card({ title, test = undefined, children, actions = null }) {
  return (
    <section class="card" data-test={test}>
      <h2>{title}{actions && <span class="actions">{actions}</span>}</h2>
      {children}
    </section>
  );
}

// cols: [[messageKey, row => cell], ...]
export function Table({ cols, rows, test = undefined, empty = null }) {
  if (!rows || rows.length === 0) return <p class="none">{empty || t('none')}</p>;
  return (
    <table data-test={test}>
      <thead><tr>{cols.map((c) => <th key={c[0]}>{t(c[0])}</th>)}</tr></thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>{cols.map((c) => <td key={c[0]}>{c[1](r)}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}

export function useLoad(fn, deps) {
  const [state, setState] = useState({ data: null, error: null });
  const reload = () => fn().then((data) => setState({ data, error: null }), (e) => setState({ data: null, error: e }));
  useEffect(() => { reload(); }, deps);
  return [state.data, state.error, reload];
}

export function Loading({ error, test = undefined }) {
  if (error) return <p class="error" role="alert" data-test={test}>{t('error', { msg: errorText(error) })}</p>;
  return <p class="notice">{t('loading')}</p>;
}

// ---- export ----

// One CSV field: quoted when it holds a comma, quote or line break (RFC 4180).
export function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

// The whole file, with a byte-order mark so that Excel reads the UTF-8
// Chinese as Chinese, and CRLF line ends.
export function toCsv(columns, rows) {
  return '\uFEFF' + [columns, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function save(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

export async function exportTable(kind, name, columns, rows) {
  if (kind === 'csv') {
    save(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
    return;
  }
  // write-excel-file is loaded the first time someone asks for a workbook
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  const cell = (v) => (typeof v === 'number' ? { type: Number, value: v }
    : typeof v === 'boolean' ? { type: Boolean, value: v }
      : v === null || v === undefined ? null : { type: String, value: String(v) });
  const data = [columns.map((c) => ({ type: String, value: String(c), fontWeight: 'bold' })), ...rows.map((r) => r.map(cell))];
  const blob = await writeXlsxFile(data, { sheet: name.slice(0, 31) }).toBlob();
  save(blob, `${name}.xlsx`);
}

export function ExportButtons({ name, columns, rows }) {
  const [error, setError] = useState(null);
  const go = (kind) => exportTable(kind, name, columns, rows).catch((e) => setError(String(e.message || e)));
  return (
    <span class="export" data-test="export">
      <button class="link" data-test="export-csv" onClick={() => go('csv')}>CSV</button>
      <button class="link" data-test="export-xlsx" onClick={() => go('xlsx')}>XLSX</button>
      {error && <span class="error" role="alert">{error}</span>}
    </span>
  );
}

// A table of plain values, as the API's analyses give them ({columns,
// rows}), a page of 100 rows at a time, with export of every row.
// format(value, column index) may dress a cell.
const PAGE = 100;

export function DataTable({ name, columns, rows, test = undefined, format = null, labels = null }) {
  const [page, setPage] = useState(0);
  if (!rows || rows.length === 0) return <p class="none">{t('none')}</p>;
  const fmt = format || ((v) => (typeof v === 'number' ? v.toLocaleString() : v ?? ''));
  const pages = Math.ceil(rows.length / PAGE);
  const p = Math.min(page, pages - 1);
  const shown = rows.slice(p * PAGE, (p + 1) * PAGE);
  return (
    <div class="data-table">
      <div class="table-tools">
        <span class="count" data-test="row-count" data-rows={rows.length}>{t('rows', { n: rows.length.toLocaleString() })}</span>
        {pages > 1 && (
          <span class="pager" data-test="pager">
            <button class="link" disabled={p === 0} onClick={() => setPage(p - 1)}>‹</button>
            {t('pageOf', { p: p + 1, n: pages })}
            <button class="link" data-test="next-page" disabled={p === pages - 1} onClick={() => setPage(p + 1)}>›</button>
          </span>
        )}
        <ExportButtons name={name} columns={labels || columns} rows={rows} />
      </div>
      <table data-test={test}>
        <thead><tr>{(labels || columns).map((c, i) => <th key={i}>{c}</th>)}</tr></thead>
        <tbody>
          {shown.map((r, i) => (
            <tr key={p * PAGE + i}>{r.map((v, j) => <td key={j} class={typeof v === 'number' ? 'num' : ''}>{fmt(v, j, r)}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// A table paged on the server (issue 22 item 6): load(after, limit) gives a
// page {rows, total, next} from the API's keyset cursor; it shows "rows X–Y
// of TOTAL" with the previous and next pages, exports the page shown as a
// workbook, and every row the filter selects as CSV by the server's
// streamed export (exportHref), so nothing is cut at any size.  Give it a
// key of its filter: a new filter starts again at the first page.
export function PagedTable({ columns, labels = null, load, exportHref, name, test = undefined, format = null, size = 100 }) {
  const [cursors, setCursors] = useState(/** @type {any[]} */ ([null])); // where each page shown so far began
  const [page, setPage] = useState(/** @type {{rows: any[][], total: number, next: any, at: number} | null} */ (null));
  const [error, setError] = useState(null);
  const at = cursors.length - 1;
  useEffect(() => {
    let live = true;
    const index = at; // the page shown says which it is, until the next one has come
    load(cursors[index], size).then((p) => { if (live) { setPage({ ...p, at: index }); setError(null); } }, (e) => { if (live) setError(e); });
    return () => { live = false; };
  }, [cursors]);
  if (error) return <Loading error={error} />;
  if (!page) return <Loading error={null} />;
  const fmt = format || ((v) => (typeof v === 'number' ? v.toLocaleString() : v ?? ''));
  const from = page.rows.length ? page.at * size + 1 : 0;
  const to = page.at * size + page.rows.length;
  return (
    <div class="data-table">
      <div class="table-tools">
        <span class="count" data-test="row-count" data-rows={page.total} data-from={from} data-to={to}>
          {t('rowsRange', { from: from.toLocaleString(), to: to.toLocaleString(), total: page.total.toLocaleString() })}
        </span>
        {(at > 0 || page.next !== null) && (
          <span class="pager" data-test="pager">
            <button class="link" data-test="prev-page" disabled={at === 0} onClick={() => setCursors(cursors.slice(0, -1))}>‹ {t('prevPage')}</button>
            <button class="link" data-test="next-page" disabled={page.next === null} onClick={() => setCursors([...cursors, page.next])}>{t('nextPage')} ›</button>
          </span>
        )}
        <span class="export" data-test="export">
          <a class="link" data-test="export-csv" href={exportHref} download>{t('exportAll')}</a>
          <ExportButtonXlsx name={name} columns={labels || columns} rows={page.rows} />
        </span>
      </div>
      {page.rows.length === 0 ? <p class="none">{t('none')}</p> : (
        <table data-test={test}>
          <thead><tr>{(labels || columns).map((c, i) => <th key={i}>{c}</th>)}</tr></thead>
          <tbody>
            {page.rows.map((r, i) => (
              <tr key={from + i}>{r.map((v, j) => <td key={j} class={typeof v === 'number' ? 'num' : ''}>{fmt(v, j, r)}</td>)}</tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

// The page shown, as a workbook.
function ExportButtonXlsx({ name, columns, rows }) {
  const [error, setError] = useState(null);
  return (
    <>
      <button class="link" data-test="export-xlsx" onClick={() => exportTable('xlsx', name, columns, rows).catch((e) => setError(String(e.message || e)))}>XLSX</button>
      {error && <span class="error" role="alert">{error}</span>}
    </>
  );
}
