from __future__ import annotations

from fpa.core.menu import Entry, Group

MENU = [Group("审计", (Entry("审计日志", "audit:log"),), order=95)]
