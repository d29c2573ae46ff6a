// Administration: users, their roles and branches, adding and disabling
// them, changing a role, unlocking those failed sign-ins locked, giving or
// removing a second factor (TOTP); the changes that wait for a second
// administrator (a role that reveals data, an auditor disabled:
// docs/security.md), approved or rejected by another; the tokens of other
// programs (the telephone switch, internet banking), shown once and
// revocable; and the audit trail for auditors, with filters and export.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText, lang, roc, t, term } from '../i18n.js';
import { dateTime } from '../format.js';
import { useSignal } from '../state.js';
import { Card, Loading, PagedTable, Table, useLoad } from '../ui.jsx';

function AddUser({ roles, onDone }) {
  const [f, setF] = useState({ name: '', role: 'csr', branch: '', password: '' });
  const [error, setError] = useState(null);
  const [ok, setOk] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    const role = /** @type {import('../api-types').Shape<'Role'>} */ (f.role);
    const body = f.branch ? { name: f.name, role, branch: f.branch, password: f.password } : { name: f.name, role, password: f.password };
    try {
      const u = await api('POST', '/users', { body });
      // a role that reveals data waits for a second administrator (202)
      setOk('request' in u ? t('userRequested', { id: u.request }) : t('userAdded', { name: u.name, role: u.role }));
      setError(null);
      setF({ ...f, name: '', password: '' });
      onDone();
    } catch (err) {
      setError(errorText(err));
      setOk(null);
    }
  };
  return (
    <form class="inline" data-test="user-form" onSubmit={submit}>
      <input name="name" placeholder={t('userName')} value={f.name} onInput={set('name')} required />
      <select name="role" value={f.role} onChange={set('role')}>
        {roles.map((r) => <option key={r.role} value={r.role}>{t(`role_${r.role}`)}</option>)}
      </select>
      <input name="branch" placeholder={t('branch')} value={f.branch} onInput={set('branch')} size={6} />
      <input name="password" type="password" autocomplete="new-password" placeholder={t('password')} value={f.password} onInput={set('password')} required />
      <button type="submit">{t('addUser')}</button>
      {error && <p class="error" role="alert">{t('error', { msg: error })}</p>}
      {ok && <p class="banner" data-test="user-added">{ok}</p>}
    </form>
  );
}

/** What a request asks, in words: add, a role changed, a user disabled. */
function change(r) {
  const role = r.role ? t(`role_${r.role}`) + (r.branch ? ` ${r.branch}` : '') : '';
  const from = r.from_role ? t(`role_${r.from_role}`) : '';
  return t(`req_${r.kind}`, { user: r.user, role, from });
}

