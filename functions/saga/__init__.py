"""The orchestrated order saga: a pure state machine driven by consumers, kept in PostgreSQL."""
