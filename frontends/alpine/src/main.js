// The Alpine.js shop: one global store (session, route, counts) and one x-data component per page.
import Alpine from 'alpinejs';
import '@shopfn/shared/styles.css';
import * as api from '@shopfn/shared/api.js';
import * as fmt from '@shopfn/shared/format.js';
import { orderSteps, statusText, watchOrder, FINAL } from '@shopfn/shared/orders.js';
import { createRouter } from '@shopfn/shared/router.js';
import { drawDashboard } from '@shopfn/shared/dashboard.js';

const router = createRouter(import.meta.env.BASE_URL);

// Helpers every template can call: $fmt.money(...), $steps(order), ...
Alpine.magic('fmt', () => fmt);
Alpine.magic('steps', () => orderSteps);
Alpine.magic('statusText', () => statusText);
Alpine.magic('href', () => router.href);

Alpine.store('app', {
  route: router.current(),
  user: api.currentUser(),
  unread: 0,
  get isAdmin() {
    return this.user?.role === 'admin';
  },
  go: router.navigate,
  async refreshUnread() {
    if (!this.user) return (this.unread = 0);
    try {
      this.unread = (await api.notifications.list(this.user.id, { limit: 1 })).unread;
    } catch {
      /* the badge is a hint; the notifications page shows errors */
    }
  },
  async logout() {
    await api.auth.logout().catch(() => {});
    router.navigate('/');
  },
});

/** Shared shape of a page that loads something: loading, error and the loaded data. */
function loader(load) {
  return {
    loading: true,
    error: '',
    data: null,
    async reload() {
      this.loading = true;
      this.error = '';
      try {
        this.data = await load.call(this);
      } catch (e) {
        this.error = fmt.errorText(e);
      } finally {
        this.loading = false;
      }
    },
    init() {
      this.reload();
    },
  };
}

Alpine.data('productsPage', () => ({
  ...loader(function () {
    return api.products.list(fmt.cleanQuery(this.filters));
  }),
  categories: [],
  init() {
    this.reload();
    api.categories().then((list) => (this.categories = list));
  },
  filters: { category: '', minPrice: '', maxPrice: '', inStock: false, sort: 'newest', page: 1, pageSize: 12, ...Alpine.store('app').route.query },
  get info() {
    return api.pageInfo(this.data || {});
  },
  apply() {
    this.filters.page = 1;
    this.sync();
  },
  goPage(page) {
    this.filters.page = page;
    this.sync();
  },
  sync() {
    router.navigate('/', fmt.cleanQuery({ ...this.filters, pageSize: undefined }), { replace: true });
    this.reload();
  },
}));

Alpine.data('searchPage', () => ({
  ...loader(function () {
    return this.params.q || this.params.category ? api.search(fmt.cleanQuery(this.params)) : null;
  }),
  params: { q: '', category: '', minPrice: '', maxPrice: '', sort: 'relevance', page: 1, ...Alpine.store('app').route.query },
  get info() {
    return api.pageInfo(this.data || {});
  },
  run(changes = {}) {
    Object.assign(this.params, { page: 1 }, changes);
    router.navigate('/search', fmt.cleanQuery(this.params), { replace: true });
    this.reload();
  },
}));

Alpine.data('productPage', () => ({
  ...loader(async function () {
    const id = Alpine.store('app').route.param;
    const [product, list] = await Promise.all([api.products.get(id), api.reviews.list(id, { pageSize: 50 })]);
    return { product, reviews: list.reviews };
  }),
  qty: 1,
  message: '',
  review: { rating: '5', title: '', text: '' },
  reviewError: '',
  async addToCart() {
    this.message = '';
    if (!Alpine.store('app').user) return router.navigate('/login', { next: location.pathname });
    try {
      await api.cart.add(this.data.product._id, Number(this.qty));
      this.message = 'Added to your cart.';
    } catch (e) {
      this.message = fmt.errorText(e);
    }
  },
  async postReview() {
    this.reviewError = '';
    try {
      await api.reviews.create(this.data.product._id, { ...this.review, rating: Number(this.review.rating) });
      this.review = { rating: '5', title: '', text: '' };
      await this.reload();
    } catch (e) {
      this.reviewError = fmt.errorText(e);
    }
  },
}));

Alpine.data('authForm', (mode) => ({
  form: { name: '', email: '', password: '' },
  error: null,
  busy: false,
  async submit() {
    this.busy = true;
    this.error = null;
    try {
      if (mode === 'register') await api.auth.register(this.form);
      else await api.auth.login(this.form.email, this.form.password);
      router.continueTo(Alpine.store('app').route.query.next);
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = false;
    }
  },
  fieldError(name) {
    return this.error?.fieldError?.(name) || '';
  },
}));

Alpine.data('cartPage', () => ({
  ...loader(() => api.cart.get()),
  checkout: { cardNumber: '4242424242424242', shippingAddress: '' },
  actionError: '',
  placing: false,
  async change(fn) {
    this.actionError = '';
    try {
      this.data = (await fn()) || (await api.cart.get());
    } catch (e) {
      this.actionError = fmt.errorText(e);
    }
  },
  setQty(item, value) {
    return this.change(() => api.cart.setQuantity(item.productId, Number(value)));
  },
  remove(item) {
    return this.change(() => api.cart.remove(item.productId));
  },
  async placeOrder() {
    this.placing = true;
    this.actionError = '';
    try {
      const order = await api.cart.checkout(this.checkout);
      router.navigate(`/orders/${order.id}`);
    } catch (e) {
      this.actionError = fmt.errorText(e);
    } finally {
      this.placing = false;
    }
  },
}));

