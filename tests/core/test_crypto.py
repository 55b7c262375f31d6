from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from fpa.core import crypto
from fpa.core.crypto import (
    CryptoError,
    blind_index,
    decrypt,
    encrypt,
    key_id_of,
    last4,
    needs_reencrypt,
    new_data_key,
    new_key_material,
    reencrypt,
    reset_keys,
)
from fpa.core.fields import lookup, pii_fields, protect, reveal

ID_NUMBER = "430102199001011234"


@pytest.fixture(autouse=True)
def _fresh_keys():
    # The key ring is cached per process; each test starts from its own settings.
    reset_keys()
    yield
    reset_keys()


@pytest.fixture
def material(settings) -> str:
    settings.FPA_DATA_KEY = new_key_material("k1")
    return settings.FPA_DATA_KEY


def flip(token: str, position: int) -> str:
    raw = bytearray(base64.b64decode(token))
    raw[position] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_round_trip_keeps_chinese_text(material):
    for text in [ID_NUMBER, "13812345678", "长沙市芙蓉区五一大道 1 号 🏠", ""]:
        assert decrypt(encrypt(text)) == text


def test_the_same_plaintext_gives_a_new_token_each_time(material):
    tokens = {encrypt(ID_NUMBER) for _ in range(20)}
    assert len(tokens) == 20
    assert all(ID_NUMBER not in token for token in tokens)
    assert len(next(iter(tokens))) == crypto.token_length(len(ID_NUMBER))


def test_a_tampered_token_is_refused(material):
    token = encrypt(ID_NUMBER)
    for position in [0, 1, 2, 20, -1]:  # version, key id, nonce, ciphertext, tag
        with pytest.raises(CryptoError):
            decrypt(flip(token, position))
    with pytest.raises(CryptoError):
        decrypt(token[:-8])
    with pytest.raises(CryptoError, match="base64"):
        decrypt("430102199001011234!")


def test_a_token_from_another_key_is_refused(settings, material):
    token = encrypt(ID_NUMBER)
    settings.FPA_DATA_KEY = new_key_material("k1")  # Same id, other bytes: another installation.
    with pytest.raises(CryptoError, match="authentication"):
        decrypt(token)


def test_blind_index_is_stable_and_normalised(settings, material):
    index = blind_index("43010219900101123X", "id_number")
    assert blind_index(" 43010219900101123x ", "id_number") == index
    assert blind_index("４３０１０２１９９００１０１１２３Ｘ", "id_number") == index  # full-width
    assert len(index) == 64 and int(index, 16) >= 0
    assert blind_index("430102199001011242", "id_number") != index
    assert blind_index("13812345678", "phone") == blind_index("+86 138-1234-5678", "phone")
    # The kind is hashed in: the same digits as a phone and as an account do not collide.
    assert blind_index("13812345678", "phone") != blind_index("13812345678", "bank_account")
    reset_keys()
    assert blind_index("43010219900101123x", "id_number") == index


def test_blind_index_refuses_empty_values_and_unknown_kinds(material):
    with pytest.raises(ValueError):
        blind_index("  ", "id_number")
    with pytest.raises(ValueError, match="unknown kind"):
        blind_index(ID_NUMBER, "id")


def test_last4_ignores_separators():
    assert last4(ID_NUMBER) == "1234"
    assert last4("6222 0212 3456 7890 12x") == "012X"
    assert last4("0731-84123456") == "3456"
    assert last4("") == ""


def test_rotation_keeps_old_tokens_readable_and_reencrypt_moves_them(settings, material):
    old = encrypt(ID_NUMBER)
    index = blind_index(ID_NUMBER, "id_number")
    assert key_id_of(old) == "k1"

    settings.FPA_DATA_KEY = new_data_key("k2") + "\n" + material  # The new key goes first.
    assert decrypt(old) == ID_NUMBER
    assert needs_reencrypt(old)
    new = reencrypt(old)
    assert key_id_of(new) == "k2" and not needs_reencrypt(new)
    assert decrypt(new) == ID_NUMBER
    assert reencrypt(new) == new  # Nothing to write for a row already on the current key.
    assert key_id_of(encrypt("x")) == "k2"
    assert blind_index(ID_NUMBER, "id_number") == index  # Lookups survive the rotation.

    # Once the re-encryption is done the old key can go; a forgotten row fails loudly.
    settings.FPA_DATA_KEY = "\n".join(
        line for line in settings.FPA_DATA_KEY.splitlines() if not line.startswith("k1:")
    )
    assert decrypt(new) == ID_NUMBER
    with pytest.raises(CryptoError, match="k1"):
        decrypt(old)


def test_keys_are_read_from_a_key_file(settings, tmp_path: Path):
    key_file = tmp_path / "fpa_data_key"
    key_file.write_text("# comment\n" + new_key_material("k7"))
    settings.FPA_DATA_KEY_FILE = str(key_file)
    assert key_id_of(encrypt(ID_NUMBER)) == "k7"


def test_material_may_be_one_line_for_an_environment_variable(settings):
    settings.FPA_DATA_KEY = ", ".join(new_key_material("k3").split())
    assert decrypt(encrypt(ID_NUMBER)) == ID_NUMBER


