"""For the form builder's tests: a page's POST as the services get it, the stored definition,
and a refused change with its code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from portalwerk.platform.forms.models import FormVersion


def post(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def stored(version) -> dict:
    return FormVersion.objects.get(pk=version.pk).definition


def refused(call, code: str | None = None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    if code is not None:
        codes = [e.code for errors in caught.value.error_dict.values() for e in errors]
        assert code in codes, codes
    return caught.value
