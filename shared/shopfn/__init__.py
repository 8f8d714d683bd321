"""shopfn: the commons library every shopfn function imports."""
