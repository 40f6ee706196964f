"""Hostile input to every form and every list or API query: hypothesis posts random values.

Properties, for every request:
- never a 5xx;
- a refused request (4xx, or a form shown again with its errors) leaves the affected tables
  exactly as they were: nothing is half-saved;
- whatever was accepted is stored normalised and valid (see ``assert_stored_values_valid``);
- a submitted ``<script>`` never comes back unescaped, and no redirect leaves the site.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from competition.extensions import db
from competition.forms.fields import CODE_PATTERN
from competition.models import (
    Aspect,
    AuditEntry,
    AwardRule,
    CertificateSettings,
    Conflict,
    Contestant,
    Criterion,
    Delegation,
    Entrant,
    Event,
    ExportJob,
    JudgeAssignment,
    ResultVersion,
    Role,
    Score,
    Trade,
    User,
)
from tests.app.support import PASSWORD, World, client_for

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

MARKERS = ["<script>alert(1)</script>", '"><svg/onload=alert(1)>']
HOSTILE = [
    *MARKERS, "", " ", "\t\n", "\x00", "a\x00b", "\x1b[31mred", "\u202eevil", "\ufeff", "\u200b",
    "' OR 1=1 --", "'; DROP TABLE event; --", "%", "_", "%_%", "\\", "..", "../../etc/passwd",
    "NaN", "nan", "sNaN", "inf", "-inf", "Infinity", "-1", "0", "-0", "00", "1e309", "1e-400",
    "9" * 40, "99999999999999999999", "2147483648", "-2147483649", "1.5", "7,5", "１２", "٣",
    "0x10", "1_000", "true", "null", "None", "[]", "{}", "2026-02-30", "9999-12-31", "0001-01-01",
    "x" * 5000, "名" * 300, "🙂" * 40, "http://evil.example/", "//evil.example", "/\\evil.example",
    "javascript:alert(1)",
]
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1f), max_size=8),
    st.integers().map(str),
    st.floats().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
VALUE = st.one_of(TEXT, TEXT, TEXT, st.lists(TEXT, min_size=2, max_size=3))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@st.composite
def mutated(draw, baseline: dict) -> dict:
    """``baseline`` (a valid submission) with some fields dropped or replaced by hostile values,
    and sometimes a stray field added."""
    data = {}
    for key, value in baseline.items():
        choice = draw(st.sampled_from(["keep", "keep", "hostile", "drop"]))
        if choice == "keep":
            data[key] = value
        elif choice == "hostile":
            data[key] = draw(VALUE)
    if draw(st.booleans()):
        data[draw(st.sampled_from(["extra", "id", "event_id", "role", "csrf_token"]))] = draw(VALUE)
    return data


CODES = st.from_regex(r"[A-Z][A-Z0-9]{1,6}", fullmatch=True)


@dataclass
class Case:
    """A form POST: who posts, where, a valid baseline, and the tables it may change."""

    name: str
    role: str
    url: Callable[[World], str]
    baseline: Callable[[World, str], dict]
    tables: tuple = ()
    accepted: Callable = field(default=lambda response: response.status_code == 302)


def _scheme(w: World) -> str:
    return w.spares["anonymous"].scheme_trade_code


def _criterion_of_scheme(w: World) -> int:
    return w.spares["anonymous"].criterion_id


def _award_rule_form(w: World, code: str) -> dict:
    return {"method": "quotas", "labels": "prizes", "quota_first": "1", "quota_second": "2",
            "quota_third": "3", "ratio_first": "10", "ratio_second": "20", "ratio_third": "30",
            "ratio_rounding": "half_up", "tie_window": "2", "excellence": "threshold",
            "excellence_threshold": "60", "minimum_score": "50", "small_field": "y",
            "titles-0-name_zh": "技术能手", "titles-0-name_en": "Technical expert",
            "titles-0-up_to_place": "5", "titles-1-name_zh": "", "titles-1-up_to_place": ""}


def _person(w: World, code: str) -> dict:
    return {"name": f"张{code}", "id_type": "passport", "id_number": f"P{code}",
            "gender": "M", "birth_date": "2000-01-31", "employer": "某某学校",
            "phone": "13800000000", "remarks": "备注"}


def _event_form(w: World, code: str) -> dict:
    return {"code": code, "name_zh": f"大赛{code}", "name_en": "Contest", "organizer_name": "组委会",
            "venue": "郑州", "start_date": "2026-05-01", "end_date": "2026-05-03",
            "medal_order": "gold", "scaling": "raw"}


CASES = [
    Case("new event", "administrator", lambda w: "/manage/events/new", _event_form, (Event,)),
    Case("edit event", "organizer", lambda w: f"/manage/events/{w.event_code}/edit",
         lambda w, code: {**_event_form(w, code), "code": w.event_code}, (Event,)),
    Case("new delegation", "organizer", lambda w: f"/manage/events/{w.event_code}/delegations",
         lambda w, code: {"code": code, "name_zh": f"代表团{code}", "name_en": "Team"},
         (Delegation,)),
    Case("edit delegation", "organizer",
         lambda w: f"/manage/events/{w.event_code}/delegations/{w.d2_id}/edit",
         lambda w, code: {"code": code, "name_zh": f"代表团{code}", "name_en": "Team"},
         (Delegation,)),
    Case("new trade", "organizer", lambda w: f"/manage/events/{w.event_code}/trades/new",
         lambda w, code: {"code": code, "name_zh": f"赛项{code}", "name_en": "Welding",
                          "category": "制造", "entry_type": "pair", "team_size": "2",
                          "is_demonstration": "y", "quota_per_delegation": "2",
                          "uses_anonymous_codes": "y", "judgement_threshold": "1"},
         (Trade, Criterion)),
    Case("edit trade", "organizer",
         lambda w: f"/manage/events/{w.event_code}/trades/{_scheme(w)}/edit",
         lambda w, code: {"code": _scheme(w), "name_zh": f"赛项{code}", "entry_type": "individual",
                          "team_size": "1", "judgement_threshold": "1.5"}, (Trade,)),
    Case("new criterion", "organizer",
         lambda w: f"/manage/events/{w.event_code}/trades/{_scheme(w)}/criteria",
         lambda w, code: {"c-code": code[:10], "c-name_zh": "实操", "c-name_en": "Practical",
                          "c-weight": "70"}, (Criterion,)),
    Case("new aspect", "organizer",
         lambda w: f"/manage/events/{w.event_code}/trades/{_scheme(w)}/aspects",
         lambda w, code: {"a-criterion_id": str(_criterion_of_scheme(w)), "a-code": code,
                          "a-description_zh": "尺寸", "a-kind": "panel", "a-max_mark": "12.5",
                          "a-aggregation": "trimmed_mean", "a-trimmed_count": "1",
                          "a-decimals": "1"}, (Aspect,)),
    Case("event award rule", "organizer", lambda w: f"/manage/events/{w.event_code}/award-rule",
         _award_rule_form, (AwardRule,)),
    Case("trade award rule", "organizer",
         lambda w: f"/manage/events/{w.event_code}/trades/{w.t1_code}/award-rule",
         _award_rule_form, (AwardRule,)),
    Case("new judge", "organizer", lambda w: f"/manage/events/{w.event_code}/judges/new",
         lambda w, code: {"name": f"裁判{code}", "username": f"j{code.lower()}", "role": "judge",
                          "delegation_id": str(w.d2_id), "trade_ids": str(w.t1_id)},
         (User, JudgeAssignment),
         accepted=lambda r: r.status_code == 200 and b'download="credentials-' in r.data),
    Case("new organizer", "administrator",
         lambda w: f"/manage/events/{w.event_code}/organizers",
         lambda w, code: {"name": f"赛务{code}", "username": f"o{code.lower()}"}, (User,),
         accepted=lambda r: r.status_code == 200 and b'download="credentials-' in r.data),
    Case("new contestant", "organizer",
         lambda w: f"/manage/events/{w.event_code}/contestants/new",
         lambda w, code: {**_person(w, code), "delegation_id": str(w.d2_id),
                          "trade_id": str(w.t1_id), "team_name": ""}, (Contestant, Entrant)),
    Case("edit contestant", "organizer",
         lambda w: f"/manage/events/{w.event_code}/contestants/{w.contestant_id}", _person,
         (Contestant, Entrant)),
    Case("entrant status", "organizer",
         lambda w: f"/manage/events/{w.event_code}/entrants/{w.e_conflict}/status",
         lambda w, code: {"s-status": "withdrawn", "s-reason": "生病", "back": "/"},
         (Entrant,)),
    Case("declare conflict", "organizer", lambda w: f"/judge/events/{w.event_code}/conflicts",
         lambda w, code: {"judge": w.usernames["chief_judge"], "contestant": "",
                          "delegation_id": str(w.d2_id), "reason": "同乡"}, (Conflict, Score)),
    Case("unlock", "organizer", lambda w: f"/judge/events/{w.event_code}/trades/{w.t2_code}/unlock",
         lambda w, code: {"reason": "复核"}, (AuditEntry,)),
    Case("open trade", "organizer",
         lambda w: f"/judge/events/{w.event_code}/trades/{_scheme(w)}/open",
         lambda w, code: {}, (AuditEntry,)),
    Case("sign-off", "chief_judge", lambda w: f"/judge/trades/{w.t1_id}/sign-off",
         lambda w, code: {"note": "缺考一人"}, (AuditEntry,)),
    Case("amend results", "organizer",
         lambda w: f"/manage/events/{w.event_code}/results/{w.t2_code}/amend",
         lambda w, code: {"reason": "复核更正"}, (ResultVersion,)),
    Case("publish", "organizer",
         lambda w: f"/manage/events/{w.event_code}/results/{w.t2_code}/publish",
         lambda w, code: {}, (ResultVersion,)),
    Case("embargo", "organizer", lambda w: f"/manage/events/{w.event_code}/results/embargo",
         lambda w, code: {"embargo": "on"}, ()),
    Case("criterion marks", "organizer",
         lambda w: f"/manage/events/{w.event_code}/results/criterion-marks",
         lambda w, code: {"public": "on"}, ()),
    Case("certificate settings", "organizer",
         lambda w: f"/manage/events/{w.event_code}/exports/certificates/settings",
         lambda w, code: {"layout": "modern", "language": "zh_en", "participation": "y",
                          "organizer_text": "组委会", "date_text": "二〇二六年五月",
                          "drop_background": "y"}, (CertificateSettings,)),
    Case("print certificates", "organizer",
         lambda w: f"/manage/events/{w.event_code}/exports/certificates/generate",
         lambda w, code: {"trade": w.t2_code, "delegation": "", "kind": "award",
                          "format": "pdf"}, (ExportJob,)),
    Case("login", "anonymous", lambda w: "/auth/login",
         lambda w, code: {"username": w.usernames["judge"], "password": "wrong password"},
         (User,)),
    Case("language", "anonymous", lambda w: "/language",
         lambda w, code: {"lang": "en", "next": "/events/EVA/"}, ()),
]


def count_rows(tables) -> dict[str, int]:
    return {t.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in tables}


def assert_stored_text_and_numbers_clean() -> None:
    """No control characters in any stored text, no stored number that is not finite."""
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String)
                   and not isinstance(c.type, sa.LargeBinary)]
        numbers = [c for c in table.columns if isinstance(c.type, sa.Numeric)]
        if not columns and not numbers:
            continue
        for row in db.session.execute(sa.select(*columns, *numbers)):
            for column, value in zip(columns + numbers, row):
                if isinstance(value, str):
                    assert not CONTROL.search(value), (table.name, column.name, value[:80])
                elif isinstance(value, Decimal):
                    assert value.is_finite(), (table.name, column.name, value)


def assert_stored_values_valid() -> None:
    """Everything stored is clean: no control characters in any text, codes as the forms make
    them, finite numbers, marks within their aspect's range."""
    assert_stored_text_and_numbers_clean()
    for model in (Event, Delegation, Trade, Criterion, Aspect):
        for code in db.session.scalars(sa.select(model.code)):
            assert CODE_PATTERN.match(code) and code == code.upper().strip(), (model, code)
    for model, column in ((Event, Event.name_zh), (Delegation, Delegation.name_zh),
                          (Trade, Trade.name_zh), (Contestant, Contestant.name)):
        for name in db.session.scalars(sa.select(column)):
            assert name and name == name.strip(), (model, name)
    for value, max_mark in db.session.execute(sa.select(Score.value, Aspect.max_mark)
                                              .join(Aspect, Aspect.id == Score.aspect_id)):
        assert 0 <= value <= max_mark, (value, max_mark)
    for max_mark in db.session.scalars(sa.select(Aspect.max_mark)):
        assert 0 < max_mark <= 1000, max_mark


