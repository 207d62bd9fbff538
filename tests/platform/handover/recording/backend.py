from django import forms

from portalwerk.platform.handover.backends import (
    Delivered,
    DeliveryError,
    HandoverBackend,
    Problem,
)
from portalwerk.platform.handover.registry import backends

#: idempotency key -> parcel, as a receiver that deduplicates would hold them
HELD: dict = {}
#: every call, duplicates included
CALLS: list = []


class RecordingSettings(forms.Form):
    fail = forms.CharField(required=False)  # a Problem value to raise, "" to succeed
    fail_times = forms.IntegerField(required=False)  # fail this many calls, then succeed


@backends.register("recording")
class Recording(HandoverBackend):
    label = "Recording"
    config_form = RecordingSettings

    def deliver(self, parcel, config):
        CALLS.append(parcel)
        failing = config.get("fail")
        if failing and len(CALLS) <= (config.get("fail_times") or 10**6):
            raise DeliveryError(Problem(failing), "as configured")
        HELD.setdefault(parcel.idempotency_key, parcel)
        return Delivered(receiver_reference=f"AZ-{len(HELD)}")
