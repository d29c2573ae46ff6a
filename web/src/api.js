// The HTTP API (docs/api.md): JSON both ways, the session in an HttpOnly
// cookie, the CSRF token sent with every request that changes something.
let csrf = null;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function setCsrf(token) {
  csrf = token;
}

export async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) opts.headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch('/api/v1' + path, opts);
  } catch (e) {
    throw new ApiError(0, 'network', String(e.message || e));
  }
  let j = null;
  try {
    j = await r.json();
  } catch {
    /* not JSON */
  }
  if (!r.ok) throw new ApiError(r.status, j?.error?.code || 'http', j?.error?.message || r.statusText);
  return j;
}