def assert_safe_response(response, submitted) -> None:
    """No server error, no unescaped script, no redirect off the site."""
    assert response.status_code < 500, response.status_code
    location = response.headers.get("Location", "").removeprefix("http://localhost")
    assert not location or (location.startswith("/") and not location.startswith("//")
                            and "\\" not in location), location
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        for marker in MARKERS:
            if any(marker in str(v) for v in submitted):
                assert marker not in html, marker


def _values(body: dict) -> list:
    return [x for v in body.values() for x in (v if isinstance(v, list) else [v])]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_form_posts(app, matrix_world, case):
    client = client_for(app, matrix_world.usernames.get(case.role), lang=None)
    url = case.url(matrix_world)

    @FUZZ
    @given(body=CODES.flatmap(lambda code: mutated(case.baseline(matrix_world, code))))
    def post(body):
        before = count_rows(case.tables)
        response = client.post(url, data=body)
        db.session.rollback()  # as at the end of a real request: nothing left pending
        assert_safe_response(response, _values(body))
        if not case.accepted(response) and response.status_code != 302:
            assert count_rows(case.tables) == before, (response.status_code, body)
        assert_stored_values_valid()

    post()


MARK = st.one_of(st.sampled_from(["", "0", "5", "10", "60", "60.01", "-1", "7.555", "1e2", "NaN",
                                  "inf", "7,5", "１０", "99999999999999999999", "0.000001"]),
                 TEXT)
