"""Hand-over to a back-office system with a SOAP interface (a WSDL): the tenant maps the
application's answers and facts to the parts of one operation's request (`mapping`); zeep
sends it with a timeout; the case number in the answer is what the receiver calls it.

The idempotency key travels inside the message (the mapping must place it, e.g. in
Vorgangskennung), so a receiver that stores once per key stores a repeat once. How a receiver's
answer is read: a SOAP client fault (Client/Sender) is a refusal and not retried; a server fault
(Server/Receiver) or an HTTP 5xx is retried; so are timeouts and connections that fail."""

from __future__ import annotations

from collections.abc import Mapping

import requests
from django.utils.translation import gettext_lazy as _
from lxml import etree
from zeep import exceptions as zeep_errors

from portalwerk.platform.handover.backends import (
    Delivered,
    DeliveryError,
    HandoverBackend,
    Problem,
)
from portalwerk.platform.handover.contrib.soap import client as clients
from portalwerk.platform.handover.contrib.soap import mapping
from portalwerk.platform.handover.contrib.soap.config import SoapTargetForm, wsdl_problems
from portalwerk.platform.handover.parcel import Parcel
from portalwerk.platform.handover.registry import backends


def _network_error(error: requests.RequestException, what: str) -> DeliveryError:
    if isinstance(error, requests.ConnectTimeout):
        return DeliveryError(Problem.UNREACHABLE, f"{what}: connect timeout")
    if isinstance(error, requests.Timeout):
        return DeliveryError(Problem.TIMEOUT, f"{what}: no answer in time")
    if isinstance(error, requests.ConnectionError):
        return DeliveryError(Problem.UNREACHABLE, f"{what}: {type(error).__name__}")
    return DeliveryError(Problem.RECEIVER_ERROR, f"{what}: {type(error).__name__}")


def _fault(error: zeep_errors.Fault) -> DeliveryError:
    code = str(error.code or "")
    detail = f"SOAP fault {code}: {error.message}"
    # SOAP 1.1 codes may carry dotted subcodes ("soap:Client.Validation")
    if code.rpartition(":")[2].split(".")[0] in ("Client", "Sender"):
        return DeliveryError(Problem.REFUSED, detail, retry=False)
    return DeliveryError(Problem.RECEIVER_ERROR, detail, retry=True)


def _http_error(error: zeep_errors.TransportError) -> DeliveryError:
    status = error.status_code or 0
    detail = f"HTTP {status}"
    if status in (401, 403):
        return DeliveryError(Problem.UNAUTHORISED, detail, retry=False)
    if status == 413:
        return DeliveryError(Problem.TOO_LARGE, detail, retry=False)
    if status in (408, 429) or status >= 500:
        return DeliveryError(Problem.RECEIVER_ERROR, detail, retry=True)
    return DeliveryError(Problem.REFUSED, detail, retry=False)


@backends.register("soap")
class SoapBackend(HandoverBackend):
    label = _("Back-office system (SOAP)")
    config_form = SoapTargetForm
    secret_fields = ("password",)

    def check_target(self, config: Mapping) -> list[str]:
        return wsdl_problems(config, fresh=True)

    def deliver(self, parcel: Parcel, config: Mapping) -> Delivered:
        operation = self._operation(config)
        rules = [mapping.Rule.of(rule) for rule in config.get("mapping") or []]
        problems = mapping.problems(operation.request, rules)
        if problems:  # the WSDL changed since the target was saved
            raise DeliveryError(Problem.CONFIGURATION, " ".join(problems), retry=False)
        body = mapping.message(operation.request, rules, parcel)
        try:
            result = operation.call(body)
        except zeep_errors.Fault as error:
            raise _fault(error) from None
        except zeep_errors.TransportError as error:
            raise _http_error(error) from None
        except clients.DocumentRefused as error:
            raise DeliveryError(Problem.CONFIGURATION, str(error), retry=False) from None
        except zeep_errors.ValidationError as error:
            # zeep checks the request against the schema before it sends: nothing went out
            raise DeliveryError(Problem.INVALID, str(error.message), retry=False) from None
        except requests.RequestException as error:
            raise _network_error(error, "request") from None
        except (zeep_errors.XMLSyntaxError, etree.XMLSyntaxError, zeep_errors.Error) as error:
            raise DeliveryError(
                Problem.RECEIVER_ERROR, f"unreadable answer: {type(error).__name__}"
            ) from None
        return Delivered(
            receiver_reference=mapping.reference_of(result, config.get("response_reference", ""))
        )

    def _operation(self, config: Mapping) -> clients.Operation:
        try:
            client = clients.client_for(config)
        except requests.RequestException as error:
            raise _network_error(error, "WSDL") from None
        except zeep_errors.TransportError as error:
            raise _http_error(error) from None
        except clients.DocumentRefused as error:
            raise DeliveryError(Problem.CONFIGURATION, str(error), retry=False) from None
        except Exception as error:  # noqa: BLE001 (an unreadable WSDL: it may be fixed soon)
            raise DeliveryError(
                Problem.RECEIVER_ERROR, f"WSDL unreadable: {type(error).__name__}"
            ) from None
        found = clients.operation(client, config.get("operation", ""))
        if found is None:
            raise DeliveryError(
                Problem.CONFIGURATION,
                f"the WSDL has no operation {config.get('operation', '')!r}",
                retry=False,
            )
        return found
