import { Show, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as api from '@shopfn/shared/api.js';
import { router } from '../app.js';
import { model, submitting } from '../components.jsx';

export function Auth(props) {
  const registering = props.route.name === 'register';
  const [form, setForm] = createStore({ name: '', email: '', password: '' });
  const [error, setError] = createSignal(null);
  const [busy, setBusy] = createSignal(false);
  const fieldError = (name) => <span class="field-error">{error()?.fieldError?.(name) || ''}</span>;

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      if (registering) await api.auth.register(form);
      else await api.auth.login(form.email, form.password);
      router.continueTo(props.route.query.next);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <>
      <h1>{registering ? 'Create an account' : 'Log in'}</h1>
      <form class="stack narrow" onSubmit={submitting(submit)}>
        <Show when={registering}><label>Name <input autocomplete="name" required {...model(form, setForm, 'name')} />{fieldError('name')}</label></Show>
        <label>Email <input type="email" autocomplete="email" required {...model(form, setForm, 'email')} />{fieldError('email')}</label>
        <label>Password <input type="password" autocomplete={registering ? 'new-password' : 'current-password'} required minLength={registering ? 8 : 1} {...model(form, setForm, 'password')} />{fieldError('password')}</label>
        <Show when={error()}><p class="alert error" role="alert">{error().message}</p></Show>
        <button type="submit" disabled={busy()}>{registering ? 'Create account' : 'Log in'}</button>
      </form>
    </>
  );
}
