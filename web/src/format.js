// Dates in Asia/Taipei time, with the ROC (民國) year when asked; amounts as
// the API formats them, with their currency.
import { lang, roc } from './i18n.js';

function locale() {
  const base = lang.get() === 'en' ? 'en-GB' : 'zh-TW';
  return roc.get() ? `${base}-u-ca-roc` : base;
}

// "2026-11-12T02:20:00Z" -> 2026/11/12 10:20 (Taipei)
export function dateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
}

// "1985-03-14" (a calendar date, no time zone) -> 1985/03/14 or 民國74/03/14
export function date(ymd) {
  if (!ymd) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export function money(formatted) {
  return formatted || '';
}
