from __future__ import annotations

from types import SimpleNamespace

from fpa.core import checks


def check_ids(monkeypatch, **values) -> set[str]:
    base = {
        "SECRET_KEY": "k" * 50,
        "DEBUG": False,
        "ALLOWED_HOSTS": [],
        "TESTING": False,
        "FPA_DATA_KEY": "index:x k1:y",
        "FPA_DATA_KEY_FILE": "",
    }
    fake = SimpleNamespace(**(base | values))
    monkeypatch.setattr(checks, "settings", fake)
    return {m.id for m in checks.production_settings()}


def test_debug_with_a_public_host_is_refused(monkeypatch):
    assert "fpa.E002" in check_ids(monkeypatch, DEBUG=True, ALLOWED_HOSTS=["fpa.hunan.gov.cn"])
    assert "fpa.E002" not in check_ids(monkeypatch, DEBUG=True, ALLOWED_HOSTS=["127.0.0.1"])
    assert "fpa.E002" not in check_ids(monkeypatch, ALLOWED_HOSTS=["fpa.hunan.gov.cn"])


def test_missing_secret_key_is_refused(monkeypatch):
    assert "fpa.E001" in check_ids(monkeypatch, SECRET_KEY="")
    assert check_ids(monkeypatch) == set()


def test_production_without_a_personal_data_key_is_refused(monkeypatch):
    assert "fpa.E003" in check_ids(monkeypatch, FPA_DATA_KEY="")
    assert "fpa.E003" not in check_ids(monkeypatch, FPA_DATA_KEY="", FPA_DATA_KEY_FILE="/k")