Alpine.data('ordersPage', () => ({
  ...loader(function () {
    return api.orders.list({ page: this.page, pageSize: 10 });
  }),
  page: 1,
  get info() {
    return api.pageInfo(this.data || {});
  },
  goPage(page) {
    this.page = page;
    this.reload();
  },
}));

Alpine.data('orderPage', () => ({
  order: null,
  error: '',
  stop: null,
  init() {
    this.follow();
  },
  follow(until) {
    this.stop?.();
    this.stop = watchOrder(
      Alpine.store('app').route.param,
      (order) => {
        this.order = order;
        this.error = '';
        if (FINAL.has(order.status)) Alpine.store('app').refreshUnread();
      },
      { until, onError: (e) => (this.error = fmt.errorText(e)) },
    );
  },
  async cancel() {
    try {
      this.order = await api.orders.cancel(this.order.id);
      this.follow((o) => ['CANCELLED', 'SHIPPED'].includes(o.status));
    } catch (e) {
      this.error = fmt.errorText(e);
    }
  },
  destroy() {
    this.stop?.();
  },
}));

Alpine.data('notificationsPage', () => ({
  ...loader(() => api.notifications.list(Alpine.store('app').user.id)),
  timer: null,
  init() {
    this.reload();
    // New notifications arrive from the event consumers: keep the feed fresh while it is open.
    this.timer = setInterval(() => this.reload(), 4000);
  },
  destroy() {
    clearInterval(this.timer);
  },
  async markRead(n) {
    await api.notifications.markRead(Alpine.store('app').user.id, n.id).catch(() => {});
    await this.reload();
    Alpine.store('app').refreshUnread();
  },
  async markAll() {
    await api.notifications.markAllRead(Alpine.store('app').user.id).catch(() => {});
    await this.reload();
    Alpine.store('app').refreshUnread();
  },
}));

Alpine.data('adminProducts', () => ({
  ...loader(function () {
    return api.products.list({ page: this.page, pageSize: 10 });
  }),
  page: 1,
  editing: null,
  form: fmt.productForm(),
  formError: null,
  notice: '',
  get info() {
    return api.pageInfo(this.data || {});
  },
  goPage(page) {
    this.page = page;
    this.reload();
  },
  edit(p) {
    this.editing = p._id;
    this.form = fmt.productForm(p);
    this.$nextTick(() => this.$refs.name.focus());
  },
  reset() {
    this.editing = null;
    this.form = fmt.productForm();
  },
  async save() {
    this.formError = null;
    const { name } = this.form;
    try {
      const saved = this.editing ? await api.products.update(this.editing, fmt.productFields(this.form)) : await api.products.create(fmt.productFields(this.form));
      this.data = api.upsertInPage(this.data, 'products', saved);
      this.notice = `Saved “${name}”.`;
      this.reset();
    } catch (e) {
      this.formError = e;
    }
  },
  async remove(p) {
    if (!confirm(`Delete “${p.name}”?`)) return;
    try {
      await api.products.remove(p._id);
      this.data = api.removeFromPage(this.data, 'products', p._id);
      this.notice = `Deleted “${p.name}”.`;
    } catch (e) {
      this.error = fmt.errorText(e);
    }
  },
}));

Alpine.data('adminUsers', () => ({
  ...loader(function () {
    return api.users.list({ page: this.page, pageSize: 20 });
  }),
  page: 1,
  notice: '',
  get info() {
    return api.pageInfo(this.data || {});
  },
  goPage(page) {
    this.page = page;
    this.reload();
  },
  async setRole(user, role) {
    try {
      this.data = api.upsertInPage(this.data, 'users', await api.users.update(user._id, { role }));
      this.notice = `${user.email} is now ${role}.`;
    } catch (e) {
      this.error = fmt.errorText(e);
    }
  },
}));

Alpine.data('adminReviews', () => ({
  ...loader(function () {
    return api.reviews.list(this.productId.trim(), { pageSize: 50 });
  }),
  productId: '',
  init() {
    this.loading = false; // nothing to show until a product is chosen
  },
  async hide(review) {
    try {
      await api.reviews.hide(review._id);
      this.data = api.removeFromPage(this.data, 'reviews', review._id);
    } catch (e) {
      this.error = fmt.errorText(e);
    }
  },
}));

Alpine.data('adminAnalytics', () => ({
  ...loader(() => api.analytics.summary()),
  undraw: null,
  init() {
    this.$watch('data', (summary) => {
      this.undraw?.();
      if (summary) this.$nextTick(() => (this.undraw = drawDashboard(this.$refs, summary)));
    });
    this.reload();
  },
  destroy() {
    this.undraw?.();
  },
}));

router.subscribe((route) => {
  Alpine.store('app').route = route;
});
api.onSessionChange((user) => {
  Alpine.store('app').user = user;
  Alpine.store('app').refreshUnread();
});
Alpine.store('app').refreshUnread();
setInterval(() => Alpine.store('app').refreshUnread(), 5000);

window.Alpine = Alpine;
Alpine.start();
