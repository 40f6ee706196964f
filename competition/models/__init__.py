"""The database model, one module per part of the domain."""

from competition.models.awards import AwardRule
from competition.models.event import Delegation, EntryType, Event, Trade, TradeStatus
from competition.models.marking import Aspect, Criterion
from competition.models.people import JudgeAssignment, Role, User
from competition.models.registration import Conflict, Contestant, Draw, Entrant, EntrantStatus

__all__ = [
    "Aspect",
    "Conflict",
    "Contestant",
    "Draw",
    "Entrant",
    "EntrantStatus",
    "AwardRule",
    "Criterion",
    "Delegation",
    "EntryType",
    "Event",
    "JudgeAssignment",
    "Role",
    "Trade",
    "TradeStatus",
    "User",
]
