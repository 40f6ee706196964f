"""Bulk set-up from Excel: trades with marking schemes, and judges. All or nothing, every bad row
reported with its row number."""

from __future__ import annotations

import base64
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Aspect, Criterion, JudgeAssignment, Role, Trade, User
from competition.services import setup
from tests.app.support import (
    JUDGE_HEADERS,
    SCHEME_HEADERS,
    TRADE_HEADERS,
    count,
    field_error,
    fresh_client,
    post_file,
    read_workbook,
    report_rows,
    workbook,
)

BASE = "/manage/events/HN2026"
TRADES_URL = f"{BASE}/import/trades"
JUDGES_URL = f"{BASE}/import/judges"
pytestmark = pytest.mark.language("en")


@pytest.fixture
def event(make_event):
    return make_event("HN2026")


def trades_by_code() -> dict[str, Trade]:
    db.session.expire_all()
    return {t.code: t for t in db.session.scalars(sa.select(Trade))}


def bad_rows(response) -> dict[int, list[str]]:
    rows: dict[int, list[str]] = {}
    for row, column, problem in report_rows(response):
        rows.setdefault(int(row) if row else 0, []).append(f"{column}: {problem}")
    return rows


def summary(response) -> str:
    found = re.search(r'<h2 class="error">(.*?)</h2>', response.get_data(as_text=True), re.S)
    return found.group(1).strip() if found else ""


# --- trades and marking schemes ----------------------------------------------------------------

