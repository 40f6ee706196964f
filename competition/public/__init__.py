"""Public pages: no login, published and released results only, never personal data."""
