import { For, Show, createEffect, createSignal, onCleanup } from 'solid-js';
import { createStore } from 'solid-js/store';
import { Dynamic } from 'solid-js/web';
import * as api from '@shopfn/shared/api.js';
import { drawDashboard } from '@shopfn/shared/dashboard.js';
import { dateTime, errorText, money, productFields, productForm } from '@shopfn/shared/format.js';
import { href, loader, user } from '../app.js';
import { Pager, Stars, Status, model, submitting } from '../components.jsx';


function AdminProducts() {
  const [page, setPage] = createSignal(1);
  const [list, { mutate }, loadError] = loader(page, (p) => api.products.list({ page: p, pageSize: 10 }));
  const [actionError, setActionError] = createSignal('');
  const error = () => actionError() || loadError();
  const [editing, setEditing] = createSignal(null);
  const [form, setForm] = createStore(productForm());
  const [formError, setFormError] = createSignal(null);
  const [notice, setNotice] = createSignal('');
  let nameInput;

  function edit(p) {
    setEditing(p._id);
    setForm(productForm(p));
    nameInput.focus();
  }
  function reset() {
    setEditing(null);
    setForm(productForm());
  }

  async function save() {
    setFormError(null);
    const { name } = form;
    const fields = productFields(form);
    try {
      const saved = editing() ? await api.products.update(editing(), fields) : await api.products.create(fields);
      mutate(api.upsertInPage(list(), 'products', saved));
      setNotice(`Saved “${name}”.`);
      reset();
    } catch (e) {
      setFormError(e);
    }
  }

  async function remove(p) {
    if (!confirm(`Delete “${p.name}”?`)) return;
    try {
      await api.products.remove(p._id);
      mutate(api.removeFromPage(list(), 'products', p._id));
      setNotice(`Deleted “${p.name}”.`);
    } catch (e) {
      setActionError(errorText(e));
    }
  }

  return (
    <div class="stack">
      <form class="card stack" aria-label={editing() ? 'Edit product' : 'New product'} onSubmit={submitting(save)}>
        <h2>{editing() ? 'Edit product' : 'New product'}</h2>
        <label>Name <input ref={nameInput} required maxLength={200} {...model(form, setForm, 'name')} /><span class="field-error">{formError()?.fieldError?.('name') || ''}</span></label>
        <label>Description <textarea rows={2} {...model(form, setForm, 'description')} /></label>
        <div class="row">
          <label>Price <input type="number" min="0.01" step="0.01" required {...model(form, setForm, 'price')} /></label>
          <label>Stock <input type="number" min="0" step="1" required {...model(form, setForm, 'stock')} /></label>
          <label>Category <input required pattern="[a-z0-9][a-z0-9\-]*" {...model(form, setForm, 'category')} /></label>
        </div>
        <label>Specifications (one “name: value” per line) <textarea rows={2} {...model(form, setForm, 'specs')} /></label>
        <Show when={formError()}><p class="alert error" role="alert">{formError().message}</p></Show>
        <div class="row">
          <button type="submit">{editing() ? 'Save changes' : 'Create product'}</button>
          <Show when={editing()}><button type="button" class="secondary" onClick={reset}>Cancel editing</button></Show>
        </div>
      </form>
      <Show when={notice()}><p class="alert ok" role="status">{notice()}</p></Show>
      <Status data={list} error={error} what="products" />
      <Show when={list()}>
        {(data) => (
          <>
            <div class="table-wrap"><table>
              <caption class="sr-only">Products</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">Category</th><th scope="col">Price</th><th scope="col">Stock</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>
                <For each={data().products}>
                  {(p) => (
                    <tr>
                      <td>{p.name}</td><td>{p.category}</td><td>{money(p.price)}</td><td>{p.stock}</td>
                      <td class="row"><button type="button" class="secondary" aria-label={`Edit ${p.name}`} onClick={() => edit(p)}>Edit</button>
                        <button type="button" class="danger" aria-label={`Delete ${p.name}`} onClick={() => remove(p)}>Delete</button></td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table></div>
            <Pager data={data()} go={setPage} />
          </>
        )}
      </Show>
    </div>
  );
}

function AdminUsers() {
  const [page, setPage] = createSignal(1);
  const [list, { mutate }, loadError] = loader(page, (p) => api.users.list({ page: p, pageSize: 20 }));
  const [actionError, setActionError] = createSignal('');
  const [notice, setNotice] = createSignal('');

  async function setRole(u, role) {
    try {
      mutate(api.upsertInPage(list(), 'users', await api.users.update(u._id, { role })));
      setNotice(`${u.email} is now ${role}.`);
    } catch (e) {
      setActionError(errorText(e));
    }
  }

  return (
    <>
      <Show when={notice()}><p class="alert ok" role="status">{notice()}</p></Show>
      <Status data={list} error={() => actionError() || loadError()} what="users" />
      <Show when={list()}>
        {(data) => (
          <>
            <div class="table-wrap"><table>
              <caption class="sr-only">Users</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Joined</th><th scope="col">Role</th></tr></thead>
              <tbody>
                <For each={data().users}>
                  {(u) => (
                    <tr>
                      <td>{u.name}</td><td>{u.email}</td><td>{dateTime(u.createdAt)}</td>
                      <td><select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => setRole(u, e.currentTarget.value)}>
                        <option value="user">user</option><option value="admin">admin</option>
                      </select></td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table></div>
            <Pager data={data()} go={setPage} />
          </>
        )}
      </Show>
    </>
  );
}

function AdminReviews() {
  const [productId, setProductId] = createSignal('');
  const [wanted, setWanted] = createSignal(null);
  const [list, { refetch, mutate }, loadError] = loader(wanted, (id) => api.reviews.list(id, { pageSize: 50 }));
  const [actionError, setActionError] = createSignal('');

  async function hide(review) {
    try {
      await api.reviews.hide(review._id);
      mutate(api.removeFromPage(list(), 'reviews', review._id));
    } catch (e) {
      setActionError(errorText(e));
    }
  }

  return (
    <div class="stack">
      <form class="row" onSubmit={submitting(() => (wanted() === productId().trim() ? refetch() : setWanted(productId().trim())))}>
        <label>Product ID <input required value={productId()} onInput={(e) => setProductId(e.currentTarget.value)} /></label>
        <button type="submit">Show reviews</button>
      </form>
      <Status data={list} error={() => actionError() || loadError()} what="reviews" />
      <Show when={list()}>
        {(data) => (
          <>
            <Show when={!data().reviews.length}><p class="empty">No visible reviews for this product.</p></Show>
            <ul class="plain">
              <For each={data().reviews}>
                {(r) => (
                  <li class="card row spread">
                    <span><Stars rating={r.rating} /> <strong>{r.title}</strong> {r.text}</span>
                    <button type="button" class="danger" aria-label={`Hide review ${r.title || r._id}`} onClick={() => hide(r)}>Hide</button>
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
    </div>
  );
}

function AdminAnalytics() {
  const [summary, , error] = loader(() => api.analytics.summary());
  const canvases = {};
  createEffect(() => {
    const s = summary();
    if (s) onCleanup(drawDashboard(canvases, s));
  });
  return (
    <>
      <Status data={summary} error={error} what="analytics" />
      <Show when={summary()}>
        {(s) => (
          <>
            <div class="kpis">
              <div class="card">Users <strong>{s().totalUsers}</strong></div>
              <div class="card">Orders <strong>{s().totalOrders}</strong></div>
              <div class="card">Revenue <strong>{money(s().totalRevenue)}</strong></div>
              <div class="card">Refunded <strong>{money(s().totalRefunded)}</strong></div>
              <div class="card">Events <strong>{s().totalEvents}</strong></div>
            </div>
            <div class="charts">
              <figure class="card"><figcaption>Sales per hour</figcaption><div class="chart" role="img" aria-label="Revenue and orders per hour"><canvas ref={canvases.sales} /></div></figure>
              <figure class="card"><figcaption>Events by type (top 10)</figcaption><div class="chart" role="img" aria-label="Number of events by type"><canvas ref={canvases.events} /></div></figure>
              <figure class="card"><figcaption>Top products</figcaption><div class="chart" role="img" aria-label="Units sold of the top products"><canvas ref={canvases.top} /></div></figure>
            </div>
          </>
        )}
      </Show>
    </>
  );
}

const TABS = [['products', 'Products', AdminProducts], ['users', 'Users', AdminUsers], ['reviews', 'Reviews', AdminReviews], ['analytics', 'Analytics', AdminAnalytics]];

export function Admin(props) {
  const tab = props.route.param || 'products';
  return (
    <>
      <h1>Admin</h1>
      <Show when={user()?.role === 'admin'} fallback={<p class="alert error" role="alert">Only administrators can see this page.</p>}>
        <nav class="tabs" aria-label="Admin sections">
          <For each={TABS}>{([name, text]) => <a href={href(`/admin/${name}`)} aria-current={tab === name ? 'page' : undefined}>{text}</a>}</For>
        </nav>
        <Dynamic component={TABS.find(([name]) => name === tab)[2]} />
      </Show>
    </>
  );
}