def test_template_downloads_and_imports_into_an_empty_event(organizer, event):
    response = organizer.get(f"{TRADES_URL}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = post_file(organizer, TRADES_URL, response.data, "trades-template.xlsx")
    assert response.status_code == 302, summary(response)
    assert response.headers["Location"] == f"{BASE}/trades"
    trades = trades_by_code()
    assert sorted(trades) == ["D01", "R01", "W01"]
    welding = trades["W01"]
    assert [(c.code, c.weight) for c in welding.criteria] == [("A", Decimal(30)), ("B", Decimal(70))]
    assert [a.code for c in welding.criteria for a in c.aspects] == ["A1", "B1", "B2", "B3"]
    assert welding.max_total == 100 and setup.scheme_problems(welding) == []
    judged = welding.criteria[1].aspects[0]
    assert (judged.kind, judged.decimals) == ("judgement", 0)
    panel = welding.criteria[1].aspects[2]
    assert (panel.kind, panel.aggregation, panel.trimmed_count) == ("panel", "trimmed_mean", 1)
    assert (trades["R01"].entry_type, trades["R01"].team_size) == ("pair", 2)
    assert trades["D01"].is_demonstration and not trades["W01"].is_demonstration
    assert trades["W01"].quota_per_delegation == 2 and trades["D01"].quota_per_delegation is None


def seed_workbook() -> bytes:
    """70 trades (10 demonstration, 6 pairs, 2 teams of 3), each with a 100-mark scheme."""
    trades, scheme = [TRADE_HEADERS], [SCHEME_HEADERS]
    for n in range(1, 71):
        code = f"{'D' if n > 60 else 'T'}{n:02d}"
        entry, size = ("双人", 2) if n <= 6 else ("团体", 3) if n in (7, 8) else ("个人", 1)
        trades.append([code, f"赛项{n}", f"Trade {n}", "制造类" if n % 2 else "服务类", entry, size,
                       "是" if n > 60 else "否", 2])
        scheme += [
            [code, "A", "理论知识", "", "A1", "理论考试", "测量", 30, "", ""],
            [code, "B", "实际操作", "", "B1", "外观", "评价", 20.5, "", ""],
            [code, "B", "实际操作", "", "", "综合评分", "评分", 49.5, "去掉最高最低", 1],
        ]
    return workbook(("赛项", trades), ("评分标准", scheme))


def test_seed_sized_workbook_imports(organizer):
    response = post_file(organizer, TRADES_URL, seed_workbook())
    assert response.status_code == 302, summary(response)
    trades = trades_by_code()
    assert len(trades) == 70
    assert sum(t.is_demonstration for t in trades.values()) == 10
    assert sum(t.entry_type == "pair" for t in trades.values()) == 6
    assert [(t.entry_type, t.team_size) for t in (trades["T07"], trades["T08"])] == [("team", 3)] * 2
    assert count(Criterion) == 140 and count(Aspect) == 210
    for trade in trades.values():
        assert trade.max_total == 100, trade.code
        assert setup.scheme_problems(trade) == [], trade.code
        assert [a.code for c in trade.criteria for a in c.aspects] == ["A1", "B1", "B2"]
    assert "Imported: 70 new" in organizer.get(f"{BASE}/trades").get_data(as_text=True)


def test_english_headers_accepted(organizer):
    data = workbook(
        ("Trades", [["Trade code", "Trade name", "Entry type", "Team size", "Demonstration"],
                    ["W01", "焊接", "team", 4, "no"]]),
        ("Scheme", [["Trade code", "Criterion code", "Criterion name", "Aspect", "Kind", "Max mark"],
                    ["W01", "A", "Theory", "Exam", "measurement", 100]]))
    assert post_file(organizer, TRADES_URL, data).status_code == 302
    trade = trades_by_code()["W01"]
    assert (trade.entry_type, trade.team_size, trade.max_total) == ("team", 4, 100)


def test_every_bad_row_reported_and_nothing_imported(organizer, event, make_trade):
    make_trade(event, code="E99", name_zh="电工")
    trades = [
        TRADE_HEADERS,
        ["W01", "焊接", "", "", "个人", 1, "否", ""],         # 2 good
        ["W02", "车工", "", "", "四人赛", 4, "否", ""],        # 3 bad entry type
        ["W03", "铣工", "", "", "个人", 3, "否", ""],          # 4 team size mismatch
        ["W01", "焊接二", "", "", "个人", 1, "否", ""],        # 5 duplicate code in the file
        ["e99", "电工二", "", "", "个人", 1, "否", ""],        # 6 code already in the event
        ["W04", "钳工", "", "", "个人", 1, "也许", ""],        # 7 bad demonstration flag
        ["W05", None, "", "", "个人", 1, "否", ""],            # 8 missing required cell
        ["W06", "砌筑", "", "", "双人", 3, "否", ""],          # 9 pair of 3
        ["W07", "抹灰", "", "", "个人", 1, "否", 0],           # 10 quota 0
    ]
    scheme = [
        SCHEME_HEADERS,
        ["W01", "A", "理论", "", "A1", "理论考试", "测量", 30, "", ""],     # 2 good
        ["ZZ9", "A", "理论", "", "A1", "理论考试", "测量", 30, "", ""],     # 3 unknown trade
        ["W01", "B", "实操", "", "B1", "外观", "猜测", 10, "", ""],         # 4 bad kind
        ["W01", "B", "实操", "", "B2", "外观", "测量", 0, "", ""],          # 5 max 0
        ["W01", "B", "实操", "", "B3", "外观", "测量", -5, "", ""],         # 6 max negative
        ["W01", "B", "实操", "", "B4", "外观", "测量", "十分", "", ""],     # 7 max text
        ["W01", "B", "实操", "", "A1", "外观", "测量", 10, "", ""],         # 8 duplicate aspect code
        ["W01", "B", "实操", "", "B5", None, "测量", 10, "", ""],           # 9 missing description
        ["W01", "B", "实操", "", "B6", "外观", "评分", 10, "随便", ""],     # 10 bad aggregation
    ]
    response = post_file(organizer, TRADES_URL, workbook(("赛项", trades), ("评分标准", scheme)))
    assert response.status_code == 422
    rows = bad_rows(response)
    assert {3, 4, 5, 6, 7, 8, 9, 10} <= set(rows)
    assert 2 not in rows
    text = "\n".join(f"{r} {p}" for r, problems in rows.items() for p in problems)
    for expected in ["“四人赛” is not one of", "An individual trade has a team size of 1.",
                     "Trade code W01 is already used.", "Trade code E99 is already used.",
                     "“也许” is not one of", "A pair trade has a team size of 2.",
                     "Number must be between 1 and 100.", "Trade ZZ9 is not on the trades sheet.",
                     "“猜测” is not one of", "Number must be between 0.01 and 1000.",
                     "Not a valid decimal value.", "Aspect code A1 appears twice in this trade.",
                     "“随便” is not one of"]:
        assert expected in text, expected
    assert len([p for p in text.splitlines() if "between 0.01 and 1000" in p]) >= 3  # rows 5, 6, 7
    # both sheets have a row 3: each problem names its sheet
    assert "3 赛项 · 参赛形式: “四人赛”" in text
    assert "3 评分标准 · 赛项编号: Trade ZZ9 is not on the trades sheet." in text
    assert text.count("This cell must not be empty") + text.count("This field is required") >= 2
    assert summary(response).startswith("Nothing was imported")
    assert sorted(trades_by_code()) == ["E99"]
    assert count(Criterion) == 1 and count(Aspect) == 2


def test_each_bad_row_alone_blocks_the_import(organizer):
    """A single bad scheme row keeps even the good trades out."""
    data = workbook(("赛项", [TRADE_HEADERS, ["W01", "焊接", "", "", "个人", 1, "否", ""]]),
                    ("评分标准", [SCHEME_HEADERS,
                                  ["W01", "A", "理论", "", "A1", "考试", "测量", "0", "", ""]]))
    response = post_file(organizer, TRADES_URL, data)
    assert response.status_code == 422
    assert list(bad_rows(response)) == [2]
    assert count(Trade) == 0


@pytest.mark.parametrize("content, message", [
    (b"code,name\nW01,welding\n", "This is a text (CSV) file, not an Excel workbook."),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "This is a PDF file, not an Excel workbook"),
    (b"", "The file is empty."),
], ids=["text", "pdf", "empty"])
def test_a_file_that_is_not_a_workbook_refused(organizer, content, message):
    response = post_file(organizer, TRADES_URL, content, "trades.xlsx")
    assert response.status_code == 422
    lines = report_rows(response)
    assert len(lines) == 1 and lines[0][0] == "", lines
    assert lines[0][2].startswith(message)
    assert count(Trade) == 0


