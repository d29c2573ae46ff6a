// The HTTP API (docs/api.md): JSON both ways, the session in an HttpOnly
// cookie, the CSRF token sent with every request that changes something.
// A call names the route as the API's document does, with what fills it:
//   api('GET', '/customers/{id}/notes', { params: { id } })
//   api('GET', '/customers', { query: { q } })
//   api('POST', '/customers/{id}/notes', { params: { id }, body: { text } })
// and `make test` checks every call against the client generated from the
// server's OpenAPI document (api-types.d.ts, web/tests/typecheck.sh).
let csrf = null;

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    /** seconds, from Retry-After (a sign-in throttled or locked: 429), or null */
    this.retryAfter = retryAfter;
  }
}

export function setCsrf(token) {
  csrf = token;
}

/** '/customers/{id}' with {id: 7} and {limit: 5}: '/customers/7?limit=5' (empty arguments left out). */
function url(path, params, query) {
  let u = path.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(String(params[k])));
  const q = Object.entries(query || {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (q.length) u += '?' + q.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
  return '/api/v1' + u;
}

/**
 * @template {import('./api-types').Method} M
 * @template {import('./api-types').ApiPath<M>} P
 * @param {M} method
 * @param {P} path
 * @param {import('./api-types').ApiArgs<M, P>} [args]
 * @returns {Promise<import('./api-types').ApiReply<M, P>>}
 */
export async function api(method, path, args) {
  const { params, query, body } = /** @type {any} */ (args) || {};
  const opts = { method, headers: {}, credentials: /** @type {RequestCredentials} */ ('same-origin') };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  if (method !== 'GET' && csrf) opts.headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(url(path, params, query), opts);
  } catch (e) {
    throw new ApiError(0, 'network', String(e.message || e));
  }
  let j = null;
  try {
    j = await r.json();
  } catch {
    /* not JSON */
  }
  if (!r.ok) {
    const ra = r.headers.get('Retry-After');
    throw new ApiError(r.status, j?.error?.code || 'http', j?.error?.message || r.statusText, ra ? Number(ra) : null);
  }
  return j;
}
