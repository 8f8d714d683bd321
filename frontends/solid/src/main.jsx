import { render } from 'solid-js/web';
import { Show, untrack } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import '@shopfn/shared/styles.css';
import * as api from '@shopfn/shared/api.js';
import { href, route, router, unread, user } from './app.js';
import { Products } from './pages/Products.jsx';
import { Search } from './pages/Search.jsx';
import { Product } from './pages/Product.jsx';
import { Auth } from './pages/Auth.jsx';
import { Cart } from './pages/Cart.jsx';
import { Orders, Order } from './pages/Orders.jsx';
import { Notifications } from './pages/Notifications.jsx';
import { Admin } from './pages/Admin.jsx';

const PAGES = { products: Products, search: Search, product: Product, login: Auth, register: Auth, cart: Cart, orders: Orders, order: Order, notifications: Notifications, admin: Admin };
const PRIVATE = new Set(['cart', 'orders', 'order', 'notifications', 'admin']);

function App() {
  const current = (...names) => (names.includes(route().name) ? 'page' : undefined);
  // A new page component for every page visited (the key changes with the path).
  const pageKey = () => `${route().name}:${route().param}`;

  async function logout() {
    await api.auth.logout().catch(() => {});
    router.navigate('/');
  }

  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="bar">
        <nav aria-label="Main">
          <a class="brand" href={href('/')}>shopfn <span class="sr-only">(SolidJS)</span></a>
          <a href={href('/')} aria-current={current('products')}>Products</a>
          <a href={href('/search')} aria-current={current('search')}>Search</a>
          <Show
            when={user()}
            fallback={
              <>
                <a href={href('/login')} aria-current={current('login')}>Log in</a>
                <a href={href('/register')} aria-current={current('register')}>Register</a>
              </>
            }
          >
            <a href={href('/cart')} aria-current={current('cart')}>Cart</a>
            <a href={href('/orders')} aria-current={current('orders', 'order')}>My orders</a>
            <a href={href('/notifications')} aria-current={current('notifications')}>
              Notifications <Show when={unread() > 0}><span class="badge">{unread()}</span></Show><span class="sr-only">({unread()} unread)</span>
            </a>
            <Show when={user()?.role === 'admin'}><a href={href('/admin')} aria-current={current('admin')}>Admin</a></Show>
            <button type="button" onClick={logout}>Log out</button>
          </Show>
        </nav>
      </header>
      <main id="main" tabindex="-1">
        <Show
          when={!PRIVATE.has(route().name) || user()}
          fallback={
            <>
              <h1>Please log in</h1>
              <p><a href={href('/login', { next: location.pathname })}>Log in</a> or <a href={href('/register')}>create an account</a> to continue.</p>
            </>
          }
        >
          <Show when={PAGES[route().name] && pageKey()} keyed fallback={<><h1>Page not found</h1><p><a href={href('/')}>Back to the products</a></p></>}>
            {(key) => untrack(() => <Dynamic component={PAGES[route().name]} route={route()} pageKey={key} />)}
          </Show>
        </Show>
      </main>
    </>
  );
}

render(() => <App />, document.getElementById('app'));
