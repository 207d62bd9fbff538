"""Every model of the tenant apps is either in the archive, under a kind, or listed as left
out with its reason: adding a tenant model without deciding makes this fail."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from portalwerk.tenants.archive import kinds


def test_every_tenant_model_is_exported_or_left_out_with_a_reason():
    # given the installed tenant apps, then no model of theirs is in neither table
    assert kinds.unclassified() == []
    # and the tables name only models that exist, each once
    listed = [label for labels in kinds.KINDS.values() for label in labels]
    assert len(listed) == len(set(listed))
    present = {m._meta.label for m in kinds.tenant_models()}
    assert set(listed) <= present
    assert not set(listed) & set(kinds.NOT_EXPORTED)
    assert all(len(reason) > 20 for reason in kinds.NOT_EXPORTED.values())


def test_a_new_tenant_model_is_reported_until_someone_decides(settings):
    # given a tenant app with a model the tables do not name
    class Leftover(models.Model):
        class Meta:
            app_label = "forms"

        def __str__(self) -> str:
            return str(self.pk)

    try:
        # then it is reported, and exported meanwhile under a kind of its own
        assert kinds.unclassified() == ["forms.Leftover"]
        assert ("forms.leftover", Leftover) in kinds.exported()
    finally:
        del apps.all_models["forms"]["leftover"]
        apps.clear_cache()
    assert kinds.unclassified() == []
