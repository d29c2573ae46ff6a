// The warehouse's closed lists of values (GET /api/v1/vocabulary: contact
// kinds, channels, consent purposes, languages, ...), loaded once after
// sign-in.  The forms offer a list's values, each shown by its label in the
// user's language (zh-TW or English); what is sent and shown as data is the
// value itself.  A list named here that the API does not have fails the
// type check (api-types.d.ts).
import { api } from './api.js';
import { lang } from './i18n.js';
import { signal } from './state.js';

/** @typedef {keyof import('./api-types').Shape<'Vocabulary'>} ListName */

/** @type {ReturnType<typeof signal>} the vocabulary, or null until it has come */
export const vocabulary = signal(null);
let loading = null;

/** Fetch the vocabulary once (again after a failure). */
export function loadVocabulary() {
  loading ||= api('GET', '/vocabulary').then(
    (v) => vocabulary.set(v),
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/**
 * A list's values with their labels in the user's language: [[value, label], ...].
 * @param {ListName} name
 * @returns {[string, string][]}
 */
export function choices(name) {
  const en = lang.get() === 'en';
  /** @type {{value: string, zh: string, en: string}[]} */
  const terms = vocabulary.get()?.[name]?.terms ?? [];
  return terms.map((term) => [term.value, en ? term.en : term.zh]);
}

/**
 * A value's label in the user's language (the value itself when the list does not have it).
 * @param {ListName} name
 * @param {string | null | undefined} value
 */
export function label(name, value) {
  if (value === null || value === undefined) return '';
  const hit = choices(name).find(([v]) => v === value);
  return hit ? hit[1] : value;
}
