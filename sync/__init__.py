"""The encrypted local store, sealing, and the link to the central platform: no Qt."""
