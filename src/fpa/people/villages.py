"""Finding the village a clerk wrote: a code, '东塘镇湖湾村', or just '湖湾村' where unique.

The code table mixes '湖湾村村民委员会', '湖湾村委会' and '湖湾村'; both what the clerk wrote and
the table's names are reduced to a base name (the administrative suffix and a trailing 村 or 社区
dropped) before they are compared, inside the importing org's subtree only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor
from fpa.orgs.models import Kind, Level, Org

SUFFIX = re.compile(r"(村民委员会|村委会|社区居民委员会|居民委员会|社区居委会|居委会)$")
PLACE = re.compile(r"(村|社区)$")
TOWNSHIP_SUFFIX = re.compile(r"(街道办事处|街道|镇|乡)$")


def base(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip().replace(" ", "")
    return PLACE.sub("", SUFFIX.sub("", name))


def township_base(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip().replace(" ", "")
    return TOWNSHIP_SUFFIX.sub("", name)


class VillageIndex:
    """The villages (and migrant associations) an importing org may place people in."""

    def __init__(self, actor: Actor) -> None:
        orgs = Org.objects.for_actor(actor).live().filter(
            level=Level.VILLAGE
        ) | Org.objects.for_actor(actor).live().filter(kind=Kind.MIGRANT)
        townships = {
            o.pk: o.name
            for o in Org.objects.for_actor(actor).filter(
                level=Level.TOWNSHIP, kind=Kind.TERRITORIAL
            )
        }
        self.by_code: dict[str, Org] = {}
        self.by_base: dict[str, list[Org]] = defaultdict(list)
        self.by_pair: dict[tuple[str, str], list[Org]] = defaultdict(list)
        self.township_names: set[str] = set()
        for org in orgs.only(
            "id", "name", "code", "township_id", "city_id", "county_id", "path", "kind", "level"
        ):
            if org.code:
                self.by_code[org.code] = org
            b = base(org.name)
            self.by_base[b].append(org)
            if org.township_id in townships:
                tname = townships[org.township_id]
                for t in {tname, township_base(tname)}:
                    self.by_pair[(t, b)].append(org)
                    self.township_names.add(t)

    def resolve(self, text: str) -> Org:
        text = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
        if not text:
            raise DomainError("请填写居住地（村或社区）", field="village")
        if text.isdigit():
            if text in self.by_code:
                return self.by_code[text]
            raise DomainError(f"区划代码 {text} 不在本辖区的村（社区）中", field="village")
        for cut in range(min(len(text) - 1, 10), 1, -1):
            township = text[:cut]
            if township in self.township_names:
                found = self.by_pair.get((township, base(text[cut:])), [])
                if found:
                    return self._one(found, text)
        return self._one(self.by_base.get(base(text), []), text)

    def _one(self, found: list[Org], text: str) -> Org:
        if not found:
            raise DomainError(f"本辖区找不到村（社区）“{text}”", field="village")
        if len(found) > 1:
            names = "、".join(f"{o.name}（{o.code}）" for o in found[:5])
            raise DomainError(
                f"“{text}”有多个同名村（社区）：{names}，请写明乡镇或区划代码", field="village"
            )
        return found[0]
