"""Panel pages, one module per part of the process."""
