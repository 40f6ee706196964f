"""A competition from nothing to published results, in a real browser, once in each language.

An administrator creates the event and its organizer's account; the organizer sets up
delegations, one trade by hand (marking scheme of criteria and aspects, its own award rule) and
more from the downloadable trades template, judges by hand and from Excel, imports contestants
from Excel, draws workstation numbers and anonymous codes and opens the trade. Two judges mark the
same trade at the same time with the keyboard; one is refused a contestant of their own
delegation. The chief judge resolves a discrepancy and signs off; the organizer publishes; the
public sees the results, the medal table and the live board with the awards computed here from
the marks typed. A second test prints the trade's award certificates, reads each QR code back from
the PDF and opens it: the public verification page says the certificate is genuine. It needs no
other test: its fixture runs the same journey for an event of its own (other code, other
accounts), so it passes alone and in any order.

Every person's page is switched to the journey's language with the header's language button
(each browser context starts in the other language), and texts are asserted in that language
through the app's own catalogue: a message the zh catalogue lacks is expected as the page shows
it (in English), and listed at the end of the run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from competition.domain.idcard import check_digit
from competition.extensions import db as database
from competition.models import Aspect, Criterion, Score, Trade
from competition.models import Entrant as EntrantRow
from competition.services import judging
from tests.browser.conftest import SCREENSHOTS, UNTRANSLATED

LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}
OTHER_LOCALE = {"zh": "en-US", "en": "zh-CN"}  # contexts start in the other language

DELEGATIONS = (("ZZ", "郑州市", "Zhengzhou"), ("LY", "洛阳市", "Luoyang"), ("KF", "开封市", "Kaifeng"))
EVENT_NAME = ("2026年河南省职业技能大赛", "2026 Henan Provincial Skills Competition")
TRADE = ("E01", "电工", "Electrical Installations")
# The hand-made trade's own award rule: quotas of 1 first, 2 second and 2 third prizes, and no
# award below 60 (the event's default rule is places 1/2/3 = gold/silver/bronze).
QUOTAS, MINIMUM = (1, 2, 2), Decimal(60)
PRIZES = ("First prize", "Second prize", "Third prize")


@dataclass
class Entrant:
    """A contestant of the trade and the marks the judges type for them: A1 (measurement, max
    40) by judge 2; B1 (judgement 0-3, max 30) and B2 (panel mark, mean, max 30) by each judge
    not recused (judge 1 belongs to ZZ)."""

    name: str
    delegation: str
    a1: str
    b1: dict[str, int]
    b2: dict[str, str]

    def total(self) -> Decimal:
        b1 = Decimal(30) * Decimal(sum(self.b1.values())) / len(self.b1) / 3
        b2 = sum(Decimal(v) for v in self.b2.values()) / len(self.b2)
        return sum((Decimal(self.a1), b1, b2), Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def entrants() -> list[Entrant]:
    return [
        Entrant("张伟", "ZZ", "38", {"j2": 3}, {"j2": "28"}),
        # Judge 1 gives 3, judge 2 gives 1: more than 1 apart, a discrepancy (resolved to 2).
        Entrant("李娜", "LY", "35", {"j1": 3, "j2": 1}, {"j1": "26", "j2": "24"}),
        Entrant("陈静", "KF", "36", {"j1": 2, "j2": 2}, {"j1": "27", "j2": "27"}),
        Entrant("王芳", "ZZ", "30", {"j2": 2}, {"j2": "22"}),
        Entrant("刘洋", "LY", "25", {"j1": 1, "j2": 2}, {"j1": "18", "j2": "20"}),
        Entrant("杨磊", "KF", "20", {"j1": 1, "j2": 1}, {"j1": "15", "j2": "15"}),
    ]


def expected_awards(field: list[Entrant]) -> dict[str, tuple[int, Decimal, int | None]]:
    """name → (place, total, prize tier 1-3 or None): standard competition ranking, then the
    quotas by place (a tie takes the better prize), then the minimum score."""
    totals = {e.name: e.total() for e in field}
    ordered = sorted(totals.values(), reverse=True)
    result = {}
    for name, total in totals.items():
        place = ordered.index(total) + 1
        tier, bound = None, 0
        for number, quota in enumerate(QUOTAS, start=1):
            bound += quota
            if place <= bound:
                tier = number
                break
        result[name] = (place, total, tier if tier and total >= MINIMUM else None)
    return result


def expected_medal_table(field: list[Entrant], awards) -> list[tuple[int, str, int, int, int, int]]:
    """(rank, delegation code, gold, silver, bronze, total), gold first, equal rows sharing a rank."""
    counts = {code: Counter() for code, *_ in DELEGATIONS}
    for e in field:
        if tier := awards[e.name][2]:
            counts[e.delegation][tier] += 1
    rows = sorted(((c[1], c[2], c[3], code) for code, c in counts.items()),
                  key=lambda r: (-r[0], -r[1], -r[2]))
    keys = [r[:3] for r in rows]
    return [(keys.index(r[:3]) + 1, r[3], *r[:3], sum(r[:3])) for r in rows]


def resident_id(n: int, born: date, male: bool) -> str:
    sequence = 100 + 2 * n + (1 if male else 0)
    first17 = f"410102{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


# --- helpers -----------------------------------------------------------------------------------

def translator(app, lang: str):
    """The app's own translation of a message in ``lang``."""
    from flask_babel import force_locale, gettext

    def translate(message: str, **params) -> str:
        with app.test_request_context("/"), force_locale(lang):
            text = gettext(message, **params)
        if lang == "zh" and not re.search(r"[\u4e00-\u9fff]", text) and re.search("[a-z]", message):
            UNTRANSLATED.add(message)  # the page shows it in English: listed after the run
        return text
    return translate


