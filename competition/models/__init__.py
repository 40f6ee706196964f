"""The database model, one module per part of the domain."""

from competition.models.accounts import AccountEvent
from competition.models.awards import AwardRule
from competition.models.certificates import Certificate, CertificateKind, CertificateSettings
from competition.models.counters import Counter
from competition.models.event import Delegation, EntryType, Event, Trade, TradeStatus
from competition.models.jobs import ExportJob, JobStatus
from competition.models.marking import Aspect, Criterion
from competition.models.paper import PaperCell, PaperEntry
from competition.models.people import JudgeAssignment, Position, Role, User
from competition.models.registration import Conflict, Contestant, Draw, Entrant, EntrantStatus
from competition.models.results import ResultLine, ResultVersion
from competition.models.scoring import AuditAction, AuditEntry, Score

__all__ = [
    "AccountEvent",
    "Aspect",
    "AuditAction",
    "AuditEntry",
    "Conflict",
    "Contestant",
    "Counter",
    "Draw",
    "Entrant",
    "EntrantStatus",
    "AwardRule",
    "Certificate",
    "CertificateKind",
    "CertificateSettings",
    "ExportJob",
    "JobStatus",
    "Criterion",
    "Delegation",
    "EntryType",
    "Event",
    "JudgeAssignment",
    "PaperCell",
    "PaperEntry",
    "ResultLine",
    "ResultVersion",
    "Position",
    "Role",
    "Score",
    "Trade",
    "TradeStatus",
    "User",
]
