"""The access-control matrix: every route of the app × every role, with the expected outcome.

The routes come from the app's URL map: a route (endpoint and method) without a line in
``EXPECTED`` fails the test, so every new page needs a decision on who may use it. Every
mismatch is listed at once, as (endpoint, method, role, expected, got).

Outcomes: "ok" (answered, not refused; for a POST a 400/422 from validation counts, since the
refusal must come before it), "login" (sent to log in), "forbidden" (403), "notfound" (404),
"public" (ok for everyone). No request may ever answer 500.
"""

from __future__ import annotations

import re
from decimal import Decimal

import sqlalchemy as sa

from competition.extensions import db
from competition.models import Score
from competition.services import judging
from tests.app.support import ROLES, World, client_for, outcome

JUDGES_T1 = ("recused_judge", "judge", "chief_judge")
READERS = ("supervisor", "organizer", "administrator")
ORGANIZERS = ("organizer", "administrator")


def allow(*roles: str) -> dict[str, str]:
    """Only ``roles`` get through: anonymous users are sent to log in, everyone else refused."""
    return {role: "ok" if role in roles else "login" if role == "anonymous" else "forbidden"
            for role in ROLES}


PUBLIC = dict.fromkeys(ROLES, "public")
LOGGED_IN = allow(*ROLES[1:])
READ = allow(*READERS)
ORGANIZE = allow(*ORGANIZERS)
OVERSEE = allow("chief_judge", *READERS)

EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    # pages of no single task, logging in and out, the public pages and the API
    "core.index": {"GET": PUBLIC},
    "core.set_language": {"POST": PUBLIC},
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.logout": {"POST": PUBLIC},
    "auth.password": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "public.event_home": {"GET": PUBLIC},
    "public.trade_results": {"GET": PUBLIC},
    "public.medals": {"GET": PUBLIC},
    "public.delegation": {"GET": PUBLIC},
    "public.board": {"GET": PUBLIC},
    "public.verify": {"GET": PUBLIC},
    "public.form_token": {"GET": PUBLIC},
    "api.medal_table": {"GET": PUBLIC},
    "api.trade_results": {"GET": PUBLIC},
    "api.board": {"GET": PUBLIC},
    # set-up (an organizer of another event sees the list of their own events)
    "setup.events": {"GET": allow(*READERS, "organizer_other_event")},
    "setup.new_event": {"GET": allow("administrator"), "POST": allow("administrator")},
    "setup.edit_event": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.dashboard": {"GET": READ},
    "setup.delegations": {"GET": READ, "POST": ORGANIZE},
    "setup.edit_delegation": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.delete_delegation": {"POST": ORGANIZE},
    "setup.trades": {"GET": READ},
    "setup.new_trade": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.edit_trade": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.delete_trade": {"POST": ORGANIZE},
    "setup.trade": {"GET": READ},
    "setup.criterion": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.aspect": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.delete_scheme_part": {"POST": ORGANIZE},
    "setup.award_rule": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.drop_award_rule": {"POST": ORGANIZE},
    "setup.judge_list": {"GET": READ},
    "setup.new_judge": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.edit_judge": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.reset_password": {"POST": ORGANIZE},
    "setup.set_enabled": {"POST": ORGANIZE},
    "setup.account_log": {"GET": READ},
    "setup.add_to_panel": {"POST": ORGANIZE},
    "setup.remove_from_panel": {"POST": ORGANIZE},
    "setup.organizers": {"GET": allow("administrator"), "POST": allow("administrator")},
    "setup.import_sheet": {"GET": ORGANIZE, "POST": ORGANIZE},
    "setup.import_template": {"GET": ORGANIZE},
    # registration
    "registration.contestants": {"GET": READ},
    "registration.new_contestant": {"GET": ORGANIZE, "POST": ORGANIZE},
    "registration.find_contestant": {"POST": ORGANIZE},
    "registration.edit_contestant": {"GET": ORGANIZE, "POST": ORGANIZE},
    "registration.entrant_status": {"POST": ORGANIZE},
    "registration.import_contestants": {"GET": ORGANIZE, "POST": ORGANIZE},
    "registration.contestant_template": {"GET": ORGANIZE},
    "registration.summary": {"GET": READ},
    "registration.entrants": {"GET": READ},
    "registration.draw": {"POST": ORGANIZE},
    "registration.reveal": {"POST": ORGANIZE},
    "registration.registration_list": {"GET": READ},
    "registration.sign_in_sheet": {"GET": READ},
    "registration.delegation_sign_in": {"GET": READ},
    # judging: judges of the trade score; its chief judge, supervisors and organizers oversee
    "judging.my_trades": {"GET": allow("judge_other_trade", *JUDGES_T1)},
    "judging.sheet": {"GET": allow(*JUDGES_T1), "POST": allow(*JUDGES_T1)},
    # the sheet's background save answers JSON: an ended session is a 401, not a redirect
    "judging.save_cells": {"POST": {**allow(*JUDGES_T1), "anonymous": "status 401"}},
    "judging.service_worker": {"GET": PUBLIC},
    "judging.blank_sheet": {"GET": allow(*JUDGES_T1, *READERS)},
    "judging.progress": {"GET": OVERSEE},
    "judging.score_record": {"GET": allow("judge", "chief_judge", *READERS)},
    "judging.resolve": {"GET": OVERSEE, "POST": allow("chief_judge", *ORGANIZERS)},
    "judging.severity": {"GET": OVERSEE},
    "judging.sign_off": {"POST": allow("chief_judge")},
    "judging.overview": {"GET": OVERSEE},
    "judging.control": {"GET": READ},
    "judging.open_trade": {"POST": ORGANIZE},
    "judging.unlock": {"POST": ORGANIZE},
    "judging.conflicts": {"GET": READ, "POST": ORGANIZE},
    "judging.delete_conflict": {"POST": ORGANIZE},
    "judging.audit": {"GET": READ},
    "judging.audit_export": {"GET": READ},
    "judging.import_scores": {"GET": ORGANIZE, "POST": ORGANIZE},
    "judging.import_template": {"GET": ORGANIZE},
    # two-person paper entry: the entry (T1's) is seen by who oversees the trade, decided by
    # its chief judge or an organizer (the service then refuses the person who entered it)
    "judging.paper_entries": {"GET": OVERSEE},
    "judging.paper_entry": {"GET": OVERSEE},
    "judging.confirm_paper_entry": {"POST": allow("chief_judge", *ORGANIZERS)},
    "judging.reject_paper_entry": {"POST": allow("chief_judge", *ORGANIZERS)},
    "judging.confirm_paper_typing": {"POST": allow("chief_judge", *ORGANIZERS)},
    # provisional results and publication (a chief judge sees their own trade's)
    "results.event_results": {"GET": OVERSEE},
    "results.trade_results": {"GET": OVERSEE},
    "results.publish": {"POST": ORGANIZE},
    "results.amend": {"POST": ORGANIZE},
    "results.publish_all": {"POST": ORGANIZE},
    "results.embargo": {"POST": ORGANIZE},
    "results.criterion_marks": {"POST": ORGANIZE},
    # exports and certificates
    "exports.index": {"GET": READ},
    "exports.workbook": {"GET": READ},
    "exports.settings": {"GET": ORGANIZE, "POST": ORGANIZE},
    "exports.settings_image": {"GET": ORGANIZE},
    "exports.sample": {"GET": ORGANIZE},
    "exports.generate": {"POST": ORGANIZE},
    "exports.job": {"GET": ORGANIZE},
    "exports.job_progress": {"GET": ORGANIZE},
    "exports.retry_job": {"POST": ORGANIZE},
    "exports.job_passwords": {"POST": ORGANIZE},
    "exports.download": {"GET": ORGANIZE},
    "exports.issue": {"POST": ORGANIZE},
    "exports.certificate_list": {"GET": READ},
    "exports.glyphs": {"GET": ORGANIZE},
}


