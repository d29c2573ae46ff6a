// The API's OpenAPI document through Redocly's linter (the rules of
// `redocly lint`, recommended set), for web/tests/typecheck.sh: every
// problem fails, warnings too.  Three rules are off, each for a reason.
// usage: node web/tests/openapi-lint.mjs openapi.json
import { createConfig, lint } from '@redocly/openapi-core';

const config = await createConfig({
  extends: ['recommended'],
  rules: {
    'info-license': 'off', // a bank's own API, not published
    'no-unused-components': 'off', // every vocabulary is described, for clients, though no route names it
    'operation-4xx-response': 'off', // health, metrics and this document answer no client error
  },
});
const file = process.argv[2];
const problems = await lint({ ref: file, config });
for (const p of problems)
  console.log(`${p.severity}: ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`);
console.log(`${file}: ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
