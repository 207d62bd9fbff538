"""The field types of the form engine: one class per type, registered by its name.

A type knows how to read the part of a definition that is its own (options, the fields of a
group), how to clean and check a value, how a page reads it from a POST and what a template needs
to render it, and how an answer is displayed (check answers, receipt, clerk detail, export).
Adding a field type is one module in this package with a class decorated `@register`; every
module here is loaded when the package is."""

from __future__ import annotations

import importlib
import pkgutil

from portalwerk.platform.forms.engine.fieldtypes.base import FieldType, field_type, kinds

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["FieldType", "field_type", "kinds"]
