"""The judge's score record (评分记录表): every mark one judge holds in one trade, printed as a
PDF for the judge and the chief judge to sign after the session.

Who may have it: the judge themself (their own record), the trade's chief judge and the
event's organizers and supervisors (:func:`~competition.services.authority.can_oversee`).
Entrants are named as the viewer's pages name them (``sheets.entrant_lines``): under blind
judging, before the codes are revealed, a judge's or chief judge's record carries codes only
(names are not even loaded).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from competition.certificates.record import RecordData, RecordLine, render_record
from competition.domain.blind import sees_identity
from competition.domain.messages import N_, Problem
from competition.domain.numbers import format_mark
from competition.domain.panel import NOT_ON_PANEL
from competition.domain.roles import scores
from competition.extensions import db
from competition.models import AuditEntry, JudgeAssignment, Score, Trade, User
from competition.services.authority import can_oversee
from competition.services.errors import NotAllowed
from competition.services.judging import scheme
from competition.services.judging.sheets import entrant_lines

NOT_YOURS = N_("You may download only your own score record.")


def _judge_of(trade: Trade, judge_id: int) -> User:
    """The judge of ``judge_id``: one of the trade's panel or with marks in it."""
    judge = db.session.get(User, judge_id)
    on_panel = db.session.scalar(sa.select(JudgeAssignment.id).where(
        JudgeAssignment.trade_id == trade.id, JudgeAssignment.user_id == judge_id))
    has_marks = db.session.scalar(sa.select(Score.id).where(
        Score.trade_id == trade.id, Score.judge_id == judge_id).limit(1))
    if judge is None or judge.event_id != trade.event_id or not (on_panel or has_marks):
        raise NotAllowed(Problem(NOT_ON_PANEL))
    return judge


def score_record(viewer: User, trade: Trade, judge_id: int, translate,
                 format_time: Callable[[object], str], locale: str = "zh") -> bytes:
    """The score record of judge ``judge_id`` in ``trade`` as PDF bytes, in the viewer's
    language (``translate``) and time zone (``format_time``). Raises NotAllowed when the
    viewer may not have it or the judge is not one of the trade's."""
    own = viewer.id == judge_id and scores(viewer.role) and viewer.event_id == trade.event_id
    if not own and not can_oversee(viewer, trade):
        raise NotAllowed(Problem(NOT_YOURS))
    judge = _judge_of(trade, judge_id)
    scores_ = db.session.execute(
        sa.select(Score.entrant_id, Score.aspect_id, Score.value, Score.updated_at)
        .where(Score.trade_id == trade.id, Score.judge_id == judge.id)).all()
    lines = {line.id: line for line in entrant_lines(
        trade, viewer, {s.entrant_id for s in scores_}, locale)}
    place = {entrant_id: n for n, entrant_id in enumerate(lines)}
    in_order = scheme.aspects(trade)
    aspects = {a.id: a for a in in_order}
    order = {a.id: n for n, a in enumerate(in_order)}
    reasons: dict[tuple[int, int], str] = {}
    for entrant_id, aspect_id, reason in db.session.execute(
            sa.select(AuditEntry.entrant_id, AuditEntry.aspect_id, AuditEntry.reason)
            .where(AuditEntry.trade_id == trade.id, AuditEntry.judge_id == judge.id,
                   AuditEntry.reason != "").order_by(AuditEntry.at, AuditEntry.id)):
        reasons[(entrant_id, aspect_id)] = reason  # the latest reason given for the cell
    rows = []
    for s in sorted(scores_, key=lambda s: (place.get(s.entrant_id, len(place)),
                                            order.get(s.aspect_id, 0))):
        line, aspect = lines.get(s.entrant_id), aspects[s.aspect_id]
        rows.append(RecordLine(
            label=line.label if line else "?", name=line.name if line else "",
            aspect=f"{aspect.criterion.code}/{aspect.code}",
            description=aspect.description(locale), mark=format_mark(s.value),
            entered=format_time(s.updated_at), reason=reasons.get((s.entrant_id, s.aspect_id), "")))
    return render_record(RecordData(
        event=trade.event.name(locale), trade=f"{trade.code} {trade.name(locale)}",
        judge=judge.name, username=judge.username,
        blind=not sees_identity(viewer.role, trade.uses_anonymous_codes, trade.codes_revealed),
        lines=rows),
        translate)
