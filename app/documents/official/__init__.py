"""Official documents (公文) drawn to GB/T 9704-2012, one module per job. Import from the
modules themselves: this package exposes nothing of its own."""
