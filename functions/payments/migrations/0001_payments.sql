-- One payment per order (the primary key is what makes a second charge impossible).
CREATE TABLE IF NOT EXISTS payments (
    order_id    text          PRIMARY KEY,
    payment_id  text          NOT NULL UNIQUE,
    user_id     text          NOT NULL,
    amount      numeric(12,2) NOT NULL,
    currency    text          NOT NULL,
    card_last4  text          NOT NULL DEFAULT '',
    status      text          NOT NULL CHECK (status IN ('charged', 'declined', 'voided', 'refunded')),
    reason      text          NOT NULL DEFAULT '',
    created_at  timestamptz   NOT NULL DEFAULT now(),
    refunded_at timestamptz
);
