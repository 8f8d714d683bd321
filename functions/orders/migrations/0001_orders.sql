-- Orders: one row per order; items as JSONB (prices snapshotted at checkout).
CREATE TABLE IF NOT EXISTS orders (
    id               text          PRIMARY KEY,
    user_id          text          NOT NULL,
    status           text          NOT NULL
                     CHECK (status IN ('PENDING', 'CONFIRMED', 'SHIPPED', 'CANCELLED')),
    items            jsonb         NOT NULL,
    total            numeric(12,2) NOT NULL CHECK (total >= 0),
    currency         text          NOT NULL,
    shipping_address text          NOT NULL DEFAULT '',
    card_last4       text          NOT NULL DEFAULT '',
    reason           text          NOT NULL DEFAULT '',
    tracking_id      text          NOT NULL DEFAULT '',
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    confirmed_at     timestamptz,
    cancelled_at     timestamptz,
    shipped_at       timestamptz
);
CREATE INDEX IF NOT EXISTS orders_user_created ON orders (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_status_created ON orders (status, created_at DESC);
