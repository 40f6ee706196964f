"""Trades with their marking schemes from one workbook: sheet 1 the trades, sheet 2 (optional)
one row per aspect. Every row is checked with the forms the organizer's pages use, then the rules
that span rows (codes and names unique in the file and the event); nothing is written while any
row has a problem."""

from __future__ import annotations

import sqlalchemy as sa

from competition.domain.aggregation import Aggregation, AspectKind
from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.forms import setup as forms
from competition.models import Aspect, Criterion, Event, Trade
from competition.services.imports.report import (
    IN_THE_REQUEST,
    NOT_A_CHOICE,
    ImportReport,
    Options,
    form_problems,
    parse_bool,
    parse_choice,
    read_upload,
    sheet_names,
    text,
    writing,
)
from competition.spreadsheets.reader import Column
from competition.spreadsheets.safety import UploadRefused
from competition.spreadsheets.writer import SheetSpec, write_workbook

ENTRY_TYPES = {"个人": "individual", "个人赛": "individual", "individual": "individual",
               "双人": "pair", "双人赛": "pair", "pair": "pair",
               "团体": "team", "团体赛": "team", "团队": "team", "team": "team"}
ASPECT_KINDS = {"测量": "measurement", "客观": "measurement", "measurement": "measurement",
                "评价": "judgement", "主观": "judgement", "judgement": "judgement",
                "judgment": "judgement", "评分": "panel", "打分": "panel", "panel": "panel",
                "panel mark": "panel"}
AGGREGATIONS = {"平均": "mean", "平均分": "mean", "mean": "mean",
                "去掉最高最低": "trimmed_mean", "去掉最高分和最低分": "trimmed_mean",
                "trimmed mean": "trimmed_mean", "trimmed_mean": "trimmed_mean",
                "中位数": "median", "median": "median", "": "mean"}
TRADE_COLUMNS = (
    Column("code", ("赛项编号", "Trade code", "code")),
    Column("name_zh", ("赛项名称", "Trade name", "name")),
    Column("name_en", ("英文名称", "English name"), required=False),
    Column("category", ("类别", "Category"), required=False),
    Column("entry_type", ("参赛形式", "Entry type"), required=False),
    Column("team_size", ("团队人数", "Team size"), required=False, as_text=True),
    Column("is_demonstration", ("表演赛", "Demonstration"), required=False),
    Column("quota_per_delegation", ("每代表团名额", "Quota per delegation"), required=False,
           as_text=True),
)
SCHEME_COLUMNS = (
    Column("trade", ("赛项编号", "Trade code")),
    Column("criterion_code", ("模块编号", "Criterion code")),
    Column("criterion_name", ("模块名称", "Criterion name")),
    Column("weight", ("模块权重", "Criterion weight"), required=False, as_text=True),
    Column("code", ("评分要素编号", "Aspect code"), required=False, as_text=True),
    Column("description_zh", ("评分要素", "Aspect")),
    Column("kind", ("评分类型", "Kind")),
    Column("max_mark", ("满分", "Max mark"), as_text=True),
    Column("aggregation", ("计分方法", "Aggregation"), required=False),
    Column("trimmed_count", ("去掉最高最低个数", "Trimmed count"), required=False, as_text=True),
)


TITLE = N_("Import trades and marking schemes")
HELP = N_("Sheet 1 lists the trades, sheet 2 their marking schemes (one row per aspect). A file "
          "with any bad row imports nothing.")


def run(event: Event, data: bytes, _actor=None, _source: str = "",
        options: Options = IN_THE_REQUEST) -> ImportReport:
    """Create trades (sheet 1) and their marking schemes (sheet 2, optional), all or nothing."""
    report = ImportReport(annotatable=False)
    names = _sheet_names(data, report)
    if not names:
        return report
    table = read_upload(data, TRADE_COLUMNS, report, sheet=names[0])
    scheme = read_upload(data, SCHEME_COLUMNS, report, sheet=names[1]) if len(names) > 1 else None
    if table is None:
        return report
    trades = _read_trades(event, table, names[0], report)
    if scheme is not None:
        _read_scheme(scheme, names[1], trades, report)
    if not report.ok:
        return report
    with writing(report, options):
        _write(event, trades)
        report.created = len(trades)
    return report


