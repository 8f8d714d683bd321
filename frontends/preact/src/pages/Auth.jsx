import { useState } from 'preact/hooks';
import * as api from '@shopfn/shared/api.js';
import { router } from '../hooks.js';
import { bind, submitting } from '../components.jsx';

export function Auth({ route }) {
  const registering = route.name === 'register';
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const fieldError = (name) => <span class="field-error">{error?.fieldError?.(name) || ''}</span>;

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      if (registering) await api.auth.register(form);
      else await api.auth.login(form.email, form.password);
      router.continueTo(route.query.next);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <>
      <h1>{registering ? 'Create an account' : 'Log in'}</h1>
      <form class="stack narrow" onSubmit={submitting(submit)}>
        {registering && <label>Name <input autocomplete="name" required {...bind(form, setForm, 'name')} />{fieldError('name')}</label>}
        <label>Email <input type="email" autocomplete="email" required {...bind(form, setForm, 'email')} />{fieldError('email')}</label>
        <label>Password <input type="password" autocomplete={registering ? 'new-password' : 'current-password'} required minLength={registering ? 8 : 1} {...bind(form, setForm, 'password')} />{fieldError('password')}</label>
        {error && <p class="alert error" role="alert">{error.message}</p>}
        <button type="submit" disabled={busy}>{registering ? 'Create account' : 'Log in'}</button>
      </form>
    </>
  );
}
