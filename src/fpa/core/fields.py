"""Storing personal data in a model: three columns per value, written and looked up here.

A model declares, for each protected value (say ``id_number``)::

    id_number_enc, id_number_index, id_number_last4 = pii_fields("身份证号")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["id_number_index"], name="...")]

* ``<name>_enc``   – the SM4-GCM token of the normalised value (``crypto.encrypt``);
* ``<name>_index`` – the HMAC-SM3 blind index: equality lookup and uniqueness, indexed;
* ``<name>_last4`` – the last four characters, kept apart for search by tail and for masking.

A missing value stores NULL in ``_enc`` and ``_index`` (NULLs never collide in a unique
constraint, on SQLite or PostgreSQL) and ``""`` in ``_last4``. No plain value is ever stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from fpa.core import crypto

INDEX_LENGTH = 64  # An SM3 digest in hex.


class ByteOrderCharField(models.CharField):
    """A CharField PostgreSQL compares byte by byte (``COLLATE "C"``); elsewhere a CharField.

    Why: under the C collation a plain B-tree index serves ``ORDER BY`` and ``LIKE 'prefix%'``
    alike, so a big table needs no ``varchar_pattern_ops`` twin to maintain on every insert, and
    comparing bytes is cheaper than a locale's rules. UTF-8 in byte order is code-point order,
    the order the C.UTF-8 databases here sort in anyway; SQLite compares bytes by default.
    """

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


@dataclass(frozen=True)
class Protected:
    """The three stored forms of one personal value."""

    enc: str | None
    index: str | None
    last4: str

    def as_fields(self, name: str) -> dict[str, str | None]:
        """Keyword arguments for a model: ``{"<name>_enc": ..., "<name>_index": ..., ...}``."""
        return {f"{name}_enc": self.enc, f"{name}_index": self.index, f"{name}_last4": self.last4}


def protect(value: str | None, kind: str, *, index: str | None = None) -> Protected:
    """Encrypt, index and cut the last four of one value of ``kind`` (see ``crypto.KINDS``).

    Rule: the index and the last four come from the normalised value (``crypto.normalise``), so
    "0731-84123456" and "073184123456" are one number; the stored value keeps the caller's
    canonical form (a landline with its hyphen). An empty value is stored as NULL, never as a
    token of "". ``index``, when given, is ``crypto.blind_index(value, kind)`` computed earlier
    (an import's preview looks persons up by it): it is stored as it is, not computed again.
    """
    text = crypto.normalise(value or "", kind)
    if not text:
        return Protected(enc=None, index=None, last4="")
    return Protected(
        enc=crypto.encrypt((value or "").strip()),
        index=index or crypto.blind_index(text, kind),
        last4=text[-4:],
    )


def protected_fields(name: str, value: str | None, kind: str) -> dict[str, str | None]:
    """``protect(value, kind).as_fields(name)``: splat into ``create()`` or ``update()``."""
    return protect(value, kind).as_fields(name)


def lookup(name: str, value: str, kind: str) -> dict[str, str]:
    """A filter for rows holding exactly ``value``: ``Person.objects.filter(**lookup(...))``."""
    return {f"{name}_index": crypto.blind_index(value, kind)}


def reveal(token: str | None) -> str:
    """The plain value of a stored token, ``""`` for NULL. Show it masked (``fpa.core.masking``)."""
    return crypto.decrypt(token) if token else ""


def pii_fields(
    verbose_name: str, *, db_index: bool = True
) -> tuple[models.TextField, models.CharField, models.CharField]:
    """The three model fields for one value, unpacked into ``<name>_enc, _index, _last4``.

    The token is a TextField (its length grows with the value); the index and the last four
    carry a database index, because lists filter by them. Both are only ever compared for
    equality: a big table passes ``db_index=False`` and declares plain ``models.Index``
    itself, without the ``*_like`` pattern-ops twins PostgreSQL gets from ``db_index``.
    """
    return (
        models.TextField(f"{verbose_name}（密文）", null=True, blank=True, editable=False),
        ByteOrderCharField(
            f"{verbose_name}（索引）",
            max_length=INDEX_LENGTH,
            null=True,
            blank=True,
            db_index=db_index,
            editable=False,
        ),
        ByteOrderCharField(
            f"{verbose_name}（后四位）", max_length=4, blank=True, db_index=db_index, editable=False
        ),
    )
