"""Rebuild the files in tests/data/ from the full data sets in ../shared/data/ (beside the
repository). Only the rows and columns the real-data tests read are kept; the large files are
gzipped with a fixed timestamp, so that running this again gives byte-identical files.

    python3 tests/data/extract.py [path/to/shared/data]

What is kept (see README.md here):

- figure-skating-isu-2016-17/judged-aspects.csv.gz: the program components only (section
  "components"; the elements are not tested), columns aspect_id, performance_id, section, factor,
  scores_of_panel.
- figure-skating-isu-2016-17/judge-scores.csv.gz: the judges' scores of those components, columns
  aspect_id, score (in the original order: J1, J2, ... per component).
- figure-skating-isu-2016-17/performances.csv: every performance, columns performance_id,
  total_component_score.
- olympics-paris-2024/medals.csv: every medal, columns medal_type, medal_code, country_code,
  discipline, event (no athletes' names).
- olympics-paris-2024/medals_total.csv: unchanged.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ISU = "figure-skating-isu-2016-17"
OLYMPICS = "olympics-paris-2024"


def rows(path: Path):
    with open(path, newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def write(path: Path, columns: list[str], records) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([record[c] for c in columns])
    data = buffer.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        with open(path, "wb") as raw, gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0
        ) as f:
            f.write(data)
    else:
        path.write_bytes(data)


def main(shared: Path) -> None:
    isu, out = shared / ISU, HERE / ISU
    components = [r for r in rows(isu / "judged-aspects.csv") if r["section"] == "components"]
    ids = {r["aspect_id"] for r in components}
    write(out / "judged-aspects.csv.gz",
          ["aspect_id", "performance_id", "section", "factor", "scores_of_panel"], components)
    write(out / "judge-scores.csv.gz", ["aspect_id", "score"],
          (r for r in rows(isu / "judge-scores.csv") if r["aspect_id"] in ids))
    write(out / "performances.csv", ["performance_id", "total_component_score"],
          rows(isu / "performances.csv"))

    olympics, out = shared / OLYMPICS, HERE / OLYMPICS
    write(out / "medals.csv", ["medal_type", "medal_code", "country_code", "discipline", "event"],
          rows(olympics / "medals.csv"))
    shutil.copyfile(olympics / "medals_total.csv", out / "medals_total.csv")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared" / "data")
