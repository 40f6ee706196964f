"""The one home of what every choice is called: enum value → untranslated message.

Forms, templates, the results workbook, the API and the command line all name an entry type, an
aspect kind, a status or an award through these tables (``competition.web.labels`` translates
them for pages and forms; services pass them to ``gettext``). Messages are marked with ``N_`` so
that extraction finds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from competition.domain.aggregation import Aggregation, AspectKind
from competition.domain.awards import EXCELLENCE_LABEL, Tier, tier_label
from competition.domain.entrants import EntrantStatus, EntryType
from competition.domain.idcard import IdType
from competition.domain.messages import N_
from competition.domain.panel import Position
from competition.domain.roles import Role
from competition.domain.trade_state import TradeStatus

ENTRY_TYPES = {EntryType.INDIVIDUAL: N_("Individual"), EntryType.PAIR: N_("Pair"),
               EntryType.TEAM: N_("Team")}
TEAM_OF = N_("Team of %(n)s")
ROLES = {Role.ADMINISTRATOR: N_("Administrator"), Role.ORGANIZER: N_("Organizer"),
         Role.JUDGE: N_("Judge"), Role.CHIEF_JUDGE: N_("Chief judge"),
         Role.SUPERVISOR: N_("Supervisor")}
POSITIONS = {Position.JUDGE: N_("Judge"), Position.CHIEF: N_("Chief judge"),
             Position.DEPUTY: N_("Deputy chief judge")}
"""A panel member's position on a trade."""
ASPECT_KINDS = {AspectKind.MEASUREMENT: N_("Measurement"),
                AspectKind.JUDGEMENT: N_("Judgement (0-3)"),
                AspectKind.PANEL_MARK: N_("Panel mark")}
AGGREGATIONS = {Aggregation.MEAN: N_("Mean"), Aggregation.TRIMMED_MEAN: N_("Trimmed mean"),
                Aggregation.MEDIAN: N_("Median")}
TRADE_STATUSES = {TradeStatus.SETUP: N_("Being set up"), TradeStatus.OPEN: N_("Open for scoring"),
                  TradeStatus.SIGNED_OFF: N_("Signed off")}
PUBLIC_TRADE_STATUSES = {TradeStatus.SETUP: N_("Scheduled"), TradeStatus.OPEN: N_("In progress"),
                         TradeStatus.SIGNED_OFF: N_("Marking finished, results to come")}
"""What the public sees of a trade not yet published."""
ENTRANT_STATUSES = {EntrantStatus.REGISTERED: N_("Registered"),
                    EntrantStatus.WITHDRAWN: N_("Withdrawn"), EntrantStatus.ABSENT: N_("Absent"),
                    EntrantStatus.DISQUALIFIED: N_("Disqualified")}
ID_TYPES = {IdType.RESIDENT: N_("Resident ID card"), IdType.PASSPORT: N_("Passport"),
            IdType.HK_MACAO: N_("Hong Kong / Macao permit"), IdType.TAIWAN: N_("Taiwan permit"),
            IdType.OTHER: N_("Other")}
GENDERS = {"M": N_("Male"), "F": N_("Female")}
MEDAL_ORDERS = {"gold": N_("Gold first"), "total": N_("Total first"), "points": N_("Points")}
PRIZE_ORDERS = {"gold": N_("First prizes first"), "total": N_("Total first"), "points": N_("Points")}
"""The medal table's orders named for an event that awards prizes."""
SCALINGS = {"raw": N_("Raw marks"), "worldskills": N_("WorldSkills scale (700)")}
AWARD_METHODS = {"places": N_("Places: 1st, 2nd, 3rd"),
                 "quotas": N_("Quotas: fixed numbers of prizes"),
                 "ratios": N_("Ratios: shares of the field"),
                 "tie_window": N_("WorldSkills tie window")}
AWARD_NAMES = {"medals": N_("Gold / silver / bronze"), "prizes": N_("1st / 2nd / 3rd prize")}
ROUNDINGS = {"half_up": N_("Round half up"), "floor": N_("Round down"), "ceil": N_("Round up")}
EXCELLENCE_KINDS = {"none": N_("None"), "top_half": N_("Top half of the field without a medal"),
                    "threshold": N_("Score at or above a threshold")}
CERTIFICATE_KINDS = {"award": N_("Award certificates"), "title": N_("Title certificates"),
                     "participation": N_("Participation certificates")}
CERTIFICATE_KIND_NAMES = {"award": N_("Award"), "title": N_("Title"),
                          "participation": N_("Participation")}
"""A certificate's kind as its verification page names the award line."""
JOB_STATUSES = {"queued": N_("Waiting to start"), "running": N_("Printing"), "done": N_("Done"),
                "failed": N_("Failed")}
DRAW_KINDS = {"numbers": N_("Numbers"), "codes": N_("Codes")}
CERTIFICATE_LAYOUTS = {"classic": N_("Classic (red and gold)"), "modern": N_("Modern")}
CERTIFICATE_LANGUAGES = {"zh": N_("Chinese"), "zh_en": N_("Chinese and English")}

Translate = Callable[[str], str]


def entry_type_text(entry_type: EntryType | str, team_size: int, translate: Translate) -> str:
    """"Individual", "Pair" or "Team of 4"."""
    if entry_type == EntryType.TEAM:
        return translate(TEAM_OF) % {"n": team_size}
    return translate(ENTRY_TYPES[EntryType(entry_type)])


def status_text(status: EntrantStatus | str, translate: Translate) -> str:
    """What a results list says of an entrant's status: nothing for one who competed, else
    "Withdrawn", "Absent" or "Disqualified"."""
    if status == EntrantStatus.REGISTERED or status not in ENTRANT_STATUSES:
        return ""
    return translate(ENTRANT_STATUSES[EntrantStatus(status)])


def order_text(order: str, labels: str, translate: Translate) -> str:
    """The name of a medal-table order in the event's award names ("Gold first", "First prizes
    first", ...)."""
    return translate((PRIZE_ORDERS if labels == "prizes" else MEDAL_ORDERS)[order])


def tier_text(tier: int, labels: str, translate: Translate) -> str:
    return translate(tier_label(Tier(tier), labels))


def award_text(tier: int | None, excellence: bool, title_names: Iterable[str], labels: str,
               translate: Translate) -> str:
    """The award as a reader sees it: "Gold · 河南省技术能手", "Excellence", or ""."""
    parts = []
    if tier:
        parts.append(tier_text(tier, labels, translate))
    elif excellence:
        parts.append(translate(EXCELLENCE_LABEL))
    parts.extend(title_names)
    return " · ".join(parts)


TIER_CODES = {"medals": ("gold", "silver", "bronze"),
              "prizes": ("first_prize", "second_prize", "third_prize")}


def award_code(tier: int | None, excellence: bool, labels: str) -> str | None:
    """A stable code for the API: gold/silver/bronze, first_prize/…, excellence, or None."""
    if tier:
        return TIER_CODES.get(labels, TIER_CODES["medals"])[tier - 1]
    return "excellence" if excellence else None
