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
  /** member: the request member the error names; reason: what kind of wrong (docs/api.md, Errors);
   * retryAfter: seconds, from Retry-After (a sign-in throttled or locked: 429), or null */
  constructor(status, code, message, member = undefined, reason = undefined, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.member = member;
    this.reason = reason;
    this.retryAfter = retryAfter;
  }
}

/** Told when the server says the session has ended (401 on a call made signed in): main.jsx signs in again. */
export const sessionEnded = { handler: null };

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
 * The request made; the reply when it is a success, else an ApiError (a session ended said so).
 * @param {string} method
 * @param {string} path
 * @param {any} [args]
 * @returns {Promise<Response>}
 */
async function request(method, path, args) {
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
  if (r.ok) return r;
  let j = null;
  try {
    j = await r.json();
  } catch {
    /* not JSON */
  }
  const ra = r.headers.get('Retry-After');
  const e = new ApiError(r.status, j?.error?.code || 'http', j?.error?.message || r.statusText, j?.error?.member, j?.error?.reason,
    ra ? Number(ra) : null);
  if (r.status === 401 && csrf && sessionEnded.handler && !(method === 'POST' && path === '/session')) sessionEnded.handler(e);
  throw e;
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
  const r = await request(String(method), String(path), /** @type {any} */ (args));
  try {
    return await r.json();
  } catch {
    return null;
  }
}

/**
 * A file the server answers (a campaign's list for a vendor) saved by the browser under the name the
 * server gives it; that name.
 * @template {import('./api-types').Method} M
 * @template {import('./api-types').ApiPath<M>} P
 * @param {M} method
 * @param {P} path
 * @param {import('./api-types').ApiArgs<M, P>} [args]
 * @returns {Promise<string>}
 */
export async function download(method, path, args) {
  const r = await request(String(method), String(path), /** @type {any} */ (args));
  const m = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') || '');
  const name = m ? m[1] : 'download';
  const href = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  return name;
}
