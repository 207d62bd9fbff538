"""Reading the log page's HTML in tests."""

import html
import re


def object_ids(page: str) -> list[str]:
    return re.findall(r"<td>submission ([^<]+)</td>", page)


def next_link(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)">(?:Older entries|Ältere Einträge)</a>', page)
    return "/backoffice/audit/" + html.unescape(found.group(1)) if found else None