def _values(w: World, role: str) -> dict:
    """The URL arguments most routes take; ARGUMENTS below changes them per endpoint."""
    spare = w.spares[role]
    return {"event_code": w.event_code, "trade_code": w.t1_code, "code": w.t1_code,
            "trade_id": w.t1_id, "entrant_id": w.e_d2, "contestant_id": w.contestant_id,
            "entrant_key": judging.entrant_key(w.t1_id, w.e_d2),
            "delegation_id": spare.delegation_id, "delegation_code": w.d1_code,
            "criterion_id": w.criterion_id, "aspect_id": w.aspect_ids[0],
            "user_id": spare.judge_id, "conflict_id": spare.conflict_id, "job_id": w.job_id,
            "kind": "trades", "which": "background", "number": w.certificate_number,
            "entry_id": w.paper_entry_id}


ARGUMENTS = {
    "setup.delete_trade": lambda w, role: {"trade_code": w.spares[role].trade_code},
    "setup.delete_scheme_part": lambda w, role: {
        "trade_code": w.spares[role].scheme_trade_code,
        "criterion_id": w.spares[role].criterion_id, "aspect_id": w.spares[role].aspect_id},
    "setup.edit_delegation": lambda w, role: {"delegation_id": w.d2_id},
    "registration.draw": lambda w, role: {"kind": "numbers"},
    "public.trade_results": lambda w, role: {"trade_code": w.t2_code},
    "public.delegation": lambda w, role: {"code": w.d1_code},
    "api.trade_results": lambda w, role: {"trade_code": w.t2_code},
    "judging.unlock": lambda w, role: {"code": w.t2_code},
    "judging.score_record": lambda w, role: {"judge_id": w.users["judge"]},
    "results.publish": lambda w, role: {"trade_code": w.t2_code},
    "results.amend": lambda w, role: {"trade_code": w.t2_code},
}

