"""The organizer's set-up pages: the event (``event``), trades with their marking schemes and
award rules (``trades``), judges and panels (``judges``), and imports from Excel (``imports``)."""

from competition.setup import event, imports, judges, trades  # noqa: F401  (their routes join bp)
from competition.setup.blueprint import bp

__all__ = ["bp"]
