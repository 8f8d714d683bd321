"""Orders: PostgreSQL, the order lifecycle, and the order saga's ConfirmOrder/CancelOrder steps."""
