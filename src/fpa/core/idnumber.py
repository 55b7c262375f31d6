"""The resident ID number (居民身份证号码, GB 11643-1999): parse, check, synthesize.

An 18-character number is 6 region digits, the 8-digit birth date, a 3-digit sequence whose
last digit is odd for a man and even for a woman, and an ISO 7064 MOD 11-2 check character
(0-9 or X). A 15-digit first-generation number (region, yymmdd, sequence) is still accepted and
converted by inserting the century "19" and computing the check character.

The region code is only *warned* about: numbers are never re-issued, so old cards carry codes of
prefectures renamed decades ago, and migrants carry other provinces' codes.
"""

from __future__ import annotations

import csv
import datetime
import functools
import gzip
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fpa.core.errors import DomainError

# settings.BASE_DIR / "data", computed here too so the module also runs outside Django (bench).
DATA_DIR = Path(__file__).resolve().parents[3] / "data"
DIVISIONS_DIR = DATA_DIR / "divisions" / "2023"
HISTORICAL_FILES = (DATA_DIR / "regions" / "historical-43.csv",)

MALE = "male"
FEMALE = "female"
_GENDER_LABEL = {MALE: "男", FEMALE: "女"}
_GENDER_ALIASES = {MALE: MALE, FEMALE: FEMALE, "男": MALE, "女": FEMALE}

# Check character for S = sum(digit_i * 2^(18-i)) mod 11, i = 1..17 (ISO 7064 MOD 11-2).
_CHECK_CHARS = "10X98765432"
# The weights as the standard prints them (7 9 10 5 8 4 2 1 6 3 ...); tests check the shortcut.
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_FIRST_DATE = "19000101"
# Residence permits of Hong Kong, Macao and Taiwan residents (since 2018) use these codes.
_PERMIT_REGIONS = frozenset({"810000", "820000", "830000"})
# Birth dates strictly before this day cannot be in the future, so the common case skips
# date.today(); later dates (rare: newborns) are compared with the real today.
_SURELY_PAST = datetime.date.today().strftime("%Y%m%d")


class IdNumberError(DomainError):
    """The ID number (or a value checked against it) is wrong; the message says what."""

    def __init__(self, message: str, field: str = "id_number") -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True, slots=True)
class IdNumber:
    number: str  # 18 characters, check character upper-case
    region: str  # first 6 digits
    birth_date: datetime.date
    gender: str  # MALE or FEMALE
    converted_from_15: bool
    warnings: list[str]


def check_digit(first17: str) -> str:
    """The MOD 11-2 check character ("0"-"9" or "X") for the first 17 digits.

    Base 13 is congruent to 2 modulo 11, so reading the digits as a base-13 number gives the
    weighted sum of the standard (weights 2^k mod 11) in one C call instead of 17 multiplications.
    """
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("first17 must be 17 ASCII digits")
    return _CHECK_CHARS[2 * int(first17, 13) % 11]


def normalise(value: str) -> str:
    """Strip, drop inner whitespace, full-width to half-width (NFKC), a trailing x to X."""
    if not (value.isascii() and value.isalnum()):
        value = "".join(unicodedata.normalize("NFKC", value).split())
    if value[-1:] == "x":
        value = value[:-1] + "X"
    return value


def parse(value: str, *, today: datetime.date | None = None) -> IdNumber:
    """Parse and check an ID number; raise IdNumberError with a Chinese message when wrong.

    Rules, in order: 18 characters (or 15 digits, converted); the first 17 digits; the last a
    digit or X; a real birth date from 1900-01-01 to today; the MOD 11-2 check character. A region
    code not in the division table (nor a known historical Hunan code) is a warning only.
    """
    number, birth, converted = _check(value, today)
    region = number[:6]
    warnings = [] if region in known_regions() else [_region_warning(region)]
    # ord() of an ASCII digit has the digit's parity.
    gender = MALE if ord(number[16]) & 1 else FEMALE
    return IdNumber(number, region, birth, gender, converted, warnings)


def is_valid(value: str, *, today: datetime.date | None = None) -> bool:
    """True when ``parse`` would accept the value (region warnings do not matter)."""
    if not isinstance(value, str):
        return False
    try:
        _check(value, today)
    except IdNumberError:
        return False
    return True


