// The message catalogue (web/src/i18n.js) walked whole: every key in both
// languages, with the same {placeholders}; every key the screens name
// literally (t('key')) there; every error code and reason the API can send
// (its OpenAPI document's Error) translated; and the Chinese free of English
// words (codes and names the bank writes in Latin letters aside).
//   node web/tests/catalogue.mjs OPENAPI.json    (web/tests/typecheck.sh runs it)
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, '..', 'src');
const { messages } = await import(join(src, 'i18n.js'));
const problems = [];
const zh = messages['zh-TW'];
const en = messages.en;
const holes = (s) => [...new Set([...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort().join(',');

for (const [a, b, name] of [[zh, en, 'en'], [en, zh, 'zh-TW']])
  for (const k of Object.keys(a)) if (typeof b[k] !== 'string' || b[k] === '') problems.push(`'${k}' is missing in ${name}`);
for (const k of Object.keys(zh))
  if (typeof en[k] === 'string' && holes(zh[k]) !== holes(en[k])) problems.push(`'${k}': {${holes(zh[k])}} in zh-TW, {${holes(en[k])}} in en`);

/* English left in the Chinese: a word of four Latin letters or more, but for what a bank writes so */
// ... and COBOL's own words, which Taiwan's host programmers use as they are (the data steward's new-file screen)
const LATIN_OK = /^(Rapport|CSV|XLSX|TOTP|API|ATM|RFM|TWD|App|Excel|rapport|analyze|token|reveal|export|reveal_rejects|add|mon|fri|Pinyin|English|rejects|match|COBOL|copybook|JSON|OCCURS|DEPENDING|PICTURE|USAGE|source|true)$/;
for (const [k, v] of Object.entries(zh))
  for (const w of String(v).replace(/\{\w+\}/g, '').match(/[A-Za-z]{4,}/g) || [])
    if (!LATIN_OK.test(w)) problems.push(`'${k}' has English in zh-TW: ${w}`);

/* every t('literal') of the screens */
const files = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)]));
for (const f of files(src).filter((f) => /\.(js|jsx)$/.test(f))) {
  const text = readFileSync(f, 'utf8');
  for (const m of text.matchAll(/\bt\(\s*'([^'$]+)'\s*[,)]/g))
    if (!(m[1] in zh) || !(m[1] in en)) problems.push(`${f.slice(src.length + 1)}: t('${m[1]}') is not in the catalogue`);
}

/* what the API can say: each code and reason of its Error */
const openapi = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const error = openapi.components.schemas.Error.properties.error.properties;
for (const c of error.code.enum) if (!(`err_${c}` in zh) || !(`err_${c}` in en)) problems.push(`the API's error code '${c}' has no err_${c}`);
for (const r of error.reason.enum) if (!(`reason_${r}` in zh) || !(`reason_${r}` in en)) problems.push(`the API's reason '${r}' has no reason_${r}`);

/* each permission and role the API knows, named in words */
for (const p of openapi.components.schemas.Permission?.enum || []) if (!(`perm_${p}` in zh) || !(`perm_${p}` in en)) problems.push(`the permission '${p}' has no perm_${p}`);
for (const r of openapi.components.schemas.Role?.enum || []) if (!(`role_${r}` in zh) || !(`role_${r}` in en)) problems.push(`the role '${r}' has no role_${r}`);

const keys = Object.keys(zh).length;
if (problems.length) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log(`${keys} messages in both languages`);
