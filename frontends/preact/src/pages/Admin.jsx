import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from '@shopfn/shared/api.js';
import { drawDashboard } from '@shopfn/shared/dashboard.js';
import { dateTime, errorText, money, productFields, productForm } from '@shopfn/shared/format.js';
import { href, useLoader } from '../hooks.js';
import { Pager, Stars, Status, bind, submitting } from '../components.jsx';


function AdminProducts() {
  const [page, setPage] = useState(1);
  const list = useLoader(() => api.products.list({ page, pageSize: 10 }), [page]);
  const [editing, setEditing] = useState(null);
  const [form, setForm] = useState(productForm());
  const [formError, setFormError] = useState(null);
  const [notice, setNotice] = useState('');
  const nameInput = useRef(null);

  function edit(p) {
    setEditing(p._id);
    setForm(productForm(p));
    nameInput.current.focus();
  }
  const reset = () => {
    setEditing(null);
    setForm(productForm());
  };

  async function save() {
    setFormError(null);
    const { name } = form;
    const fields = productFields(form);
    try {
      const saved = editing ? await api.products.update(editing, fields) : await api.products.create(fields);
      list.setData(api.upsertInPage(list.data, 'products', saved));
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
      list.setData(api.removeFromPage(list.data, 'products', p._id));
      setNotice(`Deleted “${p.name}”.`);
    } catch (e) {
      list.setError(errorText(e));
    }
  }

  return (
    <div class="stack">
      <form class="card stack" aria-label={editing ? 'Edit product' : 'New product'} onSubmit={submitting(save)}>
        <h2>{editing ? 'Edit product' : 'New product'}</h2>
        <label>Name <input ref={nameInput} required maxLength={200} {...bind(form, setForm, 'name')} /><span class="field-error">{formError?.fieldError?.('name') || ''}</span></label>
        <label>Description <textarea rows={2} {...bind(form, setForm, 'description')} /></label>
        <div class="row">
          <label>Price <input type="number" min="0.01" step="0.01" required {...bind(form, setForm, 'price')} /></label>
          <label>Stock <input type="number" min="0" step="1" required {...bind(form, setForm, 'stock')} /></label>
          <label>Category <input required pattern="[a-z0-9][a-z0-9\-]*" {...bind(form, setForm, 'category')} /></label>
        </div>
        <label>Specifications (one “name: value” per line) <textarea rows={2} {...bind(form, setForm, 'specs')} /></label>
        {formError && <p class="alert error" role="alert">{formError.message}</p>}
        <div class="row">
          <button type="submit">{editing ? 'Save changes' : 'Create product'}</button>
          {editing && <button type="button" class="secondary" onClick={reset}>Cancel editing</button>}
        </div>
      </form>
      {notice && <p class="alert ok" role="status">{notice}</p>}
      <Status loader={list} what="products" />
      {list.data && (
        <>
          <div class="table-wrap"><table>
            <caption class="sr-only">Products</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Category</th><th scope="col">Price</th><th scope="col">Stock</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {list.data.products.map((p) => (
                <tr key={p._id}>
                  <td>{p.name}</td><td>{p.category}</td><td>{money(p.price)}</td><td>{p.stock}</td>
                  <td class="row"><button type="button" class="secondary" aria-label={`Edit ${p.name}`} onClick={() => edit(p)}>Edit</button>
                    <button type="button" class="danger" aria-label={`Delete ${p.name}`} onClick={() => remove(p)}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table></div>
          <Pager data={list.data} go={setPage} />
        </>
      )}
    </div>
  );
}

function AdminUsers() {
  const [page, setPage] = useState(1);
  const list = useLoader(() => api.users.list({ page, pageSize: 20 }), [page]);
  const [notice, setNotice] = useState('');

  async function setRole(user, role) {
    try {
      list.setData(api.upsertInPage(list.data, 'users', await api.users.update(user._id, { role })));
      setNotice(`${user.email} is now ${role}.`);
    } catch (e) {
      list.setError(errorText(e));
    }
  }

  return (
    <>
      {notice && <p class="alert ok" role="status">{notice}</p>}
      <Status loader={list} what="users" />
      {list.data && (
        <>
          <div class="table-wrap"><table>
            <caption class="sr-only">Users</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Joined</th><th scope="col">Role</th></tr></thead>
            <tbody>
              {list.data.users.map((u) => (
                <tr key={u._id}>
                  <td>{u.name}</td><td>{u.email}</td><td>{dateTime(u.createdAt)}</td>
                  <td><select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => setRole(u, e.currentTarget.value)}>
                    <option value="user">user</option><option value="admin">admin</option>
                  </select></td>
                </tr>
              ))}
            </tbody>
          </table></div>
          <Pager data={list.data} go={setPage} />
        </>
      )}
    </>
  );
}

function AdminReviews() {
  const [productId, setProductId] = useState('');
  const list = useLoader(() => api.reviews.list(productId.trim(), { pageSize: 50 }), [productId], { now: false });

  async function hide(review) {
    try {
      await api.reviews.hide(review._id);
      list.setData(api.removeFromPage(list.data, 'reviews', review._id));
    } catch (e) {
      list.setError(errorText(e));
    }
  }

  return (
    <div class="stack">
      <form class="row" onSubmit={submitting(list.reload)}>
        <label>Product ID <input required value={productId} onInput={(e) => setProductId(e.currentTarget.value)} /></label>
        <button type="submit">Show reviews</button>
      </form>
      <Status loader={list} what="reviews" />
      {list.data && (
        <>
          {!list.data.reviews.length && <p class="empty">No visible reviews for this product.</p>}
          <ul class="plain">
            {list.data.reviews.map((r) => (
              <li class="card row spread" key={r._id}>
                <span><Stars rating={r.rating} /> <strong>{r.title}</strong> {r.text}</span>
                <button type="button" class="danger" aria-label={`Hide review ${r.title || r._id}`} onClick={() => hide(r)}>Hide</button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function AdminAnalytics() {
  const summary = useLoader(() => api.analytics.summary());
  const sales = useRef(null);
  const events = useRef(null);
  const top = useRef(null);
  useEffect(() => {
    if (summary.data) return drawDashboard({ sales: sales.current, events: events.current, top: top.current }, summary.data);
  }, [summary.data]);

  const s = summary.data;
  return (
    <>
      <Status loader={summary} what="analytics" />
      {s && (
        <>
          <div class="kpis">
            <div class="card">Users <strong>{s.totalUsers}</strong></div>
            <div class="card">Orders <strong>{s.totalOrders}</strong></div>
            <div class="card">Revenue <strong>{money(s.totalRevenue)}</strong></div>
            <div class="card">Refunded <strong>{money(s.totalRefunded)}</strong></div>
            <div class="card">Events <strong>{s.totalEvents}</strong></div>
          </div>
          <div class="charts">
            <figure class="card"><figcaption>Sales per hour</figcaption><div class="chart" role="img" aria-label="Revenue and orders per hour"><canvas ref={sales} /></div></figure>
            <figure class="card"><figcaption>Events by type (top 10)</figcaption><div class="chart" role="img" aria-label="Number of events by type"><canvas ref={events} /></div></figure>
            <figure class="card"><figcaption>Top products</figcaption><div class="chart" role="img" aria-label="Units sold of the top products"><canvas ref={top} /></div></figure>
          </div>
        </>
      )}
    </>
  );
}

const TABS = [['products', 'Products', AdminProducts], ['users', 'Users', AdminUsers], ['reviews', 'Reviews', AdminReviews], ['analytics', 'Analytics', AdminAnalytics]];

export function Admin({ route, user }) {
  const tab = route.param || 'products';
  const Section = TABS.find(([name]) => name === tab)[2];
  return (
    <>
      <h1>Admin</h1>
      {user.role !== 'admin' ? (
        <p class="alert error" role="alert">Only administrators can see this page.</p>
      ) : (
        <>
          <nav class="tabs" aria-label="Admin sections">
            {TABS.map(([name, text]) => <a href={href(`/admin/${name}`)} aria-current={tab === name ? 'page' : undefined}>{text}</a>)}
          </nav>
          <Section />
        </>
      )}
    </>
  );
}