def _check(value: str, today: datetime.date | None) -> tuple[str, datetime.date, bool]:
    number = normalise(value) if value else ""
    if not number:
        raise IdNumberError("请填写身份证号码")
    converted = False
    if len(number) == 15:
        if not (number.isascii() and number.isdigit()):
            raise IdNumberError("15位旧身份证号码只能是数字")
        first17 = number[:6] + "19" + number[6:]
        number = first17 + _CHECK_CHARS[2 * int(first17, 13) % 11]
        converted = True
    elif len(number) != 18:
        raise IdNumberError(f"身份证号码应为18位（或15位旧号码），实为{len(number)}位")
    first17 = number[:17]
    if not (first17.isascii() and first17.isdigit()):
        raise IdNumberError("身份证号码前17位只能是数字")
    last = number[17]
    if last != "X" and not ("0" <= last <= "9"):
        raise IdNumberError("身份证号码第18位只能是数字或X")
    birth = _birth_date(number[6:14], today)
    if not converted and _CHECK_CHARS[2 * int(first17, 13) % 11] != last:
        # The correct character is not shown: the typo is more often elsewhere in the number.
        raise IdNumberError("身份证号码校验位错误，请核对号码")
    return number, birth, converted


def _birth_date(digits: str, today: datetime.date | None) -> datetime.date:
    if digits < _FIRST_DATE:
        raise IdNumberError(f"身份证号码中的出生日期{digits}早于1900年，不存在")
    try:
        birth = datetime.date.fromisoformat(digits)  # 3.11 reads the basic form YYYYMMDD
    except ValueError:
        raise IdNumberError(f"身份证号码中的出生日期{digits}不存在") from None
    if (today is not None or digits >= _SURELY_PAST) and birth > (today or datetime.date.today()):
        raise IdNumberError(f"身份证号码中的出生日期{digits}晚于今天")
    return birth


def _region_warning(region: str) -> str:
    return f"地区码{region}不在现行区划代码表中（可能是旧地区码或外省号码）"


def gender_matches(id_number: IdNumber, gender: str) -> bool:
    """True when the gender ("male"/"female", or 男/女) is the one the number encodes."""
    try:
        return _GENDER_ALIASES[gender] == id_number.gender
    except KeyError:
        raise ValueError(f"unknown gender {gender!r}") from None


def check_gender(id_number: IdNumber, gender: str) -> None:
    """Raise IdNumberError on the gender field when an entered gender contradicts the number."""
    if not gender_matches(id_number, gender):
        label = _GENDER_LABEL[id_number.gender]
        raise IdNumberError(f"性别与身份证号码不符：号码显示为{label}", field="gender")


def synthesize(region: str, birth: datetime.date, seq: int, gender: str) -> str:
    """A valid 18-character number, for demo data and benchmarks.

    Rule: the sequence is ``seq`` as 3 digits (0-999) with its last digit moved to the parity
    the gender requires (odd for male), so seq 2k and 2k+1 give the same number for one gender.
    """
    if len(region) != 6 or not (region.isascii() and region.isdigit()):
        raise ValueError("region must be 6 ASCII digits")
    if not 0 <= seq <= 999:
        raise ValueError("seq must be between 0 and 999")
    if birth.year < 1900:
        raise ValueError("birth must be 1900-01-01 or later")
    if gender not in _GENDER_ALIASES:
        raise ValueError(f"unknown gender {gender!r}")
    seq = (seq & ~1) | (_GENDER_ALIASES[gender] == MALE)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + _CHECK_CHARS[2 * int(first17, 13) % 11]


@functools.cache
def known_regions() -> frozenset[str]:
    """Every 6-digit region code that gets no warning, read once from the shipped data.

    Rule: the province, city and county codes of all provinces' division tables (old cards
    carry "XX0000" and "XXYY00" codes too); the historical Hunan codes of
    data/regions/historical-43.csv, where a 4-digit prefix stands for every code under it; and
    the Hong Kong, Macao and Taiwan residence permit codes.
    """
    known: set[str] = set(_PERMIT_REGIONS)
    for path in sorted(DIVISIONS_DIR.glob("*.csv.gz")):
        text = gzip.decompress(path.read_bytes()).decode("utf-8-sig")
        # Rows down to county level are the 12-digit codes ending in six zeros. A plain scan of
        # the lines is several times faster than csv over the 600,000 village rows.
        for line in text.splitlines()[1:]:
            if line[6:13] == "000000,":
                known.add(line[:6])
    for path in HISTORICAL_FILES:
        for prefix in read_historical(path):
            if len(prefix) == 4:
                known.update(f"{prefix}{n:02d}" for n in range(100))
            else:
                known.add(prefix)
    return frozenset(known)


def read_historical(path: Path) -> list[str]:
    """The prefixes (4 or 6 digits) of a historical region file with columns prefix,name,note."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != ["prefix", "name", "note"]:
            raise ValueError(f"{path.name}: header should be prefix,name,note")
        prefixes = [row["prefix"].strip() for row in reader]
    for prefix in prefixes:
        if len(prefix) not in (4, 6) or not (prefix.isascii() and prefix.isdigit()):
            raise ValueError(f"{path.name}: prefix {prefix!r} should be 4 or 6 digits")
    return prefixes
