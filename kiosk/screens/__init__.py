"""One module per screen. A screen renders state and emits what the resident did."""
