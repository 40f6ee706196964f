"""Demo competitions: the seed's size (70 trades, 19 delegations, 1,091 judges) and a small one.

Everything is drawn from a fixed random seed, so two loads give the same competition.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from competition.domain.aggregation import Aggregation, AspectKind
from competition.domain.idcard import birth_date_and_gender, check_digit
from competition.extensions import db
from competition.models import (
    Aspect,
    AwardRule,
    Contestant,
    Criterion,
    Delegation,
    Entrant,
    EntryType,
    Event,
    JudgeAssignment,
    Role,
    Trade,
    User,
)
from competition.services import judging, registration, results
from competition.services.accounts import hash_password
from competition.services.demo import scores as demo_scores
from competition.services.errors import committing

# Names, trades and places the demo draws from (see "about" in the file).
DATA = json.loads((Path(__file__).with_name("data.json")).read_text(encoding="utf-8"))
DELEGATIONS = [tuple(d[:3]) for d in DATA["delegations"]]
AREA_CODES = [d[3] for d in DATA["delegations"]]
TRADES = [tuple(t) for t in DATA["trades"]]
DEMONSTRATION = [tuple(t) for t in DATA["demonstration"]]
SMALL_TRADES = DATA["small_trades"]
SURNAMES, GIVEN = DATA["surnames"], DATA["given_names"]
CRITERIA = [tuple(c) for c in DATA["criteria"]]
ASPECT_WORDS, EMPLOYERS = DATA["aspect_words"], DATA["employers"]


@dataclass(frozen=True)
class Size:
    trades: int
    pairs: int
    demonstration: int
    judges: int
    delegations: int
    contestants: int


SIZES = {"seed": Size(trades=60, pairs=6, demonstration=10, judges=1091, delegations=19,
                      contestants=2221),
         "small": Size(trades=8, pairs=0, demonstration=1, judges=45, delegations=10, contestants=69)}



def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def scheme(rng: random.Random, trade: Trade) -> None:
    """A plausible marking scheme of 100 marks: theory, then practical criteria."""
    criteria = CRITERIA[: rng.choice((3, 4, 5))]
    remaining = 100
    for position, (code, name_zh, name_en) in enumerate(criteria):
        last = position == len(criteria) - 1
        share = remaining if last else (20 if code == "A" else rng.choice((15, 20, 25)))
        share = min(share, remaining - 5 * (len(criteria) - position - 1))
        remaining -= share
        criterion = Criterion(code=code, name_zh=name_zh, name_en=name_en, position=position)
        parts = 1 if code == "A" else rng.choice((2, 3, 4))
        marks = [share // parts] * parts
        marks[-1] += share - sum(marks)
        for i, mark in enumerate(marks):
            kind = AspectKind.MEASUREMENT if code == "A" else rng.choice(
                (AspectKind.MEASUREMENT, AspectKind.MEASUREMENT, AspectKind.JUDGEMENT, AspectKind.PANEL_MARK))
            criterion.aspects.append(Aspect(
                code=f"{code}{i + 1}", position=i, kind=kind, max_mark=Decimal(mark),
                description_zh="理论考试" if code == "A" else rng.choice(ASPECT_WORDS),
                aggregation=Aggregation.TRIMMED_MEAN if kind == AspectKind.PANEL_MARK else Aggregation.MEAN,
                trimmed_count=1, decimals=0 if kind == AspectKind.JUDGEMENT else 1))
        trade.criteria.append(criterion)


def resident_id(rng: random.Random, area: str, gender: str) -> str:
    """A valid-looking resident ID number (right check digit, gender digit and birth date)."""
    born = date(rng.randint(1986, 2006), rng.randint(1, 12), rng.randint(1, 28))
    sequence = rng.randint(0, 49) * 2 + (1 if gender == "M" else 0) + rng.randint(0, 4) * 100
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


def field_sizes(size: Size, trades: list[Trade]) -> list[int]:
    """How many contestants each trade gets so that the event has exactly ``size.contestants``."""
    team_trades = [t for t in trades if t.team_size > 1]
    per_team_trade = 32 if team_trades else 0
    rest = size.contestants - per_team_trade * len(team_trades)
    individual = [t for t in trades if t.team_size == 1]
    base, extra = divmod(rest, len(individual))
    sizes = iter([base + 1] * extra + [base] * (len(individual) - extra))
    return [per_team_trade if t.team_size > 1 else next(sizes) for t in trades]


def contestants(rng: random.Random, event: Event, trades: list[Trade],
                delegations: list[Delegation], size: Size) -> None:
    """Register ``size.contestants`` people: each trade's field spread over the delegations
    within the quota, pairs as teams of one delegation."""
    taken: set[str] = set()
    for trade, count in zip(trades, field_sizes(size, trades)):
        entrants_wanted = count // trade.team_size
        quota = trade.quota_per_delegation or entrants_wanted
        slots = [d for d in delegations for _ in range(quota)]
        rng.shuffle(slots)
        chosen = sorted(slots[:entrants_wanted], key=delegations.index)
        number = 0
        for team_no, delegation in enumerate(chosen, start=1):
            entrant = Entrant(trade=trade, delegation=delegation,
                              team_name=f"{delegation.name_zh}{team_no}队" if trade.team_size > 1 else None)
            city = delegation.name_zh.removesuffix("市")
            for _member in range(trade.team_size):
                number += 1
                gender = rng.choice("MMF")
                id_number = resident_id(rng, AREA_CODES[delegations.index(delegation)], gender)
                while id_number in taken:
                    id_number = resident_id(rng, AREA_CODES[delegations.index(delegation)], gender)
                taken.add(id_number)
                born, _sex = birth_date_and_gender("resident", id_number)
                entrant.members.append(Contestant(
                    event_id=event.id, trade=trade, delegation=delegation, name=person_name(rng),
                    gender=gender, id_type="resident", id_number=id_number, birth_date=born,
                    employer=rng.choice(EMPLOYERS).format(city=city),
                    phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
                    competitor_number=f"{trade.code}-{number:03d}"))
            db.session.add(entrant)


def run_competition(rng: random.Random, event: Event, trades: list[Trade]) -> None:
    """Take the demo to the state of a competition's last day: lots drawn (two trades judged
    blind), every mark entered, every trade but the last two signed off and published; the two
    still open keep their discrepancies for the chief judge to resolve."""
    organizer = db.session.scalar(sa.select(User).where(User.event_id == event.id,
                                                        User.role == Role.ORGANIZER))
    for trade in trades:
        registration.draw(trade, organizer, "numbers")
    for trade in trades[6:8]:
        trade.uses_anonymous_codes = True
        registration.draw(trade, organizer, "codes")
    demo_scores.add_scores(event, rng)
    for trade in trades[:-2]:
        chief = next(a.user for a in trade.assignments if a.is_chief)
        judging.sign_off(trade, chief, note="示范数据：差异已在纸质评分表上核对。")
    results.publish_all(event, organizer)


def build(size_name: str, code: str | None = None, run: bool = True) -> dict[str, str]:
    """Create the demo event; returns the logins made ({username: password}). With ``run``
    False it stops after registration (benchmarks time the later steps themselves)."""
    with committing():
        event, trades, logins, rng = _register(size_name, code)
    if run:
        run_competition(rng, event, trades)
    return logins


def _register(size_name: str, code: str | None):
    """The event, its delegations, trades, judges and contestants (in the caller's
    transaction)."""
    size = SIZES[size_name]
    rng = random.Random(f"demo-{size_name}")
    code = code or ("HN2026" if size_name == "seed" else "DEMO2026")
    if db.session.scalar(sa.select(Event.id).where(Event.code == code)):
        raise ValueError(f"event {code} exists already")
    event = Event(code=code, organizer_name="河南省人力资源和社会保障厅",
                  name_zh="河南省第二届职业技能大赛" if size_name == "seed" else "市职业技能竞赛（示范）",
                  name_en="2nd Henan Vocational Skills Competition" if size_name == "seed"
                  else "City Vocational Skills Competition (demo)",
                  venue="郑州国际会展中心", start_date=date(2026, 11, 20), end_date=date(2026, 11, 23))
    db.session.add(event)
    event.award_rules.append(AwardRule(
        method="places" if size_name == "seed" else "quotas",
        labels="medals" if size_name == "seed" else "prizes",
        quota_first=1, quota_second=2 if size_name == "small" else 1,
        quota_third=3 if size_name == "small" else 1,
        excellence="top_half" if size_name == "seed" else "none",
        titles=[{"name_zh": "河南省技术能手", "name_en": "Henan Technical Expert", "up_to_place": 5}]
        if size_name == "seed" else []))
    delegations = [Delegation(code=c, name_zh=zh, name_en=en)
                   for c, zh, en in DELEGATIONS[: size.delegations]]
    event.delegations.extend(delegations)
    if size_name == "seed":
        names = TRADES[: size.trades]
        demo = DEMONSTRATION[: size.demonstration]
    else:
        names = [(n, n, "") for n in SMALL_TRADES[: size.trades]]
        demo = [(n, n, "") for n in SMALL_TRADES[size.trades: size.trades + size.demonstration]]
    trades = []
    for number, (name_zh, name_en, category) in enumerate(names + demo, start=1):
        is_demo = number > len(names)
        pair = number <= size.pairs
        trade = Trade(code=f"{'D' if is_demo else 'T'}{number:02d}", name_zh=name_zh,
                      name_en=name_en if name_en != name_zh else "", category=category,
                      entry_type=EntryType.PAIR if pair else EntryType.INDIVIDUAL,
                      team_size=2 if pair else 1, is_demonstration=is_demo,
                      quota_per_delegation=1 if pair else 2)
        scheme(rng, trade)
        trades.append(trade)
    event.trades.extend(trades)
    db.session.flush()

    logins = {}
    organizer_password = secrets.token_urlsafe(9)
    db.session.add(User(username=f"{code.lower()}-organizer", name="赛务组", role=Role.ORGANIZER,
                        event=event, password_hash=hash_password(organizer_password)))
    logins[f"{code.lower()}-organizer"] = organizer_password
    judge_password = secrets.token_urlsafe(9)
    judge_hash = hash_password(judge_password)  # one hash for all demo judges keeps loading fast
    users = []
    for number in range(1, size.judges + 1):
        trade = trades[(number - 1) % len(trades)]
        chief = number <= len(trades)
        users.append(User(
            username=f"{code.lower()}-j{number:04d}", name=person_name(rng),
            role=Role.CHIEF_JUDGE if chief else Role.JUDGE, event=event,
            delegation=rng.choice(delegations), password_hash=judge_hash,
            assignments=[JudgeAssignment(trade=trade, is_chief=chief)]))
    db.session.add_all(users)
    contestants(rng, event, trades, delegations, size)
    logins[f"{code.lower()}-j0001 … {code.lower()}-j{size.judges:04d}"] = judge_password
    return event, trades, logins, rng
