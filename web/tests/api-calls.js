// Calls to api() that the type check must refuse (web/tests/typecheck.sh).
// Each line is a mistake the client generated from the API's document
// catches; should it stop catching one, that line's @ts-expect-error is
// unused and the check fails.  Type-checked only, never run.
import { api } from '../src/api.js';

export async function mistakes() {
  // @ts-expect-error a path the API does not have
  await api('GET', '/customer/{id}', { params: { id: 1 } });
  // @ts-expect-error a method the path does not take
  await api('DELETE', '/customers/{id}', { params: { id: 1 } });
  // @ts-expect-error a body member the route does not name
  await api('POST', '/customers/{id}/notes', { params: { id: 1 }, body: { text: 'x', colour: 'red' } });
  // @ts-expect-error a body member of the wrong type
  await api('PUT', '/customers/{id}/consents', { params: { id: 1 }, body: { purpose: 'marketing', granted: 'yes', evidence: 'e' } });
  // @ts-expect-error a value that is not in the vocabulary
  await api('PUT', '/customers/{id}/contacts', { params: { id: 1 }, body: { kind: 'pager', value: '0912345678' } });
  // @ts-expect-error a required member missing
  await api('POST', '/session', { body: { name: 'mei' } });
  // @ts-expect-error no body for a route that takes one
  await api('POST', '/customers/{id}/reveal', { params: { id: 1 } });
  // @ts-expect-error a query argument the route does not name
  await api('GET', '/jobs', { query: { state: 'done' } });
  // @ts-expect-error the path's parameter missing
  await api('GET', '/customers/{id}', {});
  // @ts-expect-error a reply that may be a request waiting for a second administrator, not told apart
  await api('POST', '/users', { body: { name: 'sup', role: 'supervisor', password: 'p' } }).then((u) => u.name);
  // @ts-expect-error a member the reply does not have
  return (await api('GET', '/session')).password;
}

// and what is right passes
export async function right() {
  const s = await api('GET', '/session');
  const c = await api('GET', '/customers/{id}', { params: { id: 1 } });
  await api('POST', '/customers/{id}/notes', { params: { id: c.party.id }, body: { text: 'x', channel: 'phone' } });
  await api('GET', '/jobs', { query: { status: 'done', limit: 5 } });
  const u = await api('POST', '/users', { body: { name: 'sup', role: 'supervisor', password: 'p' } });
  if ('request' in u) await api('POST', '/user-requests/{id}/approve', { params: { id: u.request } });
  else await api('PUT', '/users/{name}/role', { params: { name: u.name }, body: { role: 'csr' } });
  return s.csrf + c.party.status;
}
