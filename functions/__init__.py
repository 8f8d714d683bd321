"""Every shopfn function, one folder per domain."""
