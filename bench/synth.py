"""Synthetic residents shared by the import file and the province data set (no Django needed).

ID numbers come from `fpa.core.idnumber.synthesize`, whose sequence digit pairs (2k, 2k+1) give
one number per gender: a person is therefore a distinct (birth date, seq // 2) pair per region.
The big data set uses seq // 2 in [0, 250) and the import file [250, 500), so a benchmark
import never meets a number the data set already holds.
"""

from __future__ import annotations

import datetime
import random

from fpa.core.idnumber import synthesize

# Surnames common in Hunan, most frequent first (weights fall off like a Zipf law).
SURNAMES = (
    "李刘陈王张黄周唐彭谢邓胡罗曾杨肖吴伍田蒋何廖谭朱郭龙邹袁易徐赵贺戴"
    "颜夏许向钟文梁汤孙熊龚潘毛雷宋郑姚蔡余苏卢陆石聂左方丁任傅阳"
)
SURNAME_WEIGHTS = tuple(1 / (rank + 3) for rank in range(len(SURNAMES)))
GIVEN = (
    "桂兰秀英建国志强丽华玉梅海燕红霞小平德明春花淑珍文军金凤立新爱民冬雪芳"
    "伟刚勇杰涛斌超辉鹏飞敏静婷娟艳丹琴萍琳慧娜晶莉亮浩宇轩子涵欣怡佳"
)
ETHNICITIES = (("汉族", 0.9), ("土家族", 0.04), ("苗族", 0.03), ("侗族", 0.015), ("瑶族", 0.015))

BIRTH_FIRST = datetime.date(1940, 1, 1)
BIRTH_DAYS = (datetime.date(2007, 12, 31) - BIRTH_FIRST).days + 1
HALVES = 250  # seq // 2 values per half of the sequence space
SLOTS = BIRTH_DAYS * HALVES  # distinct numbers per region and half
STRIDE = 1_000_003  # a prime not dividing SLOTS: i -> i * STRIDE % SLOTS is a permutation
DATASET, IMPORT = 0, 1  # which half of the sequence space


def name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    return surname + "".join(rng.choices(GIVEN, k=1 if rng.random() < 0.3 else 2))


def id_number(region: str, i: int, gender: str, half: int) -> tuple[str, datetime.date]:
    """The i-th distinct number of a region (0 <= i < SLOTS) and its birth date."""
    if not 0 <= i < SLOTS:
        raise ValueError(f"only {SLOTS:,} numbers per region and half")
    j = i * STRIDE % SLOTS
    birth = BIRTH_FIRST + datetime.timedelta(days=j % BIRTH_DAYS)
    seq = 2 * (half * HALVES + j // BIRTH_DAYS)
    return synthesize(region, birth, seq, gender), birth


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def ethnicity(rng: random.Random) -> str:
    return rng.choices([e for e, _ in ETHNICITIES], [w for _, w in ETHNICITIES])[0]