ROW_ID = st.one_of(st.sampled_from(["e_d1", "e_d2", "e_conflict"]),
                   st.integers(min_value=0, max_value=2**70))
VERSION = st.one_of(st.just(""), st.sampled_from(["1", "0", "-1", "abc", "99999999999999999999"]))


@st.composite
def sheet_body(draw, w: World) -> dict:
    """Cells of T1 (or of nothing at all), with random marks, versions and originals."""
    body = {}
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        row = draw(ROW_ID)
        row = getattr(w, row) if isinstance(row, str) else row
        aspect = draw(st.one_of(st.sampled_from(w.aspect_ids), st.integers(0, 2**70)))
        body[f"m-{row}-{aspect}"] = draw(MARK)
        body[f"v-{row}-{aspect}"] = draw(VERSION)
        body[f"o-{row}-{aspect}"] = draw(st.one_of(st.just(""), TEXT))
    if draw(st.booleans()):
        body["reason"] = draw(VALUE)
    if draw(st.booleans()):
        body[draw(st.sampled_from(["m-x-1", "m--1-2", "m-1", "v-1-1", "m-1-1-1"]))] = draw(VALUE)
    return body


@pytest.mark.parametrize("role", ["recused_judge", "judge", "chief_judge"])
def test_hostile_score_sheets(app, matrix_world, role):
    """Random cells, marks and versions: a sheet is saved whole, with valid marks, or not at all;
    a recused judge's marks for their own delegation are never saved."""
    client = client_for(app, matrix_world.usernames[role], lang=None)
    url = f"/judge/trades/{matrix_world.t1_id}/sheet"
    user_id = matrix_world.users[role]

    @FUZZ
    @given(body=sheet_body(matrix_world))
    def post(body):
        before = count_rows((Score, AuditEntry))
        response = client.post(url, data=body)
        db.session.rollback()
        assert_safe_response(response, _values(body))
        if response.status_code != 302:
            assert count_rows((Score, AuditEntry)) == before, (response.status_code, body)
        assert_stored_values_valid()
        recused = [matrix_world.e_d1] if role == "recused_judge" else \
            [matrix_world.e_conflict] if role == "judge" else []
        assert not db.session.scalar(sa.select(sa.func.count(Score.id)).where(
            Score.judge_id == user_id, Score.entrant_id.in_(recused)))

    post()