def test_judges_import_refuses_a_file_that_is_not_a_workbook(organizer):
    response = post_file(organizer, JUDGES_URL, b"%PDF-1.4\n", "judges.xlsx")
    assert response.status_code == 422
    assert "PDF" in report_rows(response)[0][2]
    assert count(User) == 1


def test_upload_without_a_file_refused(organizer):
    response = organizer.post(TRADES_URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert field_error(response, "file") == ["This field is required."]


def test_missing_header_columns_reported(organizer):
    data = workbook(("赛项", [["赛项编号", "参赛形式"], ["W01", "个人"]]))
    response = post_file(organizer, TRADES_URL, data)
    assert response.status_code == 422
    problems = " ".join(p for _, _, p in report_rows(response))
    assert "赛项名称" in problems and "missing" in problems
    assert count(Trade) == 0


def test_trades_import_without_scheme_sheet(organizer):
    data = workbook(("赛项", [TRADE_HEADERS, ["W01", "焊接", "", "", "", "", "", ""]]))
    assert post_file(organizer, TRADES_URL, data).status_code == 302
    trade = trades_by_code()["W01"]
    assert (trade.entry_type, trade.team_size, trade.criteria) == ("individual", 1, [])


# --- judges ------------------------------------------------------------------------------------

@pytest.fixture
def judging_world(event, make_delegation, make_trade, make_user):
    make_delegation(event, code="ZZ", name_zh="郑州市")
    make_delegation(event, code="KF", name_zh="开封市")
    make_trade(event, code="W01")
    make_trade(event, code="E01")
    make_user(Role.JUDGE, event, username="taken")


def test_judges_import_creates_accounts_with_passwords_shown_once(app, organizer, judging_world):
    data = workbook(("裁判", [
        JUDGE_HEADERS,
        ["张伟", "zhangwei", "ZZ", "W01、E01", "裁判员"],
        ["李娜", "", "开封市", "w01", "裁判长"],
        ["王芳", None, None, None, None],
    ]))
    response = post_file(organizer, JUDGES_URL, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = re.findall(r"<tr><td>(.*?)</td><td><code>(.*?)</code></td><td><code>(.*?)</code></td>", page)
    assert [r[0] for r in rows] == ["张伟", "李娜", "王芳"]
    logins = {name: (username, password) for name, username, password in rows}
    assert logins["张伟"][0] == "zhangwei"
    assert re.fullmatch(r"hn2026-j\d{4}", logins["李娜"][0])
    assert len({p for _, p in logins.values()}) == 3

    link = re.search(r'href="data:application/vnd\.openxmlformats[^;]*;base64,([^"]+)"', page)
    sheet = read_workbook(base64.b64decode(link.group(1)))
    values = next(iter(sheet.values()))
    assert {(r[1], r[2]) for r in values[1:]} == set(logins.values())

    db.session.expire_all()
    zhang = db.session.scalar(sa.select(User).where(User.username == "zhangwei"))
    li = db.session.scalar(sa.select(User).where(User.username == logins["李娜"][0]))
    wang = db.session.scalar(sa.select(User).where(User.username == logins["王芳"][0]))
    assert (zhang.role, zhang.delegation.code, sorted(a.trade.code for a in zhang.assignments)) == \
        (Role.JUDGE, "ZZ", ["E01", "W01"])
    assert (li.role, li.delegation.code, [a.trade.code for a in li.assignments]) == \
        (Role.CHIEF_JUDGE, "KF", ["W01"])
    assert (wang.role, wang.delegation, wang.assignments) == (Role.JUDGE, None, [])
    for username, password in logins.values():
        other = fresh_client(app)
        assert other.post("/auth/login", data={"username": username, "password": password}) \
            .status_code == 302
    assert logins["张伟"][1] not in organizer.get(f"{BASE}/judges").get_data(as_text=True)


def test_judges_import_bad_rows_create_nothing(organizer, judging_world):
    data = workbook(("裁判", [
        JUDGE_HEADERS,
        ["张伟", "zhangwei", "ZZ", "W01", "裁判员"],      # 2 good
        ["李娜", "lina", "北京市", "W01", "裁判员"],       # 3 unknown delegation
        ["王芳", "wangfang", "ZZ", "X99", "裁判员"],       # 4 unknown trade
        ["赵强", "zhangwei", "KF", "E01", "裁判员"],       # 5 username twice in the file
        ["孙丽", "TAKEN", "KF", "E01", "裁判员"],          # 6 username taken already
        ["周杰", "zhoujie", "KF", "E01", "裁判王"],        # 7 bad role
        [None, "wuming", "KF", "E01", "裁判员"],           # 8 no name
    ]))
    response = post_file(organizer, JUDGES_URL, data)
    assert response.status_code == 422
    rows = bad_rows(response)
    assert sorted(rows) == [3, 4, 5, 6, 7, 8]
    text = " ".join(" ".join(p) for p in rows.values())
    for expected in ["Unknown delegation “北京市”.", "Unknown trade “X99”.",
                     "Username zhangwei is taken.", "Username TAKEN is taken.",
                     "“裁判王” is not one of"]:
        assert expected in text, expected
    assert count(User) == 2  # the organizer and the judge made before
    assert count(JudgeAssignment) == 0


def test_judges_template_downloads(organizer, judging_world):
    response = organizer.get(f"{JUDGES_URL}/template.xlsx")
    assert response.status_code == 200
    sheet = next(iter(read_workbook(response.data).values()))
    assert list(sheet[0]) == JUDGE_HEADERS


def test_unknown_import_kind_not_found(organizer):
    assert organizer.get(f"{BASE}/import/contestants-and-more").status_code == 404
    assert organizer.get(f"{BASE}/import/nothing/template.xlsx").status_code == 404
