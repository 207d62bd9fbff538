"""The citizen's booking flow, server-rendered and usable without JavaScript.

services → office → day → time → personal data (the time is held) → confirmation. The choices
travel in the query string of plain GET forms, so every step is a bookmarkable page and the back
button works; only holding, confirming, cancelling and moving are POSTs. No business rule lives
here: the pages call `services`, `schedule`, `access` and `limits`.

- `booking`: the steps from the services to the held time and its confirmation
- `by_token`: the pages the link in the mails opens (confirm, manage, calendar file, cancel,
  move)
- `shared`: what both use: the day and time pages, rate-limit answers, the choices' query
  string, the error-only form
"""
