"""The local emulator: gateway, broker and the servers behind them."""