def test_development_key_is_generated_once_with_mode_0600(settings, tmp_path: Path):
    settings.VAR_DIR = tmp_path / "var"
    settings.FPA_DATA_KEY = settings.FPA_DATA_KEY_FILE = ""
    settings.DEBUG, settings.TESTING = True, False
    token = encrypt(ID_NUMBER)
    path = tmp_path / "var" / "data_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reset_keys()  # A new process reads the same file.
    assert decrypt(token) == ID_NUMBER
    assert [p.name for p in path.parent.iterdir()] == ["data_key"]


def test_production_without_a_key_refuses_to_encrypt(settings, tmp_path: Path):
    settings.VAR_DIR = tmp_path / "var"
    settings.FPA_DATA_KEY = settings.FPA_DATA_KEY_FILE = ""
    settings.DEBUG = settings.TESTING = False
    with pytest.raises(ImproperlyConfigured, match="FPA_DATA_KEY or FPA_DATA_KEY_FILE"):
        encrypt(ID_NUMBER)
    with pytest.raises(ImproperlyConfigured):
        blind_index(ID_NUMBER, "id_number")
    assert not (tmp_path / "var" / "data_key").exists()


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        (["k1:{d}"], "no `index:`"),
        (["index:{i}"], "no data key"),
        (["index:{i}", "k1:{i}"], "must be 16 bytes"),
        (["index:{d}", "k1:{d}"], "must be 32 bytes"),
        (["index:{i}", "k1:{d}", "k1:{d}"], "listed twice"),
        (["index:{i}", "key1:{d}"], "k1 … k255"),
        (["index:{i}", "k1:not*base64"], "not valid base64"),
        (["index:{i}", "{d}"], "not `id:base64`"),
    ],
)
def test_bad_material_is_refused_without_echoing_keys(settings, entries, reason):
    data, index = base64.b64encode(b"d" * 16).decode(), base64.b64encode(b"i" * 32).decode()
    settings.FPA_DATA_KEY = "\n".join(entries).format(d=data, i=index)
    with pytest.raises(ImproperlyConfigured, match=reason) as error:
        encrypt(ID_NUMBER)
    assert data not in str(error.value) and index not in str(error.value)


def test_both_key_settings_are_refused(settings, tmp_path: Path):
    settings.FPA_DATA_KEY = new_key_material()
    settings.FPA_DATA_KEY_FILE = str(tmp_path / "key")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        encrypt(ID_NUMBER)


def test_protect_stores_three_forms_and_null_for_nothing(material):
    stored = protect(" 43010219900101123x", "id_number")
    # The caller's form is kept (the registry passes the parsed, canonical number)...
    assert reveal(stored.enc) == "43010219900101123x"
    # ...while index and last four use the normalised one, so x and X are one number.
    assert stored.index == blind_index("43010219900101123X", "id_number")
    assert stored.last4 == "123X"
    assert stored.as_fields("id_number") == {
        "id_number_enc": stored.enc,
        "id_number_index": stored.index,
        "id_number_last4": "123X",
    }
    assert lookup("id_number", "43010219900101123X", "id_number") == {
        "id_number_index": stored.index
    }
    assert protect("", "phone") == protect(None, "phone") == protect(" ", "phone")
    assert protect(None, "phone").enc is None and reveal(None) == ""


def test_pii_fields_are_an_indexed_triple():
    enc, index, tail = pii_fields("身份证号")
    assert enc.get_internal_type() == "TextField" and enc.null
    assert index.max_length == 64 and index.db_index and index.null
    assert tail.max_length == 4 and tail.db_index


@pytest.mark.django_db(transaction=True)
def test_the_database_never_holds_a_plain_id_number(material, tmp_path: Path):
    stored = protect(ID_NUMBER, "id_number")
    control = "110101200001011111"  # Stored in clear on purpose: proves the scan sees rows.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE tmp_pii (enc text, idx text, last4 text)")
    try:
        with connection.cursor() as cursor:
            insert = "INSERT INTO tmp_pii (enc, idx, last4) VALUES (%s, %s, %s)"
            cursor.execute(insert, [stored.enc, stored.index, stored.last4])
            cursor.execute(insert, [control, "", ""])
            if connection.vendor == "sqlite":
                data = sqlite_bytes(cursor, tmp_path)
            else:
                # The server's files are out of reach; every stored row as text instead.
                cursor.execute("SELECT t::text FROM tmp_pii t")
                data = "\n".join(row[0] for row in cursor.fetchall()).encode()
        assert control.encode() in data
        assert stored.enc.encode() in data and stored.index.encode() in data
        assert ID_NUMBER[-4:].encode() in data
        assert ID_NUMBER.encode() not in data
        assert ID_NUMBER[:14].encode() not in data  # Not even the part the last four leave out.
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE tmp_pii")


def sqlite_bytes(cursor, tmp_path: Path) -> bytes:
    """The database as bytes on disk: its file and WAL if it has them, and a VACUUM INTO copy.

    The test database is usually in memory; VACUUM INTO writes the very pages SQLite keeps.
    """
    name = str(connection.settings_dict["NAME"])
    files = [Path(name), Path(name + "-wal")] if "memory" not in name else []
    copy = tmp_path / "copy.sqlite3"
    cursor.execute("VACUUM INTO %s", [str(copy)])
    return b"".join(path.read_bytes() for path in [*files, copy] if path.exists())
