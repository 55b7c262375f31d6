"""Reads of personal data through the API are audited as page views are.

A viewset that serves personal data mixes in `AuditedReadMixin` (before the DRF base class).
Each successful `retrieve` writes one entry for the object, each `list` one entry with the ids of
the page it returned — the same `fpa.<model>.viewed` action a page view writes, with
`{"via": "api"}`. Whether a viewset serves personal data is said by its `personal_data`, or, when
that is left None, read from its model (`is_personal`). The test
`tests/audit/test_api_reads.py` fails for any API viewset that serves personal data without it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework.request import Request
from rest_framework.response import Response

from fpa.kernel.scope import Actor

from .services import record_api_read

READ_ACTIONS = ("list", "retrieve")
# Models that are personal data without an encrypted column: a family is its members' data.
PERSON_MODELS = ("people.person", "families.specialfamily")


def is_personal(model: type[models.Model]) -> bool:
    """A model carries personal data when it has an encrypted personal field (`pii_fields`), is
    a person or a family, or points at one."""
    if model._meta.label_lower in PERSON_MODELS:
        return True
    for field in model._meta.get_fields():
        if field.name.endswith("_enc"):
            return True
        target = getattr(field, "related_model", None)
        if field.many_to_one and target is not None and target._meta.label_lower in PERSON_MODELS:
            return True
    return False


class AuditedReadMixin:
    #: None: decided by the model (`is_personal`)
    personal_data: bool | None = None

    _read: list[models.Model] | None = None

    def reads_personal_data(self) -> bool:
        if self.personal_data is not None:
            return self.personal_data
        return is_personal(self.get_serializer_class().Meta.model)  # type: ignore[attr-defined]

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)  # type: ignore[misc]
        if self.action in READ_ACTIONS and args:  # type: ignore[attr-defined]
            # The very objects serialized: a list's page (the queryset's cache is reused).
            self._read = list(args[0]) if kwargs.get("many") else [args[0]]
        return serializer

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if self._read is not None and response.status_code == 200 and self.reads_personal_data():
            self._record(request, self._read)
        return response

    def _record(self, request: Request, objects: list[models.Model]) -> None:
        query = {key: request.query_params.getlist(key) for key in request.query_params}
        record_api_read(
            Actor.from_request(request),
            self.get_serializer_class().Meta.model,  # type: ignore[attr-defined]
            objects,
            single=self.action == "retrieve",  # type: ignore[attr-defined]
            query=query,
        )