# The passwords the journeys chose at each account's first login (username → password).
CHOSEN: dict[str, str] = {}


class Journey:
    def __init__(self, lang, live_server, new_page, screens, tmp_path, code: str | None = None,
                 who: str | None = None, docs: bool = True):
        """``code``: the event to create (default ``E2E-<LANG>``); ``who``: the prefix of the
        accounts made on the way (default the language); ``docs``: save the screenshots that
        may go to docs/screenshots/."""
        from playwright.sync_api import expect
        self.expect = expect
        self.lang = lang
        self.live = live_server
        self.new_page = new_page
        self.shot = screens
        self.tmp = tmp_path
        self.t = translator(live_server.app, lang)
        self.code = code or f"E2E-{lang.upper()}"
        self.who = who or lang
        self.docs = docs

    # people and pages

    def open(self, path: str = "/"):
        """A new person's page, switched to the journey's language with the header button."""
        page = self.new_page(OTHER_LOCALE[self.lang])
        page.goto(path)
        self.switch_language(page)
        return page

    def switch_language(self, page) -> None:
        self.expect(page.locator("html")).not_to_have_attribute("lang", HTML_LANG[self.lang])
        label = "中文" if self.lang == "zh" else "English"
        page.locator("header").get_by_role("button", name=label, exact=True).click()
        self.expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[self.lang])

    def log_in(self, username: str, password: str):
        """Log in; an account whose password was made by someone else (every account but the
        demo's) is first sent to choose its own, which the journey does, and remembers."""
        page = self.open("/auth/login")
        page.fill("#username", username)
        page.fill("#password", CHOSEN.get(username, password))
        page.get_by_role("button", name=self.t("Log in"), exact=True).click()
        if username not in CHOSEN:
            self.expect(page.get_by_role("heading", name=self.t("Change password"))).to_be_visible()
            chosen = f"{password}-own"
            page.fill("#current", password)
            page.fill("#new", chosen)
            page.fill("#repeat", chosen)
            self.button(page, "Save").click()
            self.flash(page, self.t("Your password was changed."))
            CHOSEN[username] = chosen
        self.expect(page.get_by_role("button", name=self.t("Log out"))).to_be_visible()
        self.expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[self.lang])
        return page

    def flash(self, page, text: str, category: str = "success") -> None:
        self.expect(page.locator(f".flash-{category}").filter(has_text=text)).to_be_visible()

    def button(self, page, name: str, scope: str = "main"):
        return page.locator(scope).get_by_role("button", name=self.t(name), exact=True)

    def link(self, page, name: str, scope: str = "main", **params):
        return page.locator(scope).get_by_role("link", name=self.t(name, **params), exact=True)

    def nav(self, page, name: str) -> None:
        self.link(page, name, "nav.subnav").click()

    def save_workbook(self, workbook: Workbook, name: str) -> Path:
        path = self.tmp / name
        workbook.save(path)
        return path

    def download(self, page, link) -> Path:
        with page.expect_download() as info:
            link.click()
        path = self.tmp / info.value.suggested_filename
        info.value.save_as(path)
        return path

    def name(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def docs_shot(self, page, name: str) -> None:
        """A viewport-sized screenshot that may go to docs/screenshots/ (see _docs_candidate)."""
        if self.docs:
            page.screenshot(path=str(_docs_candidate(self.lang, name)))


def table_rows(locator) -> list[list[str]]:
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()]
            for row in locator.locator("tbody tr").all()]