/** The changes waiting for a second administrator: another than the one who asked approves or rejects them. */
function Requests({ me, requests, onDone }) {
  const [msg, setMsg] = useState(null);
  const [notes, setNotes] = useState(/** @type {Record<number, string>} */ ({}));
  const decide = async (r, approve) => {
    try {
      if (approve) await api('POST', '/user-requests/{id}/approve', { params: { id: r.id } });
      else {
        const note = notes[r.id];
        await api('POST', '/user-requests/{id}/reject', { params: { id: r.id }, body: note ? { note } : {} });
      }
      setMsg(null);
      onDone();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  const state = (r) => (r.status === 'pending'
    ? t('pendingUntil', { until: dateTime(r.expires_at) })
    : `${t(`reqStatus_${r.status}`)} ${dateTime(r.decided_at)} ${r.decided_by || ''}`);
  const act = (r) => {
    if (r.status !== 'pending') return r.note || '';
    // nobody decides what they asked for, nor a change of their own account
    if (r.requested_by === me.user || r.user === me.user) return <span class="muted" data-test={`awaiting-${r.id}`}>{t('awaitingOther')}</span>;
    return (
      <>
        <button class="link" data-test={`approve-${r.id}`} onClick={() => decide(r, true)}>{t('approve')}</button>{' '}
        <input name="note" placeholder={t('requestNote')} size={16} value={notes[r.id] || ''}
          onInput={(e) => setNotes({ ...notes, [r.id]: e.currentTarget.value })} />{' '}
        <button class="link" data-test={`reject-${r.id}`} onClick={() => decide(r, false)}>{t('rejectRequest')}</button>
      </>
    );
  };
  return (
    <Card title={t('userRequests')} test="user-requests">
      {msg && <p class="error" role="alert">{t('error', { msg })}</p>}
      <Table test="user-requests-table" rows={requests} empty={t('noRequests')}
        cols={[['request', (r) => r.id], ['change', change],
          ['requestedBy', (r) => `${r.requested_by} ${dateTime(r.requested_at)}`],
          ['status', state], ['actions', act]]} />
    </Card>
  );
}

/** A user's role and branch changed: to a role that reveals data it waits for a second administrator (202). */
function RoleChange({ user, roles, onDone }) {
  const [f, setF] = useState({ role: user.role, branch: user.branch || '' });
  const [msg, setMsg] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    const role = /** @type {import('../api-types').Shape<'Role'>} */ (f.role);
    try {
      const r = await api('PUT', '/users/{name}/role', { params: { name: user.name }, body: f.branch ? { role, branch: f.branch } : { role } });
      onDone('request' in r ? t('userRequested', { id: r.request }) : t('roleChanged', { name: r.name, role: t(`role_${r.role}`) }));
      setMsg(null);
    } catch (err) {
      setMsg(errorText(err));
    }
  };
  return (
    <form class="inline" data-test={`role-form-${user.name}`} onSubmit={submit}>
      <select name="role" value={f.role} onChange={(e) => setF({ ...f, role: e.currentTarget.value })}>
        {roles.map((r) => <option key={r.role} value={r.role}>{t(`role_${r.role}`)}</option>)}
      </select>
      <input name="branch" placeholder={t('branch')} value={f.branch} size={6} onInput={(e) => setF({ ...f, branch: e.currentTarget.value })} />
      <button type="submit">{t('changeRole')}</button>
      {msg && <span class="error" role="alert">{t('error', { msg })}</span>}
    </form>
  );
}

/** A secret shown once: an authenticator app's (TOTP) or a program's token. */
function Once({ test, title, value, extra = null, onClose }) {
  return (
    <div class="banner" data-test={test}>
      <p><strong>{title}</strong> {t('shownOnce')}</p>
      <p><code data-test={`${test}-value`}>{value}</code></p>
      {extra && <p><code class="wrap" data-test={`${test}-extra`}>{extra}</code></p>}
      <button class="link" onClick={onClose}>{t('close')}</button>
    </div>
  );
}

/** Tokens of other programs: each with its own narrow permissions, shown once, expiring, revocable, every use audited. */
function Tokens({ perms }) {
  const [list, error, reload] = useLoad(() => api('GET', '/tokens'), []);
  const [f, setF] = useState({ name: '', branch: '', days: '90', permissions: /** @type {string[]} */ ([]) });
  const [made, setMade] = useState(null);
  const [msg, setMsg] = useState(null);
  const tick = (p) => (e) => setF({ ...f, permissions: e.currentTarget.checked ? [...f.permissions, p] : f.permissions.filter((x) => x !== p) });
  const add = async (e) => {
    e.preventDefault();
    const permissions = /** @type {import('../api-types').Shape<'Permission'>[]} */ (f.permissions);
    const body = { name: f.name, permissions, ...(f.branch ? { branch: f.branch } : {}), ...(f.days ? { days: +f.days } : {}) };
    try {
      setMade(await api('POST', '/tokens', { body }));
      setMsg(null);
      setF({ ...f, name: '', permissions: [] });
      reload();
    } catch (err) {
      setMsg(errorText(err));
    }
  };
  const revoke = async (tk) => {
    if (!window.confirm(t('revokeConfirm', { name: tk.name }))) return;
    try {
      await api('DELETE', '/tokens/{name}', { params: { name: tk.name } });
      setMsg(null);
      reload();
    } catch (err) {
      setMsg(errorText(err));
    }
  };
  return (
    <Card title={t('tokens')} test="tokens">
      <p class="muted">{t('tokensHelp')}</p>
      {msg && <p class="error" role="alert">{t('error', { msg })}</p>}
      {made && <Once test="token-made" title={t('tokenFor', { name: made.name })} value={made.token} onClose={() => setMade(null)} />}
      {error && <Loading error={error} />}
      {list && <Table test="tokens-table" rows={list.tokens} empty={t('noTokens')}
        cols={[['tokenName', (k) => k.name], ['permissions', (k) => k.permissions.map((p) => t(`perm_${p}`)).join(t('listComma'))],
          ['branch', (k) => k.branch || t('allBranches')],
          ['created', (k) => `${dateTime(k.created_at)} ${k.created_by}`],
          ['expires', (k) => dateTime(k.expires_at)],
          ['status', (k) => (k.state === 'revoked' ? `${t('tokenState_revoked')} ${dateTime(k.revoked_at)} ${k.revoked_by || ''}` : t(`tokenState_${k.state}`))],
          ['actions', (k) => (k.state === 'active'
            ? <button class="link" data-test={`revoke-${k.name}`} onClick={() => revoke(k)}>{t('revoke')}</button> : '')]]} />}
      <form class="stack" data-test="token-form" onSubmit={add}>
        <div class="inline">
          <input name="name" placeholder={t('tokenName')} value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} required />
          <input name="branch" placeholder={t('branch')} value={f.branch} size={6} onInput={(e) => setF({ ...f, branch: e.currentTarget.value })} />
          <label>{t('validDays')} <input name="days" type="number" min="1" max="366" value={f.days} size={4}
            onInput={(e) => setF({ ...f, days: e.currentTarget.value })} /></label>
          <button type="submit">{t('addToken')}</button>
        </div>
        <fieldset class="inline" data-test="token-perms">
          <legend>{t('permissions')}</legend>
          {perms.map((p) => (
            <label key={p}><input type="checkbox" name={`perm-${p}`} checked={f.permissions.includes(p)} onChange={tick(p)} /> {t(`perm_${p}`)} <code class="muted">{p}</code></label>))}
        </fieldset>
      </form>
    </Card>
  );
}

