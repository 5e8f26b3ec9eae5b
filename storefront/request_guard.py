"""Where requests enter: malformed input is refused here with a 400 or 404, before a view or query sees it.

Three doors, one rule each:

* URL converters: ``<int:...>`` stops at the database's integer range, and ``<slug>``/``<path:...>`` never
  match a NUL byte (PostgreSQL text cannot hold one), so such a path is simply not found;
* one ``before_request`` guard over query strings and form posts: a NUL byte anywhere is a 400, and a field
  named ``id`` or ``..._id`` that holds a number beyond the integer range is a 400;
* a WSGI wrapper for the ``Host`` header: a name the IDNA codec refuses (a label over 63 characters) would
  break URL building for every page, the error page included, so it is swapped for the configured name and
  the request answered 400;
* the app's JSON reader: a body nested too deep for Python's parser (``RecursionError``) is invalid JSON
  like any other, so ``request.get_json()`` answers 400 (or None when silent) and the webhooks read their
  raw bodies through ``loads_json``.

A backstop turns a database ``DataError`` (and sqlite's ``OverflowError``) into a 400 too, so anything that
slips past the doors is still the client's error, not a 500.
"""
import json
import logging
import re

from flask import Flask, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError

from .extensions import db

log = logging.getLogger(__name__)

MAX_ID = 2**31 - 1  # PostgreSQL ``integer``: every primary key in the schema
_ID_FIELD = re.compile(r"(^|_)id$")
_BAD_HOST_FLAG = "storefront.bad_host"


class IdConverter(IntegerConverter):
    """``<int:...>`` that never exceeds the database's integer range (larger numbers are not found)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 — werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str):
        if len(value.lstrip("-0")) > 10:  # int() refuses more than 4,300 digits; such ids are not found
            raise ValidationError()
        return super().to_python(value)


class TextConverter(UnicodeConverter):
    """The default ``<name>`` converter, minus NUL bytes."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


class NoNulPathConverter(PathConverter):
    regex = "[^\\x00]*?"
    part_isolating = False  # werkzeug infers True from a regex without "/": paths would stop at one part


def install_converters(app: Flask) -> None:
    """Register the converters; call before any blueprint adds its rules."""
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter,
                                  path=NoNulPathConverter)


def _refuse_bad_values() -> None:
    """Answer 400 to a NUL byte in any query or form value, or an ``…_id`` beyond the integer range."""
    for values in (request.args, request.form if request.method != "GET" else None):
        if not values:
            continue
        for name, value in values.items(multi=True):
            if "\x00" in name or "\x00" in value:
                abort(400)
            if _ID_FIELD.search(name) and _beyond_integer_range(value):
                abort(400)


def _beyond_integer_range(value: str) -> bool:
    # Length first: int() refuses strings of more than 4,300 digits.
    digits = value.lstrip("0")
    return value.isascii() and value.isdigit() and (len(digits) > 10 or int(digits or "0") > MAX_ID)


def _refuse_bad_host() -> None:
    if request.environ.get(_BAD_HOST_FLAG):
        abort(400)


def _host_is_encodable(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    try:
        name.encode("idna").decode("idna")  # werkzeug decodes it again to build request.url
    except UnicodeError:
        return False
    return host.isprintable()


class HostGuard:
    """Swap a ``Host`` the IDNA codec refuses for a harmless one and flag the request for a 400."""

    def __init__(self, wsgi_app, fallback: str):
        self.wsgi_app = wsgi_app
        self.fallback = fallback

    def __call__(self, environ, start_response):
        for key in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST"):
            host = environ.get(key)
            if host and not _host_is_encodable(host):
                environ[key] = self.fallback
                environ[_BAD_HOST_FLAG] = True
        return self.wsgi_app(environ, start_response)


def loads_json(data: str | bytes, **kwargs):
    """Parse a request body as JSON.

    :raises ValueError: not JSON, or nested deeper than the parser can follow (a ``RecursionError``
        would otherwise escape every ``except ValueError`` and answer 500).
    """
    try:
        return json.loads(data, **kwargs)
    except RecursionError as error:
        raise ValueError("JSON nested too deep") from error


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading through ``loads_json``: every ``get_json()`` refuses what it cannot parse."""

    def loads(self, s: str | bytes, **kwargs):
        return loads_json(s, **kwargs)


def _data_error(error):
    """A value the database cannot hold is the client's error; nothing was saved."""
    db.session.rollback()
    log.warning("refused a value the database cannot hold: %s", str(error).splitlines()[0][:200])
    return current_app.handle_http_exception(BadRequest())


def register(app: Flask) -> None:
    """Attach the guard, the Host wrapper, the JSON reader and the backstop to ``app``."""
    app.json = GuardedJSONProvider(app)
    app.before_request(_refuse_bad_host)
    app.before_request(_refuse_bad_values)
    app.wsgi_app = HostGuard(app.wsgi_app, fallback="localhost")
    app.register_error_handler(DataError, _data_error)
    app.register_error_handler(OverflowError, _data_error)