@pytest.fixture
def journey(request, live_server, new_page, screens, tmp_path):
    part = "certificates" if "certificate" in request.node.originalname else "journey"
    return Journey(request.param, live_server, new_page, screens(f"{request.param}-{part}"), tmp_path)


@pytest.fixture
def published(journey, live_server, new_page, screens, tmp_path) -> dict:
    """A trade set up, marked and published by the whole journey, for an event of this test's
    own (``E2E-<LANG>-C``, accounts ``<lang>c-...``): what was published and how to log in."""
    lang = journey.lang
    setup = Journey(lang, live_server, new_page, screens(f"{lang}-publish-for-certificates"),
                    tmp_path, code=f"E2E-{lang.upper()}-C", who=f"{lang}c", docs=False)
    return publish_a_trade(setup)


@pytest.mark.parametrize("journey", LANGS, indirect=True)
def test_competition_from_set_up_to_published_results(journey):
    publish_a_trade(journey)


def publish_a_trade(journey: Journey) -> dict:  # noqa: C901 - one journey, read top to bottom
    """The journey from an empty event to published results (every step asserted); returns the
    event's code, the organizer's login, the field and the awards computed from its marks."""
    j, t, code = journey, journey.t, journey.code
    lang, expect, who = j.lang, j.expect, j.who
    field = entrants()
    delegation_name = {c: (en if lang == "en" else zh) for c, zh, en in DELEGATIONS}
    trade_name = j.name(TRADE[1], TRADE[2])

    # 1. The administrator creates the event.
    admin = j.log_in("e2e-admin", "Admin-e2e-2026!")
    expect(admin.get_by_role("heading", name=t("Events"), exact=True)).to_be_visible()
    j.link(admin, "New event").click()
    admin.fill("#code", code)
    admin.fill("#name_zh", EVENT_NAME[0].replace("2026", "２０２６"))  # full-width: stored NFKC
    admin.fill("#name_en", EVENT_NAME[1])
    admin.fill("#organizer_name", "河南省人力资源和社会保障厅")
    admin.fill("#venue", "郑州国际会展中心")
    admin.fill("#start_date", "2026-05-12")
    admin.fill("#end_date", "2026-05-14")
    admin.select_option("#medal_order", "gold")
    j.button(admin, "Save").click()
    j.flash(admin, t("Event %(code)s created.", code=code))
    event_name = j.name(*EVENT_NAME)
    expect(admin.get_by_role("heading", name=event_name)).to_be_visible()
    j.shot(admin, "admin-event-created")

    # 2. ... and its organizer's account, whose password is shown once.
    j.nav(admin, "Organizers")
    expect(admin.locator("main p.empty")).to_be_visible()
    admin.fill("#name", "赛务组")
    admin.fill("#username", f"{who}-org")
    j.button(admin, "Create account").click()
    expect(admin.get_by_role("heading", name=t("Initial passwords"))).to_be_visible()
    organizer_password = admin.locator("main table.list tbody tr").filter(
        has_text=f"{who}-org").locator("td").nth(2).inner_text().strip()
    j.shot(admin, "admin-organizer-created")
    org = j.log_in(f"{who}-org", organizer_password)
    expect(org.get_by_role("heading", name=event_name)).to_be_visible()  # straight to the dashboard

    # 3. Delegations.
    j.nav(org, "Delegations")
    expect(org.locator("p.empty")).to_be_visible()
    for dcode, zh, en in DELEGATIONS:
        org.fill("#code", dcode)
        org.fill("#name_zh", zh)
        org.fill("#name_en", en)
        j.button(org, "Add").click()
        j.flash(org, t("Delegation %(name)s added.", name=zh))
    expect(org.locator("table.list tbody tr")).to_have_count(3)
    j.shot(org, "delegations")

    # 4. A trade by hand: marking scheme of two criteria and three aspects, and its own award rule.
    j.nav(org, "Trades")
    j.link(org, "New trade").click()
    org.fill("#code", TRADE[0])
    org.fill("#name_zh", TRADE[1])
    org.fill("#name_en", TRADE[2])
    org.fill("#category", "电气类")
    org.select_option("#entry_type", "individual")
    org.check("#uses_anonymous_codes")
    j.button(org, "Save").click()
    j.flash(org, t("Trade %(code)s added. Now give it a marking scheme.", code=TRADE[0]))
    for ccode, zh, en in (("A", "理论知识", "Theory"), ("B", "实际操作", "Practical work")):
        org.fill("#c-code", ccode)
        org.fill("#c-name_zh", zh)
        org.fill("#c-name_en", en)
        j.button(org, "Add criterion").click()
        j.flash(org, t("Saved."))
    for criterion, acode, zh, en, kind, max_mark in (
            ("A 理论知识", "A1", "理论考试", "Written test", "measurement", "40"),
            ("B 实际操作", "B1", "工艺评价", "Workmanship", "judgement", "30"),
            ("B 实际操作", "B2", "综合评分", "Overall impression", "panel", "30")):
        org.select_option("#a-criterion_id", label=criterion)
        org.fill("#a-code", acode)
        org.fill("#a-description_zh", zh)
        org.fill("#a-description_en", en)
        org.select_option("#a-kind", kind)
        org.fill("#a-max_mark", max_mark)
        org.select_option("#a-aggregation", "mean")
        j.button(org, "Add aspect").click()
        j.flash(org, t("Saved."))
    scheme = org.locator("#scheme table.scheme")
    expect(scheme.locator("tbody tr:not(.group)")).to_have_count(3)
    expect(scheme.locator("tbody tr:not(.group)").last.locator("td.num").last).to_have_text(
        re.compile(r"^100(\.0+)?$"))
    j.link(org, "Give this trade its own rule").click()
    org.select_option("#method", "quotas")
    org.select_option("#labels", "prizes")
    for field_id, value in zip(("#quota_first", "#quota_second", "#quota_third"), QUOTAS):
        org.fill(field_id, str(value))
    org.select_option("#excellence", "none")
    org.fill("#minimum_score", str(MINIMUM))
    j.button(org, "Save").click()
    j.flash(org, t("Award rule saved."))
    expect(org.locator("#award-rule")).to_contain_text(t("This trade has its own award rule."))
    j.shot(org, "trade-scheme-and-rule")

    # 5. More trades from the downloadable template, edited as an organizer would.
    j.nav(org, "Trades")
    j.link(org, "Import from Excel").click()
    template = j.download(org, j.link(org, "Download the template"))
    workbook = load_workbook(template)
    trades_sheet, scheme_sheet = workbook.worksheets[:2]
    trades_sheet.append(("C01", "数控车", "CNC Turning", "制造类", "个人", 1, "否", 2))
    scheme_sheet.append(("C01", "A", "零件加工", "", "A1", "尺寸精度", "测量", 60, "", ""))
    scheme_sheet.append(("C01", "A", "零件加工", "", "A2", "表面质量", "评分", 40, "平均", ""))
    org.set_input_files("#file", str(j.save_workbook(workbook, "trades.xlsx")))
    j.button(org, "Check and import").click()
    expect(org.locator(".flash-success")).to_be_visible()
    for trade_code in ("C01", "D01", "E01", "R01", "W01"):
        expect(org.locator("main table.list").get_by_role("link", name=trade_code, exact=True)
               ).to_be_visible()
    j.shot(org, "trades-imported")

    # 6. Judges: one by hand (of delegation ZZ), the chief judge by hand, one from Excel.
    passwords = {}
    for key, name, role, delegation in (("j1", "赵强", "judge", "ZZ 郑州市"),
                                        ("chief", "孙立", "chief_judge", None)):
        j.nav(org, "Judges")
        j.link(org, "New judge").click()
        org.fill("#name", name)
        org.fill("#username", f"{who}-{key}")
        org.select_option("#role", role)
        if delegation:
            org.select_option("#delegation_id", label=delegation)
        org.select_option("#trade_ids", label=f"{TRADE[0]} {TRADE[1]}")
        j.button(org, "Save").click()
        expect(org.get_by_role("heading", name=t("Initial passwords"))).to_be_visible()
        row = org.locator("main table.list tbody tr").filter(has_text=f"{who}-{key}")
        passwords[key] = row.locator("td").nth(2).inner_text().strip()
    j.nav(org, "Judges")
    j.link(org, "Import from Excel").click()
    template = j.download(org, j.link(org, "Download the template"))
    workbook = load_workbook(template)
    sheet = workbook.active
    sheet.delete_rows(2, sheet.max_row)
    sheet.append(("钱敏", f"{who}-j2", "", TRADE[0], "裁判员"))
    org.set_input_files("#file", str(j.save_workbook(workbook, "judges.xlsx")))
    j.button(org, "Check and import").click()
    expect(org.get_by_role("heading", name=t("Initial passwords"))).to_be_visible()
    row = org.locator("main table.list tbody tr").filter(has_text=f"{who}-j2")
    passwords["j2"] = row.locator("td").nth(2).inner_text().strip()
    j.shot(org, "judge-credentials")
    assert all(len(p) >= 10 for p in passwords.values()), passwords

    # The chief judge, made with the chief judge role and the trade, leads its panel already;
    # the panel picker (judges not on the panel yet) does not offer them again.
    j.nav(org, "Trades")
    org.locator("main table.list").get_by_role("link", name=TRADE[0], exact=True).click()
    panel = org.locator("#panel table.list tbody tr")
    expect(panel).to_have_count(3)
    expect(panel.filter(has_text="孙立")).to_contain_text(t("Chief judge"))
    org.fill("main input[name=q]", f"{who}-chief")
    j.button(org, "Search").click()
    expect(org.locator("main")).to_contain_text(t("No judges found who are not on this panel."))

    # 7. Contestants from an Excel file (English headers in the English journey).
    headers = (("代表团", "赛项", "姓名", "性别", "证件号码", "工作单位", "联系电话", "团队")
               if lang == "zh" else
               ("Delegation", "Trade", "Name", "Gender", "ID number", "Employer or school", "Phone",
                "Team"))
    people = [(e.delegation, TRADE[0] if lang == "zh" else TRADE[2], e.name) for e in field]
    people += [("ZZ", "W01", "周杰"), ("LY", "W01", "吴敏"),
               ("KF", "R01", "郑浩"), ("KF", "R01", "冯雪")]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    id_numbers = []
    for n, (delegation, trade, name) in enumerate(people):
        male = n % 2 == 0
        id_number = resident_id(n, date(1996 + n % 5, 1 + n, 10 + n), male)
        id_numbers.append(id_number)
        sheet.append((delegation_name[delegation], trade, name,
            ("男" if male else "女") if lang == "zh" else ("M" if male else "F"),
            id_number, "郑州电力高等专科学校", f"1380013{8000 + n:04d}",
            "开封一队" if trade == "R01" else ""))
    j.nav(org, "Contestants")
    j.link(org, "Import from Excel").click()
    org.set_input_files("#file", str(j.save_workbook(workbook, "contestants.xlsx")))
    j.button(org, "Check and import").click()
    expect(org.locator(".flash-success")).to_be_visible()
    expect(org.locator("main table.list tbody tr")).to_have_count(len(people))
    j.shot(org, "contestants-imported")

    # 8. The draw: workstation numbers and anonymous codes for blind judging.
    j.nav(org, "Trades")
    org.locator("main table.list").get_by_role("link", name=TRADE[0], exact=True).click()
    j.link(org, "Entrants and draw").click()
    j.button(org, "Draw workstation numbers").click()
    expect(org.locator(".flash-success")).to_be_visible()
    j.button(org, "Generate anonymous codes").click()
    draws = org.locator("main section.card table.list")
    expect(draws.locator("tbody tr")).to_have_count(2)
    expect(draws.locator(".ok")).to_have_count(2)  # both reproduced from their recorded seeds
    rows = table_rows(org.locator("main table.list").first)
    codes = {row[2]: row[1] for row in rows}  # contestant name → anonymous code
    assert sorted(codes) == sorted(e.name for e in field) and all(codes.values()), rows
    assert sorted(int(row[0]) for row in rows) == list(range(1, len(field) + 1)), rows
    j.shot(org, "draw-and-codes")

    # 9. The organizer opens the trade for scoring.
    j.nav(org, "Scoring")
    org.locator("main table.list tbody tr").filter(has_text=TRADE[0]).get_by_role(
        "link", name=t("Scoring control")).click()
    j.button(org, "Open for scoring").click()
    j.flash(org, t("Trade %(code)s is open for scoring.", code=TRADE[0]))
    j.nav(org, "Dashboard")
    expect(org.locator(".stats")).to_contain_text(str(len(people)))
    j.shot(org, "organizer-dashboard")
    j.docs_shot(org, "dashboard")

    # 10. Two judges at the same time on the same trade's sheet.
    judges = {}
    for key in ("j1", "j2"):
        page = j.log_in(f"{who}-{key}", passwords[key])
        j.link(page, "My trades", "header").click()
        expect(page.locator("main table.list tbody tr")).to_have_count(1)
        j.link(page, "Score sheet").click()
        expect(page.locator("#sheet")).to_be_visible()
        judges[key] = page
    j1, j2 = judges["j1"], judges["j2"]
    by_code = {codes[e.name]: e for e in field}
    order = {key: [th.split("\n")[0].strip() for th in
                   page.locator("#sheet tbody th[scope=row]").all_inner_texts()]
             for key, page in judges.items()}
    # Judge 1 (of ZZ) is recused from ZZ's contestants: under blind judging their codes are not
    # on judge 1's sheet at all (a code marked "recused" would give its delegation away).
    own = {codes[e.name] for e in field if e.delegation == "ZZ"}
    assert own and sorted(order["j1"]) == sorted(set(by_code) - own), order
    assert sorted(order["j2"]) == sorted(by_code), order
    for page in judges.values():  # blind judging: codes only, never names or delegations
        sheet_text = page.locator("#sheet").inner_text()
        assert not any(e.name in sheet_text for e in field)
        assert not any(name in sheet_text for _c, *names in DELEGATIONS for name in names)
    expect(j1.locator("#sheet td.recused")).to_have_count(0)
    expect(j2.locator("#sheet td.recused")).to_have_count(0)
    # ... and a mark for one of them, slipped into the form, is refused by the server. (Cells
    # are named by opaque per-trade keys; a tampering judge cannot derive one, the test takes it
    # from the app.)
    with j.live.context():
        trade_id = database.session.scalar(sa.select(Trade.id).where(
            Trade.code == TRADE[0], Trade.event.has(code=code)))
        aspect_ids = dict(database.session.execute(
            sa.select(Aspect.code, Aspect.id).join(Criterion).where(Criterion.trade_id == trade_id)).all())
        entrant_ids = dict(database.session.execute(
            sa.select(EntrantRow.anonymous_code, EntrantRow.id).where(EntrantRow.trade_id == trade_id)).all())
        target = entrant_ids[sorted(own)[0]]
        forged = judging.entrant_key(trade_id, target)
    j1.evaluate("""([name]) => {
        const input = document.createElement('input');
        input.type = 'hidden'; input.name = name; input.value = '3';
        document.getElementById('sheet').appendChild(input);
    }""", [f"m-{forged}-{aspect_ids['B1']}"])
    j.button(j1, "Save").click()
    j.flash(j1, t("Nothing was saved: correct the marked cells."), "error")
    with j.live.context():
        assert database.session.scalar(sa.select(sa.func.count(Score.id)).where(
            Score.trade_id == trade_id, Score.entrant_id == target)) == 0
    j.shot(j1, "judge-recused-refused")

    # Both type their marks, interleaved: judge 2 row by row with Tab, judge 1 down the
    # columns with Enter.
    column_queue = []
    for aspect in ("B1", "B2"):
        values = [(code_, str(getattr(by_code[code_], aspect.lower())["j1"]))
                  for code_ in order["j1"] if code_ not in own]
        column_queue += [(aspect, i == 0, code_, value) for i, (code_, value) in enumerate(values)]
    for row_code in order["j2"]:
        e = by_code[row_code]
        j2.get_by_label(f"{row_code} A/A1", exact=True).click()
        for value in (e.a1, str(e.b1["j2"]), e.b2["j2"]):
            j2.keyboard.type(value)
            j2.keyboard.press("Tab")
        for _ in range(2):
            if column_queue:
                aspect, first, code_, value = column_queue.pop(0)
                if first:
                    j1.get_by_label(f"{code_} B/{aspect}", exact=True).click()
                j1.keyboard.type(value)
                j1.keyboard.press("Enter")
    assert not column_queue
    # Each mark is saved in the background as it is typed: Save then has nothing left to do.
    expect(j1.locator("#sheet td.state-saved")).to_have_count(8)
    expect(j2.locator("#sheet td.state-saved")).to_have_count(18)
    expect(j2.locator("#sheet td.invalid")).to_have_count(0)
    j.shot(j2, "judge-sheet-typed", full_page=False)
    j.docs_shot(j2, "score-sheet")
    j.button(j1, "Save").click()
    j.button(j2, "Save").click()
    j.flash(j1, t("Nothing changed."))
    j.flash(j2, t("Nothing changed."))
    expect(j1.locator("#sheet td.saved")).to_have_count(8)
    expect(j2.locator("#sheet td.saved")).to_have_count(18)
    j.shot(j2, "judge-sheet-saved")

    # 11. The chief judge sees the discrepancy, resolves it with a reason and signs off.
    chief = j.log_in(f"{who}-chief", passwords["chief"])
    j.link(chief, "My trades", "header").click()
    j.link(chief, "Progress and discrepancies").click()
    disputes = chief.locator("main section.card").filter(
        has=chief.get_by_role("heading", name=t("Discrepancies"))).locator("table.list tbody tr")
    expect(disputes).to_have_count(1)
    disputed = next(e for e in field if len(set(e.b1.values())) > 1 and
                    max(e.b1.values()) - min(e.b1.values()) > 1)
    expect(disputes.first).to_contain_text(codes[disputed.name])
    expect(disputes.first).to_contain_text("B/B1")
    j.shot(chief, "chief-discrepancy")
    disputes.first.get_by_role("link", name=t("Resolve")).click()
    chief.get_by_label(f"{who}-j2 B1", exact=True).fill("2")
    chief.fill("input[name=reason]",
               j.name("与裁判核对后更正录入错误", "Typing error, confirmed with the judge"))
    j.button(chief, "Save corrections").click()
    j.flash(chief, t("%(n)s marks saved.", n=1))
    disputed.b1["j2"] = 2
    j.link(chief, "Progress and discrepancies", "nav.subnav").click()
    expect(chief.locator("main")).to_contain_text(t("No discrepancies."))
    expect(chief.locator("main")).to_contain_text(t("Every active entrant has every mark."))
    chief.fill("#note", j.name("评分完成，无异议。", "Marking complete."))
    j.button(chief, "Sign off and lock").click()
    j.flash(chief, t("Trade %(code)s signed off: its marks are locked.", code=TRADE[0]))
    j.shot(chief, "chief-signed-off")

    # 12. The organizer checks the provisional results and publishes them.
    awards = expected_awards(field)
    assert sorted(tier for _p, _t, tier in awards.values() if tier) == [1, 2, 2, 3], awards
    j.nav(org, "Results")
    org.locator("main table.list tbody tr").filter(has_text=TRADE[0]).get_by_role(
        "link", name=t("Results")).click()
    check_results(j, org.locator("main table.results-table"), field, awards, provisional=True)
    j.button(org, "Publish these results").click()
    j.flash(org, t("Results of %(trade)s published.", trade=trade_name))
    j.shot(org, "organizer-published")

    # 13. The public, with no login: event page, the trade's results, medal table, live board.
    public = j.open(f"/events/{code}/")
    expect(public.get_by_role("heading", name=event_name, exact=True)).to_be_visible()
    public.get_by_role("link", name=trade_name, exact=True).click()
    check_results(j, public.locator("main table.results-table"), field, awards)
    content = public.content()
    assert not any(number in content for number in id_numbers)  # no personal data in public
    j.shot(public, "public-trade-results")
    j.docs_shot(public, "public-trade-results")

    j.nav(public, "Medal table")
    table = table_rows(public.locator("main table.medal-table"))
    want = [(str(rank), delegation_name[dcode], *map(str, (g, s, b)), "0", str(total))
            for rank, dcode, g, s, b, total in expected_medal_table(field, awards)]
    # Equal rows share a rank; their order among themselves is the product's (by name).
    assert sorted(tuple(row[:7]) for row in table) == sorted(want), (table, want)
    assert [int(row[0]) for row in table] == sorted(int(row[0]) for row in table), table
    expect(public.locator("figure.bars .bar-row")).to_have_count(3)
    j.shot(public, "public-medal-table")
    j.docs_shot(public, "public-medal-table")

    public.goto(f"/events/{code}/board?cycle=4")
    board = public.locator("#board")
    winner = next(e for e in field if awards[e.name][0] == 1)
    expect(board.locator("table.board-table")).to_contain_text(winner.name)
    expect(board).to_contain_text(t(PRIZES[0]))
    j.shot(public, "live-board-results", full_page=False)
    j.docs_shot(public, "live-board")
    expect(board.locator("h2")).to_have_text(t("Medal table"), timeout=12_000)
    expect(board.locator("table.board-table tbody tr")).to_have_count(3)
    j.shot(public, "live-board-medals", full_page=False)

    return {"event": code, "organizer": (f"{who}-org", organizer_password),
            "awards": awards, "field": field}