def _sheet_names(data: bytes, report: ImportReport) -> list[str] | None:
    """The workbook's sheets; None, with the reason in ``report``, when there are none to read."""
    try:
        names = sheet_names(data)
    except UploadRefused as refusal:
        report.add(None, refusal.problem)
        return None
    except Exception:
        report.add(None, Problem(N_("The file could not be read as an Excel workbook.")))
        return None
    if not names:
        report.add(None, Problem(N_("The workbook has no sheet.")))
        return None
    return names


def _read_trades(event: Event, table, sheet: str, report: ImportReport) -> dict[str, dict]:
    """The trades sheet's good rows by code, each with an empty ``criteria`` for the scheme."""
    labels = _labels(TRADE_COLUMNS, sheet)
    existing = {code.upper() for code in db.session.scalars(
        sa.select(Trade.code).where(Trade.event_id == event.id))}
    existing_names = set(db.session.scalars(sa.select(Trade.name_zh).where(Trade.event_id == event.id)))
    trades: dict[str, dict] = {}
    seen_names: dict[str, int] = {}
    for row in table.rows:
        values = _trade_values(row, labels, report)
        if values is None:
            continue
        form = form_problems(forms.TradeForm, values, report, row.number, labels)
        if form is None:
            continue
        code = form.code.data
        if code in existing or code in trades:
            report.add(row.number, Problem(N_("Trade code %(code)s is already used."), {"code": code}),
                       labels["code"])
            continue
        if form.name_zh.data in existing_names or form.name_zh.data in seen_names:
            report.add(row.number, Problem(N_("Trade name %(name)s is already used."),
                                           {"name": form.name_zh.data}), labels["name_zh"])
            continue
        seen_names[form.name_zh.data] = row.number
        trades[code] = {**{k: v for k, v in form.data.items() if k != "csrf_token"}, "criteria": {}}
    return trades


def _trade_values(row, labels: dict[str, str], report: ImportReport) -> dict | None:
    """A trade row's values as the trade form takes them: the entry type and the demonstration
    flag parsed (None, reported, when either is not one of the choices)."""
    values = dict(row.values)
    entry = (parse_choice(values.get("entry_type"), ENTRY_TYPES) if values.get("entry_type")
             else "individual")
    if entry is None:
        report.add(row.number, Problem(NOT_A_CHOICE, {"value": text(values["entry_type"]),
                                                      "choices": "个人/双人/团体"}), labels["entry_type"])
        return None
    values["entry_type"] = entry
    values["team_size"] = values.get("team_size") or {"individual": 1, "pair": 2}.get(entry, "")
    demo = parse_bool(values.get("is_demonstration"))
    if demo is None:
        report.add(row.number, Problem(NOT_A_CHOICE, {"value": text(values["is_demonstration"]),
                                                      "choices": "是/否"}), labels["is_demonstration"])
        return None
    values["is_demonstration"] = "y" if demo else ""
    values["judgement_threshold"] = "1"
    return values


def _write(event: Event, trades: dict[str, dict]) -> None:
    for values in trades.values():
        criteria = values.pop("criteria")
        trade = Trade(event=event, **values)
        for position, (code, criterion) in enumerate(criteria.items()):
            trade.criteria.append(Criterion(
                code=code, name_zh=criterion["name"], weight=criterion["weight"], position=position,
                aspects=[Aspect(position=i, **aspect) for i, aspect in enumerate(criterion["aspects"])]))
        db.session.add(trade)


def _labels(columns: tuple[Column, ...], sheet: str) -> dict[str, str]:
    """Column names for the report, with the sheet: both sheets have rows 2, 3, … and a
    赛项编号 column, so a row number alone does not say where to look."""
    return {c.key: f"{sheet} · {c.headers[0]}" for c in columns}


