"""The panel-mark rules against every program component of 17 ISU events (2016-17).

Data: BuzzFeed News, github.com/BuzzFeedNews/figure-skating-scores (CC BY 4.0), shipped in
``tests/data/figure-skating-isu-2016-17`` (the components only; see SOURCE.txt and README.md there).
The tests fail, never skip, when the data is missing: it is part of the repository.
A component's panel mark is the trimmed mean of the judges (drop one highest, one lowest),
rounded half up to 2 decimals; a performance's component total is Σ round(panel × factor, 2).
A judge's 0.0 in a component is a missing judge (a parse artefact), not a mark.
"""

import csv
import gzip
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from competition.domain.aggregation import (
    Aggregation,
    AspectKind,
    AspectSpec,
    aspect_mark,
    weighted,
)

# In the repository (tests/data/), built from ../shared/data by tests/data/extract.py.
DATA = Path(__file__).resolve().parents[1] / "data" / "figure-skating-isu-2016-17"
FILES = ("judged-aspects.csv.gz", "judge-scores.csv.gz", "performances.csv")
COMPONENT_MAX = Decimal(10)


def _missing() -> list[str]:
    return [name for name in FILES if not (DATA / name).is_file()]


def _rows(name: str):
    opener = gzip.open if name.endswith(".gz") else open
    with opener(DATA / name, "rt", newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def test_the_data_ships_with_the_repository():
    assert _missing() == [], f"ISU data missing from {DATA}: it belongs to the repository"


@pytest.fixture(scope="module")
def isu():
    if missing := _missing():
        pytest.fail(f"ISU data missing from {DATA}: {', '.join(missing)}")
    components = {
        r["aspect_id"]: r
        for r in _rows("judged-aspects.csv.gz")
        if r["section"] == "components"
    }
    scores: dict[str, list[Decimal]] = defaultdict(list)
    for r in _rows("judge-scores.csv.gz"):
        if r["aspect_id"] in components:
            scores[r["aspect_id"]].append(Decimal(r["score"]))
    performances = {r["performance_id"]: r for r in _rows("performances.csv")}
    return components, scores, performances


def _spec(component: dict) -> AspectSpec:
    return AspectSpec(
        id=0,
        kind=AspectKind.PANEL_MARK,
        max_mark=COMPONENT_MAX,
        aggregation=Aggregation.TRIMMED_MEAN,
        trimmed_count=1,
        weight=Decimal(component["factor"]),
    )


def _panel_mark(component: dict, scores: list[Decimal]) -> Decimal:
    present = [s for s in scores if s != 0]
    return aspect_mark(_spec(component), present)


def test_every_component_panel_mark_is_the_trimmed_mean(isu):
    components, scores, _ = isu
    mismatches = [
        aspect_id
        for aspect_id, component in components.items()
        if _panel_mark(component, scores[aspect_id]) != Decimal(component["scores_of_panel"])
    ]
    assert len(components) == 8630
    assert mismatches == []


def test_every_component_total_is_the_sum_of_rounded_weighted_marks(isu):
    components, scores, performances = isu
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for aspect_id, component in components.items():
        mark = _panel_mark(component, scores[aspect_id])
        totals[component["performance_id"]] += weighted(_spec(component), mark)
    mismatches = [
        performance_id
        for performance_id, performance in performances.items()
        if totals[performance_id] != Decimal(performance["total_component_score"])
    ]
    assert len(performances) == 1726
    assert mismatches == []
