"""What a provider said about one send, in the three kinds the channel layer acts on.

``Answer.kind``:

- ``sent``: the provider took it (its id in ``provider_id``);
- ``refused``: this channel cannot carry it (no Zalo on the phone, template refused, quota, a
  blocked number): the next channel takes the notice now;
- ``retry``: the provider is down or said "try later", and certainly did not send it: the same
  channel tries again later (then the next channel, after the last try);
- ``unknown``: the request may have reached the provider and its answer was lost (a read
  timeout): sending again could send it twice, so the row waits for the provider's report.
"""
from dataclasses import dataclass

import requests
from flask import current_app

SENT, REFUSED, RETRY, UNKNOWN = "sent", "refused", "retry", "unknown"


@dataclass(frozen=True)
class Answer:
    kind: str
    said: str                       # the provider's answer (or the error), shown to admins
    provider_id: str | None = None


def timeouts() -> tuple[float, float]:
    """Return (connect, read) seconds every provider call waits (``NOTIFY_HTTP_TIMEOUT``)."""
    seconds = float(current_app.config["NOTIFY_HTTP_TIMEOUT"])
    return (min(seconds, 5.0), seconds)


def post(url: str, *, unsure_on_read_timeout: bool, **kwargs) -> "requests.Response | Answer":
    """POST with timeouts; a failure becomes an ``Answer`` (retry, or unknown when it may have arrived)."""
    try:
        return requests.post(url, timeout=timeouts(), **kwargs)
    except (requests.ConnectTimeout, requests.exceptions.SSLError) as error:
        return Answer(RETRY, _said(error))
    except requests.ConnectionError as error:
        if _never_connected(error) or not unsure_on_read_timeout:
            return Answer(RETRY, _said(error))
        return Answer(UNKNOWN, _said(error))
    except requests.Timeout as error:  # read timeout: it may have been taken
        return Answer(UNKNOWN if unsure_on_read_timeout else RETRY, _said(error))
    except requests.RequestException as error:
        return Answer(RETRY, _said(error))


def _never_connected(error: Exception) -> bool:
    text = repr(error)
    return "NewConnectionError" in text or "Connection refused" in text or "NameResolution" in text


def _said(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]
