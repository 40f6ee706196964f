"""Log in, log out, change one's password."""

from competition.auth.views import bp

__all__ = ["bp"]
