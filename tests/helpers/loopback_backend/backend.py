from __future__ import annotations

import json
import urllib.error
import urllib.request

from django import forms

from portalwerk.platform.handover.backends import (
    Delivered,
    DeliveryError,
    HandoverBackend,
    Problem,
)
from portalwerk.platform.handover.registry import backends


class LoopbackSettings(forms.Form):
    url = forms.URLField(label="Receiver address", assume_scheme="http")
    token = forms.CharField(label="Access token", max_length=200)
    timeout = forms.IntegerField(label="Timeout in seconds", min_value=1, max_value=30, initial=5)


@backends.register("loopback")
class LoopbackBackend(HandoverBackend):
    label = "Loopback receiver (tests)"
    config_form = LoopbackSettings
    secret_fields = ("token",)

    def deliver(self, parcel, config) -> Delivered:
        body = json.dumps(
            {
                "key": parcel.idempotency_key,
                "reference": parcel.reference,
                "form": parcel.form_slug,
                "test": parcel.test,
                "answers": parcel.answers,
                "files": [f.name for f in parcel.files],
            }
        ).encode()
        request = urllib.request.Request(
            config["url"],
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {config['token']}",
                "Idempotency-Key": parcel.idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=config.get("timeout", 5)) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            problem = {401: Problem.UNAUTHORISED, 403: Problem.UNAUTHORISED}.get(error.code)
            if problem is None:
                problem = Problem.RECEIVER_ERROR if error.code >= 500 else Problem.REFUSED
            raise DeliveryError(problem, f"HTTP {error.code}") from None
        except TimeoutError:
            raise DeliveryError(Problem.TIMEOUT, "no answer") from None
        except urllib.error.URLError as error:
            raise DeliveryError(Problem.UNREACHABLE, str(error.reason)) from None
        return Delivered(receiver_reference=answer.get("case", ""))

    def check_target(self, config) -> list[str]:
        try:
            with urllib.request.urlopen(config["url"], timeout=2):
                return []
        except urllib.error.HTTPError:
            return []  # it answers
        except (urllib.error.URLError, TimeoutError):
            return ["The receiver address cannot be reached."]
