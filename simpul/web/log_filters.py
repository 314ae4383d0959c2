"""A logging filter that keeps query strings out of every log line.

Searches are POSTed, so no page of Simpul puts an identifier in a URL; but an old bookmark, a
hand-typed address or a hostile client can still send `?q=<NIK>`, and the request line the
development server, Django's request logger or a proxy would log carries it. This filter
replaces every query string in a log message by `?[…]` before any handler formats it.
"""

import logging
import re

# A path (or absolute URL) followed by a query string, up to whitespace or a quote.
_QUERY = re.compile(r"(?P<path>(?:https?://[^\s/\"'?]+)?/[^\s\"'?]*)\?[^\s\"']+")
REDACTED = "?[…]"


def strip_query_strings(text: str) -> str:
    return _QUERY.sub(lambda m: m.group("path") + REDACTED, text)


class StripQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            return True
        if "?" in message:
            record.msg = strip_query_strings(message)
            record.args = ()
        return True