def test_hostile_resolution_by_the_chief_judge(app, matrix_world):
    client = client_for(app, matrix_world.usernames["chief_judge"], lang=None)
    url = f"/judge/trades/{matrix_world.t1_id}/entrants/{matrix_world.e_d2}"
    judges = [matrix_world.users[role] for role in ("judge", "recused_judge", "chief_judge")]

    @st.composite
    def body(draw):
        data = {}
        for _ in range(draw(st.integers(0, 3))):
            judge = draw(st.one_of(st.sampled_from(judges), st.integers(0, 2**70)))
            aspect = draw(st.one_of(st.sampled_from(matrix_world.aspect_ids), st.integers(0, 2**70)))
            data[f"m-{judge}-{aspect}"] = draw(MARK)
            data[f"v-{judge}-{aspect}"] = draw(VERSION)
        if draw(st.booleans()):
            data["reason"] = draw(VALUE)
        return data

    @FUZZ
    @given(data=body())
    def post(data):
        before = count_rows((Score, AuditEntry))
        response = client.post(url, data=data)
        db.session.rollback()
        assert_safe_response(response, _values(data))
        if response.status_code != 302:
            assert count_rows((Score, AuditEntry)) == before
        assert_stored_values_valid()
        # not even the chief judge gives the D1 judge a mark for a D1 entrant
        assert not db.session.scalar(sa.select(sa.func.count(Score.id)).where(
            Score.judge_id == matrix_world.users["recused_judge"], Score.entrant_id == matrix_world.e_d1))

    post()