export function Users({ me }) {
  useSignal(lang);
  useSignal(roc);
  const [users, error, reloadUsers] = useLoad(() => api('GET', '/users'), []);
  const [roles] = useLoad(() => api('GET', '/roles'), []);
  const [requests, , reloadRequests] = useLoad(() => api('GET', '/user-requests', { query: { limit: 100 } }), []);
  const [msg, setMsg] = useState(null);
  const [notice, setNotice] = useState(null);
  const [editing, setEditing] = useState(null);
  const [secret, setSecret] = useState(null);
  if (!users || !roles) return <Loading error={error} />;
  const reload = () => {
    reloadUsers();
    reloadRequests();
  };
  const toggle = async (u) => {
    try {
      const r = await api('PUT', '/users/{name}/disabled', { params: { name: u.name }, body: { disabled: !u.disabled } });
      // disabling an auditor waits for a second administrator (202)
      setNotice('request' in r ? t('userRequested', { id: r.request }) : null);
      setMsg(null);
      reload();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  const unlock = async (u) => {
    try {
      await api('POST', '/users/{name}/unlock', { params: { name: u.name } });
      setMsg(null);
      reload();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  const totp = async (u, give) => {
    if (!give && !window.confirm(t('totpRemoveConfirm', { name: u.name }))) return;
    try {
      if (give) setSecret(await api('POST', '/users/{name}/totp', { params: { name: u.name } }));
      else await api('DELETE', '/users/{name}/totp', { params: { name: u.name } });
      setMsg(null);
      reload();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  // an administrator's reset: a password at random, shown once, changed by the user at the next sign-in
  const [temp, setTemp] = useState(null);
  const resetPassword = async (u) => {
    if (!window.confirm(t('resetPasswordConfirm', { name: u.name }))) return;
    try {
      setTemp(await api('POST', '/users/{name}/password', { params: { name: u.name } }));
      setMsg(null);
      reload();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  // not a user whose role reveals data, an administrator or an auditor: theirs the operator resets (docs/security.md)
  const resettable = (u) => !roles.roles.find((r) => r.role === u.role)?.permissions
    .some((p) => ['reveal', 'export', 'reveal_rejects', 'users', 'audit'].includes(p));
  const roleDone = (text) => {
    setNotice(text);
    setEditing(null);
    reload();
  };
  // a program's token never manages users, and one that reveals data is the operator's to make (rapport token add)
  const perms = [...new Set(roles.roles.flatMap((r) => r.permissions))]
    .filter((p) => !['users', 'reveal', 'export', 'reveal_rejects'].includes(p));
  const status = (u) => {
    if (u.disabled) return <span class="no">{t('disabled')}</span>;
    if (u.locked) return <span class="no" data-test={`locked-${u.name}`}>{u.locked_until ? t('lockedUntil', { until: dateTime(u.locked_until) }) : t('locked')}</span>;
    if (u.must_change) return <span data-test={`must-change-${u.name}`}>{t('mustChange')}</span>;
    return t('active');
  };
  return (
    <>
      <Card title={t('users')} test="users">
        {msg && <p class="error" role="alert">{t('error', { msg })}</p>}
        {notice && <p class="banner" data-test="user-requested">{notice}</p>}
        {temp && <Once test="temp-password" title={t('tempPasswordFor', { name: temp.name })} value={temp.password}
          extra={t('mustChangeHint')} onClose={() => setTemp(null)} />}
        {secret && <Once test="totp-secret" title={t('totpFor', { name: secret.name })} value={secret.secret} extra={secret.uri}
          onClose={() => setSecret(null)} />}
        <Table test="users-table" rows={users.users}
          cols={[['userName', (u) => u.name], ['role', (u) => t(`role_${u.role}`)], ['branch', (u) => u.branch || t('allBranches')],
            ['status', status],
            ['totp', (u) => (u.totp ? t('yes') : t('no'))],
            ['lastSignIn', (u) => <span data-test={`last-sign-in-${u.name}`}>{u.last_sign_in ? dateTime(u.last_sign_in) : t('never')}</span>],
            ['failedSignIns', (u) => <span class={u.failures ? 'num neg' : 'num'} data-test={`failures-${u.name}`}>{u.failures}</span>],
            ['created', (u) => `${dateTime(u.created_at)} ${u.created_by || ''}`],
            ['actions', (u) => (
              <>
                {u.locked && <button class="link" data-test={`unlock-${u.name}`} onClick={() => unlock(u)}>{t('unlock')}</button>}
                {u.locked && u.name !== me.user && ' '}
                {u.name !== me.user && (
                  <button class="link" data-test={`toggle-${u.name}`} onClick={() => toggle(u)}>{u.disabled ? t('enable') : t('disable')}</button>)}
                {' '}<button class="link" data-test={`totp-${u.name}`} onClick={() => totp(u, true)}>{u.totp ? t('totpReset') : t('totpGive')}</button>
                {u.totp && <>{' '}<button class="link" data-test={`totp-remove-${u.name}`} onClick={() => totp(u, false)}>{t('totpRemove')}</button></>}
                {u.name !== me.user && <>{' '}<button class="link" data-test={`role-${u.name}`}
                  onClick={() => setEditing(editing === u.name ? null : u.name)}>{t('editUser')}</button></>}
                {u.name !== me.user && resettable(u) && <>{' '}
                  <button class="link" data-test={`reset-password-${u.name}`} onClick={() => resetPassword(u)}>{t('resetPassword')}</button></>}
                {editing === u.name && <RoleChange user={u} roles={roles.roles} onDone={roleDone} />}
              </>)]]} />
        <AddUser roles={roles.roles} onDone={reload} />
      </Card>
      {requests && <Requests me={me} requests={requests.requests} onDone={reload} />}
      <Tokens perms={perms} />
      <Card title={t('permissionMatrix')} test="roles">
        <Table rows={roles.roles}
          cols={[['role', (r) => t(`role_${r.role}`)], ['permissions', (r) => r.permissions.map((p) => t(`perm_${p}`)).join(t('listComma'))]]} />
      </Card>
    </>
  );
}

const ACTIONS = ['', 'view', 'search', 'reveal', 'change', 'note', 'export', 'denied', 'login', 'login_failed', 'logout',
  'user_add', 'user_passwd', 'user_disable', 'user_enable', 'user_unlock', 'user_role', 'user_request', 'user_approve',
  'user_reject', 'user_totp', 'user_totp_remove', 'password_change', 'token_add', 'token_revoke',
  'match_accept', 'match_reject', 'rejects_read', 'reject_reveal',
  'rejects_export', 'pairs_read', 'match_export', 'audit_read', 'audit_export', 'users_read', 'query', 'follow_ups', 'drill_down'];

export function Audit() {
  useSignal(lang);
  useSignal(roc);
  const [f, setF] = useState({ since: '', until: '', user: '', action: '', customer: '' });
  const [query, setQuery] = useState(/** @type {Record<string, string>} */ ({}));
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = (e) => {
    e.preventDefault();
    // dates are Taipei days: from 00:00 of since to the end of until, Taipei time
    const utc = (d, time) => (d ? new Date(`${d}T${time}+08:00`).toISOString().slice(0, 19) + 'Z' : '');
    setQuery({ since: utc(f.since, '00:00:00'), until: utc(f.until, '23:59:59'), user: f.user, action: f.action, customer: f.customer });
  };
  const cols = ['at', 'user', 'address', 'action', 'customer', 'target', 'reason', 'outcome', 'detail'];
  const args = Object.entries(query).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
  return (
    <Card title={t('auditTrail')} test="audit">
      <form class="inline" data-test="audit-filter" onSubmit={submit}>
        <label>{t('since')} <input type="date" name="since" value={f.since} onInput={set('since')} /></label>
        <label>{t('until')} <input type="date" name="until" value={f.until} onInput={set('until')} /></label>
        <input name="user" placeholder={t('userName')} value={f.user} onInput={set('user')} size={12} />
        <select name="action" value={f.action} onChange={set('action')}>
          {ACTIONS.map((a) => <option key={a} value={a}>{a ? term('act_', a) : t('allActions')}</option>)}
        </select>
        <input name="customer" placeholder={t('customerId')} value={f.customer} onInput={set('customer')} size={8} />
        <button type="submit">{t('filter')}</button>
      </form>
      {/* paged on the server, every entry exported (issue 22 item 6) */}
      <PagedTable key={JSON.stringify(query)} name="audit" test="audit-table" columns={cols} format={(v) => v ?? ''}
        labels={cols.map((c) => t(`audit_${c}`))}
        exportHref={'/api/v1/audit/export.csv' + (args ? `?${args}` : '')}
        load={(after, limit) => api('GET', '/audit', { query: { limit, ...query, customer: query.customer ? Number(query.customer) : undefined, after: after ?? undefined } })
          .then((r) => ({ rows: r.entries.map((e) => cols.map((c) => (c === 'at' ? dateTime(e.at) : c === 'action' ? term('act_', e.action) : e[c]))), total: r.total, next: r.next }))} />
    </Card>
  );
}
