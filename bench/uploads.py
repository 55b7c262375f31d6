"""Upload benchmark (issue 11, L3): the peak memory of reading what an attacker uploads.

    .venv/bin/python bench/uploads.py [--bomb-mb 873] [--csv-mb 50] [--src DIR]

Writes (not timed) into var/bench/uploads/: an .xlsx "zip bomb" whose one sheet expands to
`--bomb-mb` MB of identical rows, the same bomb with a central directory that declares the sheet
500 bytes long (a lying bomb), and a roster CSV of `--csv-mb` MB. Each file is then read in a
fresh child process by `fpa.core.imports.read` — what the import job does first — and the child
prints its peak RSS (`ru_maxrss`), the growth over its RSS after the imports, the seconds, and
how the read ended. `--src` reads with another revision's src (see bench/README.md, "Another
revision"), to measure before and after a change. Prints figures, asserts nothing; never in CI.
A child may take at most 8 GB of address space, so a bomb fails there instead of taking the
machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import VAR, child_env, print_grid, setup_django  # noqa: E402

FOLDER = VAR / "uploads"
MB = 1024 * 1024
CHILD_ADDRESS_SPACE = 8 * 1024 * MB

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET = "xl/worksheets/sheet1.xml"


def write_bomb(path: Path, megabytes: int) -> None:
    """A valid workbook whose sheet is `megabytes` MB of identical 20-cell rows (~1000:1)."""
    row = ("<row>" + "<c><v>0</v></c>" * 20 + "</row>").encode()
    block = row * 10_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open(SHEET, "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://')
            sheet.write(b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for _ in range(megabytes * MB // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")


def declare(data: bytes, member: str, size: int) -> bytes:
    """`data` with the uncompressed size of `member` set to `size` in the central directory and
    the local header: a lying archive."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, at + 28)
        if bytes(out[at + 46 : at + 46 + name_len]) == member.encode():
            struct.pack_into("<I", out, at + 24, size)
            local = struct.unpack_from("<I", out, at + 42)[0]
            struct.pack_into("<I", out, local + 22, size)
        at = out.find(b"PK\x01\x02", at + 46 + name_len + extra_len + comment_len)
    return bytes(out)


def write_csv(path: Path, megabytes: int) -> int:
    """A roster CSV like a county clerk's (GB18030, as Excel saves "CSV (逗号分隔)"); its rows."""
    rng = random.Random(11)
    surnames = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞"
    villages = ["湖湾村", "黄花村", "星沙村", "安沙村", "榔梨村", "福临村"]
    rows = 0
    with open(path, "w", encoding="gb18030", newline="") as fh:
        fh.write("序号,姓名,公民身份号码,手机号,所在村,入会时间\r\n")
        while fh.tell() < megabytes * MB:
            lines = []
            for _ in range(10_000):
                rows += 1
                name = rng.choice(surnames) + "".join(rng.choices(given, k=rng.randint(1, 2)))
                number = f"430121{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}"
                number += f"{rng.randint(1, 28):02d}{rng.randint(0, 9999):04d}"
                phone = f"13{rng.randint(0, 999999999):09d}" if rng.random() < 0.6 else ""
                lines.append(f"{rows},{name},{number},{phone},{rng.choice(villages)},2021/5/29")
            fh.write("\r\n".join(lines) + "\r\n")
    return rows


def current_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child(path: Path) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))
    setup_django()
    from fpa.core.imports import FileUnreadable, read

    base = current_rss_kb()
    started = time.perf_counter()
    try:
        sheet = read(path)
        outcome = f"read {len(sheet.rows):,} rows"
    except FileUnreadable as exc:
        outcome = f"refused: {exc.message}"
    except MemoryError:
        outcome = "MemoryError (8 GB address space)"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"base_kb": base, "peak_kb": peak, "seconds": seconds, "outcome": outcome}))


def measure(path: Path, src: Path | None) -> dict[str, object]:
    env = child_env("sqlite:///" + str(VAR / "uploads.sqlite3"))
    if src is not None:
        env["FPA_BENCH_SRC"] = str(src.resolve())
    cmd = [sys.executable, __file__, "--child", str(path)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"base_kb": 0, "peak_kb": 0, "seconds": 0.0, "outcome": f"crashed: {tail}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bomb-mb", type=int, default=873)
    parser.add_argument("--csv-mb", type=int, default=50)
    parser.add_argument("--src", type=Path, default=None)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return

    FOLDER.mkdir(parents=True, exist_ok=True)
    honest = FOLDER / f"bomb-{args.bomb_mb}mb.xlsx"
    lying = FOLDER / f"bomb-{args.bomb_mb}mb-lying.xlsx"
    roster = FOLDER / f"roster-{args.csv_mb}mb.csv"
    if not honest.exists():
        write_bomb(honest, args.bomb_mb)
    if not lying.exists():
        lying.write_bytes(declare(honest.read_bytes(), SHEET, 500))
    if not roster.exists():
        write_csv(roster, args.csv_mb)

    lines = []
    for path in (honest, lying, roster):
        got = measure(path, args.src)
        lines.append(
            [
                f"{path.name} ({path.stat().st_size / MB:.1f} MB)",
                f"{int(got['peak_kb']) / 1024:,.0f} MB",
                f"{(int(got['peak_kb']) - int(got['base_kb'])) / 1024:,.0f} MB",
                f"{float(got['seconds']):.1f} s",
                str(got["outcome"])[:60],
            ]
        )
    print(f"src: {args.src or 'this worktree'}")
    print_grid(["file", "peak RSS", "growth", "time", "outcome"], lines)


if __name__ == "__main__":
    main()