def test_hostile_password_changes(app, matrix_world, make_user):
    """Only the right current password and a new one that meets the policy change anything."""

    event = db.session.scalar(sa.select(Event).where(Event.code == matrix_world.event_code))

    @FUZZ
    @given(body=mutated({"current": PASSWORD, "new": "a much longer passphrase",
                         "repeat": "a much longer passphrase"}))
    def post(body):
        user = make_user(Role.JUDGE, event)
        client = client_for(app, user.username, lang=None)
        old_hash = user.password_hash
        response = client.post("/auth/password", data=body)
        db.session.rollback()
        assert_safe_response(response, _values(body))
        changed = db.session.get(User, user.id).password_hash != old_hash
        assert changed == (response.status_code == 302), (response.status_code, body)
        if changed:
            first = {k: v[0] if isinstance(v, list) else v for k, v in body.items()}
            assert first.get("current") == PASSWORD and len(first["new"]) >= 10

    post()


QUERY_PAGES = [
    ("trades", "organizer", "/manage/events/{event}/trades", ["q", "category", "kind", "page"]),
    ("judges", "organizer", "/manage/events/{event}/judges",
     ["q", "trade", "delegation", "role", "page"]),
    ("contestants", "supervisor", "/manage/events/{event}/contestants",
     ["q", "trade", "delegation", "status", "page"]),
    ("registration list", "organizer", "/manage/events/{event}/lists/registrations.xlsx",
     ["trade", "delegation", "status"]),
    ("audit", "supervisor", "/judge/events/{event}/audit",
     ["trade", "judge", "entrant", "date_from", "date_to", "page"]),
    ("audit export", "organizer", "/judge/events/{event}/audit.xlsx",
     ["trade", "judge", "entrant", "date_from", "date_to"]),
    ("sheet", "judge", "/judge/trades/{t1}/sheet", ["criterion"]),
    ("certificates", "organizer", "/manage/events/{event}/exports/certificates",
     ["q", "status", "kind", "trade", "page"]),
    ("workbook", "supervisor", "/manage/events/{event}/exports/results.xlsx", ["delegation"]),
    ("medals", "anonymous", "/events/{event}/medals", ["order"]),
    ("board", "anonymous", "/events/{event}/board", ["refresh", "cycle"]),
    ("public trade", "anonymous", "/events/{event}/trades/{t2}", ["order", "page"]),
    ("api medal table", "anonymous", "/api/v1/events/{event}/medal-table", ["order"]),
    ("api trade", "anonymous", "/api/v1/events/{event}/trades/{t2}/results", ["page"]),
    ("api board", "anonymous", "/api/v1/events/{event}/board", ["lang"]),
    ("login page", "anonymous", "/auth/login", ["next"]),
]
QUERY_VALUE = st.one_of(st.sampled_from(["-1", "0", "abc", "xyz", "99999999999999999999",
                                         "<script>alert(1)</script>", "%", "' OR 1=1 --"]), TEXT)


