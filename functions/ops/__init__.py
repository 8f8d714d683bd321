"""Operations: dead letters and the outbox relay."""
