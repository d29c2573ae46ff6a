// Dates in Asia/Taipei time, with the ROC (民國) year when asked; amounts as
// the API formats them, with their currency.
import { lang, roc } from './i18n.js';

function locale() {
  const base = lang.get() === 'en' ? 'en-GB' : 'zh-TW';
  return roc.get() ? `${base}-u-ca-roc` : base;
}

// In English a date is written as no reader can take it the wrong way round: 12 Nov 2026, never
// 12/11/2026; in Chinese 2026/11/12 (or 民國115/11/12).
/** @returns {Intl.DateTimeFormatOptions} */
const dayParts = () => (lang.get() === 'en'
  ? { year: 'numeric', month: 'short', day: 'numeric' }
  : { year: 'numeric', month: '2-digit', day: '2-digit' });

// "2026-11-12T02:20:00Z" -> 2026/11/12 10:20, 12 Nov 2026, 10:20 (Taipei)
export function dateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    timeZone: 'Asia/Taipei', ...dayParts(), hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
}

// "1985-03-14" (a calendar date, no time zone) -> 1985/03/14 or 民國74/03/14
export function date(ymd) {
  if (!ymd) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', ...dayParts() }).format(d);
}

// A Taiwanese number as it is read at home: +886912345678 -> 0912-345-678, +886223456789 ->
// (02) 2345-6789; a masked number, or another country's, as it is.
export function phone(v) {
  const m = /^\+886(\d{8,9})$/.exec(String(v || '').replace(/[\s-]/g, ''));
  if (!m) return v || '';
  const n = `0${m[1]}`;
  if (/^09\d{8}$/.test(n)) return `${n.slice(0, 4)}-${n.slice(4, 7)}-${n.slice(7)}`;
  if (/^02\d{8}$/.test(n)) return `(02) ${n.slice(2, 6)}-${n.slice(6)}`;
  const rest = n.slice(2);
  return `(${n.slice(0, 2)}) ${rest.slice(0, rest.length - 4)}-${rest.slice(-4)}`;
}

export function money(formatted) {
  return formatted || '';
}

/** Today's date in Taipei, as the API writes dates: "2026-12-03". */
export const taipeiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei' }).format(new Date());
