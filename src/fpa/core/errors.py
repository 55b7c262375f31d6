from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action; the message is Chinese and shown to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
