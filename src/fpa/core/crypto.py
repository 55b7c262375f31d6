"""Personal data at rest: SM4-GCM encryption and an HMAC-SM3 blind index (docs/keys.md).

A token is base64 text of ``version (1 byte) | key number (1 byte) | nonce (12) | ciphertext |
tag (16)``. Version 1 means SM4-GCM with a 128-bit key; the two header bytes are authenticated as
associated data, so a token cannot be moved to another key id or version without failing.

Key material (``FPA_DATA_KEY`` or the file named by ``FPA_DATA_KEY_FILE``) is a list of entries
separated by newlines, spaces or commas; ``#`` starts a comment::

    index:<base64 of 32 bytes>   # HMAC-SM3 key of the blind index, never rotated
    k2:<base64 of 16 bytes>      # SM4 data key; the first data key listed encrypts
    k1:<base64 of 16 bytes>      # older data keys only decrypt, until re-encryption is done
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

VERSION_SM4_GCM = 1  # 2 is reserved for AES-256-GCM, should an OpenSSL build ever lack SM4.
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = 2
DATA_KEY_BYTES = 16  # SM4 has 128-bit keys only.
INDEX_KEY_BYTES = 32
KINDS = ("id_number", "phone", "bank_account")
KEY_SETTINGS = {"FPA_DATA_KEY", "FPA_DATA_KEY_FILE", "VAR_DIR", "DEBUG", "TESTING"}

_KEY_ID = re.compile(r"k([1-9][0-9]{0,2})")
_SEPARATORS = re.compile(r"[\s,]+")
# Separators people type inside numbers ("0731-8412 3456", "6222 0210 ..."); none carries meaning.
_NUMBER_NOISE = re.compile(r"[\s\-()（）]+")


class CryptoError(Exception):
    """A token cannot be decrypted: tampered, truncated, or made with a key not configured here."""


@dataclass(frozen=True)
class KeyRing:
    """Parsed key material: data keys by number (current first) and the blind-index key."""

    current: int
    data_keys: dict[int, bytes]
    index_key: bytes


_lock = threading.Lock()
_keyring: KeyRing | None = None
# Per-key objects whose set-up costs more than the work itself on short values: the SM4
# algorithm object of each data key, and the keyed HMAC of the index key (copied, never used).
_algorithms: dict[bytes, algorithms.SM4] = {}
_index_macs: dict[bytes, hmac.HMAC] = {}


def reset_keys() -> None:
    """Forget the cached keys; the next use reads the settings (and key file) again."""
    global _keyring
    with _lock:
        _keyring = None
        _algorithms.clear()
        _index_macs.clear()


@receiver(setting_changed)
def _reset_on_setting_change(*, setting: str, **kwargs: Any) -> None:
    # override_settings and pytest-django's `settings` fixture change keys under a running process.
    if setting in KEY_SETTINGS:
        reset_keys()


def new_key_material(key_id: str = "k1") -> str:
    """Fresh key material: one index key and one data key, in the documented format."""
    return f"index:{_b64(os.urandom(INDEX_KEY_BYTES))}\n{new_data_key(key_id)}\n"


def new_data_key(key_id: str) -> str:
    """One fresh data-key entry (``k2:<base64>``) to put first in the material when rotating."""
    _key_number(key_id)
    return f"{key_id}:{_b64(os.urandom(DATA_KEY_BYTES))}"


def parse_keys(material: str) -> KeyRing:
    """Parse key material; errors name the entry by position, never echo key bytes."""
    data_keys: dict[int, bytes] = {}
    index_key: bytes | None = None
    current: int | None = None
    lines = (line.split("#", 1)[0] for line in material.splitlines())
    entries = [e for line in lines for e in _SEPARATORS.split(line) if e]
    for position, entry in enumerate(entries, start=1):
        name, sep, encoded = entry.partition(":")
        if not sep:
            raise _bad(f"entry {position} is not `id:base64`")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _bad(f"entry {position} ({name}) is not valid base64") from None
        if name == "index":
            if index_key is not None:
                raise _bad("more than one `index:` entry")
            if len(key) != INDEX_KEY_BYTES:
                raise _bad(f"the index key must be {INDEX_KEY_BYTES} bytes, not {len(key)}")
            index_key = key
            continue
        number = _key_number(name)
        if number in data_keys:
            raise _bad(f"data key {name} is listed twice")
        if len(key) != DATA_KEY_BYTES:
            raise _bad(f"data key {name} must be {DATA_KEY_BYTES} bytes, not {len(key)}")
        data_keys[number] = key
        current = number if current is None else current
    if index_key is None:
        raise _bad("no `index:` entry (the blind-index key)")
    if current is None:
        raise _bad("no data key (`k1:<base64>`)")
    return KeyRing(current=current, data_keys=data_keys, index_key=index_key)


def load_keys() -> KeyRing:
    """The key ring from settings, parsed once per process (``reset_keys`` forgets it).

    Rule: ``FPA_DATA_KEY`` or ``FPA_DATA_KEY_FILE`` (not both); without either, development and
    tests get a key generated once into ``VAR_DIR/data_key``, production refuses to start.
    """
    global _keyring
    ring = _keyring  # Fast path without the lock: every encryption asks.
    if ring is not None:
        return ring
    with _lock:
        if _keyring is None:
            _keyring = parse_keys(_read_material())
        return _keyring


def encrypt(text: str) -> str:
    """Encrypt ``text`` with the current data key and a fresh random nonce."""
    if not isinstance(text, str):
        raise TypeError(f"encrypt() takes str, not {type(text).__name__}")
    ring = load_keys()
    header = bytes((VERSION_SM4_GCM, ring.current))
    nonce = os.urandom(NONCE_BYTES)
    encryptor = _cipher(ring.data_keys[ring.current], modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header)
    body = encryptor.update(text.encode("utf-8")) + encryptor.finalize()
    return _b64(header + nonce + body + encryptor.tag)


def decrypt(token: str) -> str:
    """Decrypt a token made by ``encrypt``; anything else raises ``CryptoError``."""
    raw, number = _split(token)
    key = load_keys().data_keys.get(number)
    if key is None:
        raise CryptoError(f"the token uses data key k{number}, which is not configured")
    nonce = raw[HEADER_BYTES : HEADER_BYTES + NONCE_BYTES]
    tag = raw[-TAG_BYTES:]
    decryptor = _cipher(key, modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(raw[:HEADER_BYTES])
    try:
        plain = (
            decryptor.update(raw[HEADER_BYTES + NONCE_BYTES : -TAG_BYTES]) + decryptor.finalize()
        )
    except InvalidTag:
        raise CryptoError("the token failed authentication (tampered or foreign)") from None
    return plain.decode("utf-8")


def key_id_of(token: str) -> str:
    """The id (``k1``…) of the data key a token was made with; the token is not decrypted."""
    return f"k{_split(token)[1]}"


def needs_reencrypt(token: str) -> bool:
    """Whether a token was made with a key other than the current one (a rotation job filter)."""
    return _split(token)[1] != load_keys().current


def reencrypt(token: str) -> str:
    """The token under the current data key; unchanged when it already uses it.

    Returning the same string lets a rotation job skip rows that need no write.
    """
    return encrypt(decrypt(token)) if needs_reencrypt(token) else token


def token_length(plain_bytes: int) -> int:
    """Length in characters of the token for a UTF-8 plaintext of ``plain_bytes`` bytes."""
    return 4 * -(-(HEADER_BYTES + NONCE_BYTES + plain_bytes + TAG_BYTES) // 3)


def normalise(value: str, kind: str) -> str:
    """The canonical form that is indexed (and stored by ``fields.protect``).

    Rule: Unicode NFKC (full-width digits become ASCII), separators (spaces, hyphens, brackets)
    removed, upper case (an ID's trailing x becomes X), and a phone's +86/0086 prefix dropped.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    text = _NUMBER_NOISE.sub("", unicodedata.normalize("NFKC", value)).upper()
    if kind == "phone":
        for prefix in ("+86", "0086"):
            if text.startswith(prefix) and len(text) == len(prefix) + 11:
                text = text[len(prefix) :]
    return text


def blind_index(value: str, kind: str) -> str:
    """HMAC-SM3 (hex) of the normalised value, keyed by the index key and separated by kind.

    Rule: equal numbers give equal indexes whatever the key rotation, so the index serves
    equality lookup and uniqueness; the kind is hashed in so an ID and a phone never collide.
    """
    text = normalise(value, kind)
    if not text:
        raise ValueError("an empty value has no blind index (store NULL instead)")
    key = load_keys().index_key
    keyed = _index_macs.get(key)
    if keyed is None:
        keyed = _index_macs.setdefault(key, hmac.HMAC(key, hashes.SM3()))
    mac = keyed.copy()  # a copy of the keyed state: the key is not hashed in again
    mac.update(kind.encode("ascii") + b"\x00" + text.encode("utf-8"))
    return mac.finalize().hex()


def last4(value: str) -> str:
    """The last four characters, separators removed and upper-cased (stored apart for search)."""
    return _NUMBER_NOISE.sub("", unicodedata.normalize("NFKC", value)).upper()[-4:]


def _read_material() -> str:
    inline = settings.FPA_DATA_KEY
    key_file = settings.FPA_DATA_KEY_FILE
    if inline and key_file:
        raise ImproperlyConfigured("Set FPA_DATA_KEY or FPA_DATA_KEY_FILE, not both.")
    if inline:
        return inline
    if key_file:
        try:
            return Path(key_file).read_text(encoding="utf-8")
        except OSError as error:
            raise ImproperlyConfigured(
                f"FPA_DATA_KEY_FILE={key_file} cannot be read: {error.strerror}"
            ) from None
    path = Path(settings.VAR_DIR) / "data_key"
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        hint = f" ({path} exists: FPA_DATA_KEY_FILE={path} would use it)" if path.exists() else ""
        raise ImproperlyConfigured(
            "Personal data cannot be encrypted: set FPA_DATA_KEY or FPA_DATA_KEY_FILE to the key "
            f"material (see docs/keys.md){hint}."
        )
    return _development_key(path)


def _development_key(path: Path) -> str:
    # Written to a private temporary file (mode 0600 from the start), then linked into place:
    # link() fails if the key exists, so two processes starting together agree on one complete
    # key, and no process ever reads a half-written file.
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path.read_text(encoding="utf-8")
    material = "# Development key, generated by fpa.core.crypto. Never use in production.\n"
    material += new_key_material()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(material)
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8")


def _split(token: str) -> tuple[bytes, int]:
    try:
        raw = base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise CryptoError("not an encrypted token (bad base64)") from None
    if len(raw) < HEADER_BYTES + NONCE_BYTES + TAG_BYTES:
        raise CryptoError("not an encrypted token (too short)")
    if raw[0] != VERSION_SM4_GCM:
        raise CryptoError(f"unknown token version {raw[0]}")
    return raw, raw[1]


def _cipher(key: bytes, mode: modes.GCM) -> Cipher[modes.GCM]:
    try:
        algorithm = _algorithms.get(key)
        if algorithm is None:
            algorithm = _algorithms.setdefault(key, algorithms.SM4(key))
        return Cipher(algorithm, mode)
    except UnsupportedAlgorithm:
        raise CryptoError("this OpenSSL build has no SM4-GCM (see docs/keys.md)") from None


def _key_number(key_id: str) -> int:
    match = _KEY_ID.fullmatch(key_id)
    if not match or int(match[1]) > 255:
        raise _bad(f"data key id {key_id!r} must be k1 … k255")
    return int(match[1])


def _bad(reason: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"FPA data key material: {reason} (see docs/keys.md).")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