def check_results(j, table, field, awards, provisional: bool = False) -> None:
    """Every entrant's place, total and award on a results table, as computed from the marks."""
    j.expect(table.locator("tbody tr")).to_have_count(len(field))
    for e in field:
        place, total, tier = awards[e.name]
        row = table.locator("tbody tr").filter(has_text=e.name)
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        award_cell = cells[-2] if provisional else cells[-1]
        total_cell = cells[-3] if provisional else cells[-2]
        assert cells[0] == str(place), (e.name, cells)
        assert Decimal(total_cell) == total, (e.name, cells)
        assert award_cell == (j.t(PRIZES[tier - 1]) if tier else ""), (e.name, cells, tier)
        if provisional:
            assert cells[-1] == j.t("Complete"), (e.name, cells)


def _docs_candidate(lang: str, name: str) -> Path:
    """Viewport-sized (1280×800) screenshots that may go to docs/screenshots/."""
    folder = SCREENSHOTS / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}-{lang}.png"


@pytest.mark.parametrize("journey", LANGS, indirect=True)
def test_certificates_of_the_trade_verify_by_their_qr_code(journey, published):
    """The organizer prints the trade's award certificates; each PDF page's QR code is read back
    and opens the public verification page, which says the certificate is genuine."""
    j, t, expect = journey, journey.t, journey.expect
    done = published
    import pypdfium2
    import zxingcpp
    from pypdf import PdfReader

    field, awards = done["field"], done["awards"]
    winners = {e.name: awards[e.name][2] for e in field if awards[e.name][2]}
    org = j.log_in(*done["organizer"])
    j.nav(org, "Exports")
    org.select_option("#trade", TRADE[0])
    org.select_option("#kind", "award")
    org.select_option("#format", "pdf")
    j.button(org, "Print").click()
    download_link = org.locator("#job-download")
    expect(download_link).to_be_visible(timeout=30_000)  # the page follows the batch's progress
    expect(org.locator("#job-done")).to_have_text(str(len(winners)))
    expect(org.locator("#job-error")).to_be_hidden()
    j.shot(org, "certificates-printed")
    pdf = j.download(org, download_link)
    assert pdf.read_bytes().startswith(b"%PDF")

    # Each page: the QR code's URL, and the text printed beside it.
    urls, texts = [], []
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for page in document:
            image = page.render(scale=3).to_pil()
            urls += [code.text for code in zxingcpp.read_barcodes(image)]
    finally:
        document.close()
    texts = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(texts) == len(winners) == len(urls), (urls, texts)
    prefix = f"{j.live.url}/verify/"
    assert all(url.startswith(prefix) for url in urls), urls
    numbers = [url.removeprefix(prefix) for url in urls]
    for number, text in zip(numbers, texts):
        assert number in text.replace(" ", ""), (number, text)

    # The organizer's list of issued certificates has the same numbers, names and awards.
    j.nav(org, "Exports")
    j.link(org, "Issued certificates").click()
    org.select_option("select[name=trade]", TRADE[0])
    j.button(org, "Filter").click()
    rows = table_rows(org.locator("main table.certificates"))
    listed = {row[0]: row for row in rows}
    assert sorted(listed) == sorted(numbers), (rows, numbers)
    assert sorted(row[1] for row in rows) == sorted(winners), rows
    for row in rows:
        expect_award = t(PRIZES[winners[row[1]] - 1])
        assert row[5] == expect_award and row[7] == t("Valid"), (row, expect_award)
    j.shot(org, "certificates-listed")

    # The public opens a QR code's URL: genuine, for whom and what.
    public = j.open("/verify")
    for url in urls:
        public.goto(url)
        result = public.locator("main section.verify-result")
        expect(result.get_by_role("heading")).to_have_text(t("Genuine: this certificate is valid."))
        row = listed[url.removeprefix(prefix)]
        expect(result).to_contain_text(row[1])
        expect(result).to_contain_text(t(PRIZES[winners[row[1]] - 1]))
    j.shot(public, "certificate-verified")
    public.goto(f"{prefix}{done['event']}-9999-9999")
    expect(public.locator("main section.verify-result h2")).to_have_text(
        t("Unknown: no certificate has the number %(number)s.", number=f"{done['event']}-9999-9999"))