_ARGUMENT = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every route but static files; logging out comes last."""
    found = [(rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
             if rule.endpoint != "static"
             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(found, key=lambda r: (r[0] == "auth.logout", r[1] == "POST", r))


def url(rule: str, endpoint: str, w: World, role: str) -> str:
    values = {**_values(w, role), **ARGUMENTS.get(endpoint, lambda *_: {})(w, role)}
    return _ARGUMENT.sub(lambda m: str(values[m[1]]), rule)


def test_every_route_has_a_decision(app):
    missing = [(e, m) for e, m, _r in routes(app) if m not in EXPECTED.get(e, {})]
    stale = [(e, m) for e, methods in EXPECTED.items() for m in methods
             if (e, m) not in {(e2, m2) for e2, m2, _r in routes(app)}]
    assert not missing, f"routes without an access decision: {missing}"
    assert not stale, f"decisions for routes that no longer exist: {stale}"


def test_access_matrix(app, matrix_world):
    """Every role tries every route (GETs first, then POSTs with an empty body)."""
    mismatches, errors = [], []
    for role in ROLES:
        client = client_for(app, matrix_world.usernames.get(role), lang=None)
        for endpoint, method, rule in routes(app):
            expected = EXPECTED.get(endpoint, {}).get(method)
            if expected is None:
                mismatches.append((endpoint, method, role, "a decision in EXPECTED", "none"))
                continue
            target = url(rule, endpoint, matrix_world, role)
            response = client.open(target, method=method, data={} if method == "POST" else None)
            got = outcome(response, method)
            response.close()
            if response.status_code >= 500:
                errors.append((endpoint, method, role, target, response.status_code))
            want = "ok" if expected[role] == "public" else expected[role]
            if got != want:
                mismatches.append((endpoint, method, role, want, got))
    assert not errors, "server errors:\n" + "\n".join(map(str, errors))
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(map(str, mismatches))


def _cell(w: World, entrant_id: int, value: str = "30") -> dict:
    """One cell of the sheet, named as the sheet names it (the entrant's key in the trade)."""
    row, aspect_id = judging.entrant_key(w.t1_id, entrant_id), w.aspect_ids[0]
    return {f"m-{row}-{aspect_id}": value, f"v-{row}-{aspect_id}": "", f"o-{row}-{aspect_id}": ""}


def _mark(judge_id: int, entrant_id: int) -> Decimal | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Score.value).where(Score.judge_id == judge_id,
                                                          Score.entrant_id == entrant_id))


def test_recusal_is_enforced_by_the_server(app, matrix_world):
    """The D1 judge's mark for a D1 entrant is refused whatever the page shows; the same judge
    saves for a D2 entrant. A declared conflict is refused the same way."""
    w = matrix_world
    sheet = f"/judge/trades/{w.t1_id}/sheet"
    recused = w.users["recused_judge"]
    client = client_for(app, w.usernames["recused_judge"], lang=None)

    refused = client.post(sheet, data=_cell(w, w.e_d1))
    assert refused.status_code in (403, 422), refused.status_code
    assert _mark(recused, w.e_d1) is None

    # Hidden among allowed cells, the refused one still spoils the whole sheet.
    mixed = client.post(sheet, data={**_cell(w, w.e_d1), **_cell(w, w.e_d2)})
    assert mixed.status_code in (403, 422), mixed.status_code
    assert _mark(recused, w.e_d1) is None and _mark(recused, w.e_d2) is None

    saved = client.post(sheet, data=_cell(w, w.e_d2))
    assert saved.status_code == 302, saved.status_code
    assert _mark(recused, w.e_d2) == 30

    judge = w.users["judge"]
    client = client_for(app, w.usernames["judge"], lang=None)
    declared = client.post(sheet, data=_cell(w, w.e_conflict))
    assert declared.status_code in (403, 422), declared.status_code
    assert _mark(judge, w.e_conflict) is None
    assert client.post(sheet, data=_cell(w, w.e_d1)).status_code == 302
    assert _mark(judge, w.e_d1) == 30

    # The judge of another trade cannot slip a mark into T1 at all.
    other = client_for(app, w.usernames["judge_other_trade"], lang=None)
    assert other.post(sheet, data=_cell(w, w.e_d2)).status_code == 403
    assert _mark(w.users["judge_other_trade"], w.e_d2) is None
