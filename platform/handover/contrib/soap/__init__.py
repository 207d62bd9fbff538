"""Hand-over to a back-office system with a SOAP interface (docs/handover/soap.md)."""