@pytest.mark.parametrize("page", QUERY_PAGES, ids=[p[0] for p in QUERY_PAGES])
def test_hostile_query_parameters(app, matrix_world, page):
    _name, role, pattern, names = page
    client = client_for(app, matrix_world.usernames.get(role), lang=None)
    url = pattern.format(event=matrix_world.event_code, t1=matrix_world.t1_id, t2=matrix_world.t2_code)

    def get(query):
        response = client.get(url, query_string=query)
        response.close()
        db.session.rollback()
        assert_safe_response(response, _values(query))
        assert response.status_code in (200, 302, 304, 400, 404), (response.status_code, query)

    for name in names:
        for value in ("-1", "0", "abc", "99999999999999999999", "1e3", MARKERS[0]):
            get({name: value})
    FUZZ(given(query=st.dictionaries(st.sampled_from(names), st.one_of(
        QUERY_VALUE, st.lists(QUERY_VALUE, min_size=2, max_size=3))))(get))()


PATH_SEGMENT = st.one_of(st.sampled_from(["%00", "%2e%2e", "99999999999999999999", "-1", "0",
                                          "<script>alert(1)</script>", "%E2%80%AE", "x" * 300]),
                         st.text(min_size=1, max_size=20).map(lambda s: s.replace("/", "_")))


@pytest.mark.parametrize("role", ["anonymous", "organizer", "chief_judge"])
def test_hostile_path_arguments(app, matrix_world, role):
    """Codes and ids in URLs that do not exist, overflow or carry junk: 404, never a 500."""
    client = client_for(app, matrix_world.usernames.get(role), lang=None)
    rules = [r.rule for r in app.url_map.iter_rules()
             if r.endpoint != "static" and r.arguments and "GET" in r.methods]

    @FUZZ
    @given(rule=st.sampled_from(rules), segment=PATH_SEGMENT)
    def get(rule, segment):
        target = re.sub(r"<(?:[^<>]*:)?\w+>", lambda m: segment, rule)
        response = client.get(target)
        response.close()
        db.session.rollback()
        assert_safe_response(response, [segment])

    get()


def test_ids_out_of_range_are_not_found(app, matrix_world):
    """An id beyond any database integer in a URL is a 404, not an overflow."""
    client = client_for(app, matrix_world.usernames["administrator"], lang=None)
    values = {"event_code": matrix_world.event_code, "trade_code": matrix_world.t1_code,
              "code": matrix_world.t1_code,
              "kind": "trades", "which": "background", "delegation_code": matrix_world.d1_code,
              "number": "x", "entrant_key": "x"}
    for rule in app.url_map.iter_rules():
        if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            for big in (2**31, 2**63, 10**30):
                target = re.sub(r"<(?:([^<>]*):)?(\w+)>",
                                lambda m, big=big: str(big) if m[1] == "int" else values[m[2]],
                                rule.rule)
                response = client.open(target, method=method, data={})
                response.close()
                db.session.rollback()
                assert response.status_code == 404, (method, target, response.status_code)
