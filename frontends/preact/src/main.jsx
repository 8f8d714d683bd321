import { render } from 'preact';
import '@shopfn/shared/styles.css';
import * as api from '@shopfn/shared/api.js';
import { href, router, useRoute, useUnread, useUser } from './hooks.js';
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
  const route = useRoute();
  const user = useUser();
  const [unread, refreshUnread] = useUnread(user);
  const current = (...names) => (names.includes(route.name) ? 'page' : undefined);
  const Page = PAGES[route.name];

  async function logout() {
    await api.auth.logout().catch(() => {});
    router.navigate('/');
  }

  let content;
  if (PRIVATE.has(route.name) && !user) {
    content = (
      <>
        <h1>Please log in</h1>
        <p><a href={href('/login', { next: location.pathname })}>Log in</a> or <a href={href('/register')}>create an account</a> to continue.</p>
      </>
    );
  } else if (Page) {
    // keyed by route: every page visited is a fresh component
    content = <Page key={`${route.name}:${route.param}`} route={route} user={user} refreshUnread={refreshUnread} />;
  } else {
    content = (
      <>
        <h1>Page not found</h1>
        <p><a href={href('/')}>Back to the products</a></p>
      </>
    );
  }

  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="bar">
        <nav aria-label="Main">
          <a class="brand" href={href('/')}>shopfn <span class="sr-only">(Preact)</span></a>
          <a href={href('/')} aria-current={current('products')}>Products</a>
          <a href={href('/search')} aria-current={current('search')}>Search</a>
          {user ? (
            <>
              <a href={href('/cart')} aria-current={current('cart')}>Cart</a>
              <a href={href('/orders')} aria-current={current('orders', 'order')}>My orders</a>
              <a href={href('/notifications')} aria-current={current('notifications')}>
                Notifications {unread > 0 && <span class="badge">{unread}</span>}<span class="sr-only">({unread} unread)</span>
              </a>
              {user.role === 'admin' && <a href={href('/admin')} aria-current={current('admin')}>Admin</a>}
              <button type="button" onClick={logout}>Log out</button>
            </>
          ) : (
            <>
              <a href={href('/login')} aria-current={current('login')}>Log in</a>
              <a href={href('/register')} aria-current={current('register')}>Register</a>
            </>
          )}
        </nav>
      </header>
      <main id="main" tabindex="-1">{content}</main>
    </>
  );
}

render(<App />, document.getElementById('app'));