def _read_scheme(scheme, sheet: str, trades: dict[str, dict], report: ImportReport) -> None:
    labels = _labels(SCHEME_COLUMNS, sheet)
    aspect_codes: dict[str, set[str]] = {}
    for row in scheme.rows:
        values = dict(row.values)
        trade_code = text(values.get("trade")).upper()
        if trade_code not in trades:
            report.add(row.number, Problem(N_("Trade %(code)s is not on the trades sheet."),
                                           {"code": trade_code}), labels["trade"])
            continue
        kind = parse_choice(values.get("kind"), ASPECT_KINDS)
        aggregation = parse_choice(values.get("aggregation"), AGGREGATIONS)
        if kind is None:
            report.add(row.number, Problem(NOT_A_CHOICE, {"value": text(values.get("kind")),
                                                          "choices": "测量/评价/评分"}), labels["kind"])
            continue
        if aggregation is None:
            report.add(row.number, Problem(NOT_A_CHOICE, {"value": text(values.get("aggregation")),
                                                          "choices": "平均/去掉最高最低/中位数"}),
                       labels["aggregation"])
            continue
        criteria = trades[trade_code]["criteria"]
        criterion_code = text(values.get("criterion_code")).upper()
        criterion = criteria.setdefault(criterion_code, {"name": text(values.get("criterion_name")),
                                                         "weight": None, "aspects": []})
        codes = aspect_codes.setdefault(trade_code, set())
        code = text(values.get("code")) or f"{criterion_code}{len(criterion['aspects']) + 1}"
        form_values = {
            "criterion_id": "1", "code": code, "description_zh": values.get("description_zh"),
            "kind": kind, "max_mark": values.get("max_mark"), "aggregation": aggregation,
            "trimmed_count": values.get("trimmed_count") or "1",
            "decimals": "0" if kind == AspectKind.JUDGEMENT else "2",
        }
        form = form_problems(forms.AspectForm, form_values, report, row.number, labels,
                              criterion_id=[(1, "")])
        criterion_form = form_problems(
            forms.CriterionForm, {"code": criterion_code, "name_zh": values.get("criterion_name"),
                                  "weight": values.get("weight") or ""},
            report, row.number, {"code": labels["criterion_code"], "name_zh": labels["criterion_name"],
                                 "weight": labels["weight"]})
        if form is None or criterion_form is None:
            continue
        if form.code.data in codes:
            report.add(row.number, Problem(N_("Aspect code %(code)s appears twice in this trade."),
                                           {"code": form.code.data}), labels["code"])
            continue
        codes.add(form.code.data)
        criterion["weight"] = criterion_form.weight.data
        criterion["aspects"].append({
            "code": form.code.data, "description_zh": form.description_zh.data,
            "kind": AspectKind(form.kind.data), "max_mark": form.max_mark.data,
            "aggregation": Aggregation(form.aggregation.data),
            "trimmed_count": form.trimmed_count.data, "decimals": form.decimals.data})


COLUMNS = TRADE_COLUMNS + SCHEME_COLUMNS


def template(event: Event) -> bytes:
    return write_workbook([
        SheetSpec(title="赛项 Trades", headers=[c.headers[0] for c in TRADE_COLUMNS], rows=[
            ("W01", "焊接", "Welding", "制造类", "个人", 1, "否", 2),
            ("R01", "机器人系统集成", "Robot Systems Integration", "制造类", "双人", 2, "否", 1),
            ("D01", "无人机装调", "Drone Assembly", "信息类", "个人", 1, "是", ""),
        ]),
        SheetSpec(title="评分标准 Scheme", headers=[c.headers[0] for c in SCHEME_COLUMNS], rows=[
            ("W01", "A", "理论知识", 30, "A1", "理论考试成绩", "测量", 30, "", ""),
            ("W01", "B", "实际操作", 70, "B1", "焊缝外观", "评价", 20, "", ""),
            ("W01", "B", "实际操作", 70, "B2", "无损检测", "测量", 30, "", ""),
            ("W01", "B", "实际操作", 70, "B3", "综合评分", "评分", 20, "去掉最高最低", 1),
        ]),
    ])
