"""The read-only JSON API: public data only (published, released results)."""
