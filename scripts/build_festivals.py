"""Build data/festivals/festivals.csv: festival dates and visiting windows, 2015-2040.

Usage: python scripts/build_festivals.py [OUT_CSV]      (default data/festivals/festivals.csv)

Needs the PyPI package `lunardate==0.3.0` (pure Python, lunar-month tables for lunar years
1900-2099). It is a build-time tool only, NOT a dependency of the platform: install it in a
throwaway venv and run the script from there, e.g. from the repository root

    python3 -m venv /tmp/lunar && /tmp/lunar/bin/pip install lunardate==0.3.0
    /tmp/lunar/bin/python scripts/build_festivals.py

One row per festival per year, columns `code,name,year,date,window_start,window_end`
(ISO dates, window bounds inclusive), sorted by date then code. The visiting window is the
period in which a festival visit (节假日慰问) counts as that festival's visit:
date + WINDOWS[code] days. The script asserts dates known from the State Council's yearly
holiday notices (and the fixed/weekday rules) before it writes anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import lunardate
from lunardate import LunarDate

PACKAGE_VERSION = "0.3.0"
FIRST_YEAR, LAST_YEAR = 2015, 2040

# code, name, how the date is found: ("lunar", month, day) | ("fixed", month, day) |
# ("nth_sunday", month, n)
FESTIVALS = (
    ("spring_festival", "春节", ("lunar", 1, 1)),
    ("lantern", "元宵节", ("lunar", 1, 15)),
    ("dragon_boat", "端午节", ("lunar", 5, 5)),
    ("mid_autumn", "中秋节", ("lunar", 8, 15)),
    ("double_ninth", "重阳节", ("lunar", 9, 9)),  # also 敬老节
    ("new_year", "元旦", ("fixed", 1, 1)),
    ("mothers_day", "母亲节", ("nth_sunday", 5, 2)),
    ("family_day", "国际家庭日", ("fixed", 5, 15)),
    ("member_day", "5·29会员活动日", ("fixed", 5, 29)),
    ("national_day", "国庆节", ("fixed", 10, 1)),
)

# days before, days after the festival date (both inclusive)
WINDOWS = {
    "spring_festival": (15, 15),
    "lantern": (3, 3),
    "dragon_boat": (7, 3),
    "mid_autumn": (10, 5),
    "double_ninth": (7, 7),
    "new_year": (7, 3),
    "mothers_day": (3, 3),
    "family_day": (3, 3),
    "member_day": (7, 7),
    "national_day": (7, 7),
}

# Dates known independently of the package: the State Council's yearly holiday notices
# (春节, 端午, 中秋), and well-known dates of 元宵, 重阳 and 母亲节.
KNOWN = {
    "spring_festival": [
        "2015-02-19", "2016-02-08", "2017-01-28", "2018-02-16", "2019-02-05", "2020-01-25",
        "2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17",
    ],
    "lantern": ["2023-02-05", "2024-02-24", "2025-02-12"],
    "dragon_boat": [
        "2015-06-20", "2016-06-09", "2017-05-30", "2018-06-18", "2019-06-07", "2020-06-25",
        "2021-06-14", "2022-06-03", "2023-06-22", "2024-06-10", "2025-05-31",
    ],
    "mid_autumn": [
        "2015-09-27", "2016-09-15", "2017-10-04", "2018-09-24", "2019-09-13", "2020-10-01",
        "2021-09-21", "2022-09-10", "2023-09-29", "2024-09-17", "2025-10-06",
    ],
    "double_ninth": ["2021-10-14", "2022-10-04", "2023-10-23", "2024-10-11"],
    "mothers_day": ["2024-05-12", "2025-05-11"],
}  # fmt: skip


def festival_date(rule: tuple[str, int, int], year: int) -> dt.date:
    kind, month, n = rule
    if kind == "lunar":
        # non-leap month of lunar year `year`; months 1-9 always fall in Gregorian `year`
        return LunarDate(year, month, n, False).to_solar_date()
    if kind == "fixed":
        return dt.date(year, month, n)
    if kind == "nth_sunday":
        first = dt.date(year, month, 1)
        first_sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
        return first_sunday + dt.timedelta(weeks=n - 1)
    raise ValueError(kind)


def build() -> list[tuple[str, str, int, dt.date, dt.date, dt.date]]:
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for code, name, rule in FESTIVALS:
            date = festival_date(rule, year)
            before, after = WINDOWS[code]
            rows.append(
                (
                    code,
                    name,
                    year,
                    date,
                    date - dt.timedelta(days=before),
                    date + dt.timedelta(days=after),
                )
            )
    rows.sort(key=lambda r: (r[3], r[0]))
    return rows


def check(rows: list[tuple[str, str, int, dt.date, dt.date, dt.date]]) -> None:
    by_key = {(r[0], r[2]): r[3] for r in rows}
    years = LAST_YEAR - FIRST_YEAR + 1
    assert len(rows) == years * len(FESTIVALS), len(rows)
    assert len(by_key) == len(rows), "duplicate (code, year)"
    assert set(WINDOWS) == {f[0] for f in FESTIVALS}
    for code, dates in KNOWN.items():
        for iso in dates:
            known = dt.date.fromisoformat(iso)
            got = by_key[(code, known.year)]
            assert got == known, f"{code} {known.year}: computed {got}, known {known}"
    for code, _name, year, date, start, end in rows:
        assert date.year == year, (code, year, date)
        assert start <= date <= end
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        spring = by_key[("spring_festival", year)]
        assert dt.date(year, 1, 21) <= spring <= dt.date(year, 2, 20), (year, spring)
        assert by_key[("lantern", year)] - spring == dt.timedelta(days=14)
        mothers = by_key[("mothers_day", year)]
        assert mothers.weekday() == 6 and 8 <= mothers.day <= 14, mothers
        # 8/15 is 7 lunar months (8 with a leap month) of 29-30 days and 14 days after 1/1
        days = (by_key[("mid_autumn", year)] - spring).days
        assert 217 <= days <= 254, (year, days)


def main(out: Path) -> None:
    if lunardate.__version__ != PACKAGE_VERSION:
        raise SystemExit(
            f"lunardate {lunardate.__version__} found, this script is pinned to "
            f"{PACKAGE_VERSION}: pip install lunardate=={PACKAGE_VERSION} "
            "(or update the pin, the docstring and data/festivals/README.md together)"
        )
    rows = build()
    check(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "year", "date", "window_start", "window_end"])
        for code, name, year, date, start, end in rows:
            writer.writerow(
                [code, name, year, date.isoformat(), start.isoformat(), end.isoformat()]
            )
    print(f"{out}: {len(rows)} rows, {FIRST_YEAR}-{LAST_YEAR}, checks passed")


if __name__ == "__main__":
    if len(sys.argv) > 2:
        raise SystemExit(__doc__)
    default = Path(__file__).resolve().parent.parent / "data" / "festivals" / "festivals.csv"
    main(Path(sys.argv[1]) if len(sys.argv) == 2 else default)
