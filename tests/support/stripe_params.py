"""Check a request's parameters as Stripe would, from the installed ``stripe`` library's own
parameter definitions (``stripe.params``, generated from Stripe's OpenAPI description for the
library's API version), plus the rules Stripe documents in prose that those types cannot say.

Used by the local Stripe stand-in (``tests/support/stripe_server.py``) so the shop's requests are refused
where Stripe would refuse them.
"""
import importlib
import re
import time
import typing
from typing import Any, Literal, NotRequired, Union

# Stripe's minimum charge is about US$0.50; for VND that is roughly 13,000 ₫.
VND_MINIMUM = 13000
CHECKOUT_MIN_EXPIRY = 30 * 60  # seconds: Stripe refuses `expires_at` sooner than 30 minutes
CHECKOUT_MAX_EXPIRY = 24 * 3600  # ... and later than 24 hours


class InvalidParams(Exception):
    """Stripe's ``invalid_request_error``: the message names the parameter, as Stripe's does."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param


def _definition(module: str, name: str):
    return getattr(importlib.import_module(module), name)


SESSION_CREATE = ("stripe.params.checkout._session_create_params", "SessionCreateParams")
REFUND_CREATE = ("stripe.params._refund_create_params", "RefundCreateParams")
REFUND_LIST = ("stripe.params._refund_list_params", "RefundListParams")
PAYMENT_INTENT_RETRIEVE = ("stripe.params._payment_intent_retrieve_params", "PaymentIntentRetrieveParams")


def check(data: dict, definition: tuple[str, str]) -> None:
    """Refuse ``data`` (nested, values as sent in the form) unless the definition allows it.

    :raises InvalidParams: an unknown parameter, a value of the wrong kind, or not in its enum.
    """
    module = importlib.import_module(definition[0])
    _check_typeddict(data, getattr(module, definition[1]), vars(module), "")


def _resolve(annotation, namespace):
    if isinstance(annotation, typing.ForwardRef):
        annotation = annotation.__forward_arg__
    if isinstance(annotation, str):
        names = {**vars(typing), **namespace}
        annotation = eval(annotation, names)  # noqa: S307 — the stripe library's own source
    if typing.get_origin(annotation) is NotRequired:
        return _resolve(typing.get_args(annotation)[0], namespace)
    return annotation


def _own_fields(cls) -> dict:
    """The parameters a TypedDict declares (not ``RequestOptions``' api_key and the like)."""
    fields = {}
    for base in reversed(cls.__mro__):
        if base.__module__.startswith("stripe.params"):
            fields.update(getattr(base, "__annotations__", {}))
    return fields


def _check_typeddict(value, cls, namespace, path):
    if not isinstance(value, dict):
        raise InvalidParams(f"Invalid object: {path or 'body'}", path)
    fields = _own_fields(cls)
    for key, item in value.items():
        name = f"{path}[{key}]" if path else key
        if key not in fields:
            raise InvalidParams(f"Received unknown parameter: {name}", name)
        _check(item, _resolve(fields[key], namespace), namespace, name)
    for key in getattr(cls, "__required_keys__", ()):
        if key in fields and key not in value and not path.startswith("metadata"):
            name = f"{path}[{key}]" if path else key
            raise InvalidParams(f"Missing required param: {name}.", name)


def _check(value, annotation, namespace, path):
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Union or type(annotation).__name__ == "UnionType":
        _check_union(value, args, namespace, path)
    elif origin is Literal:
        if value not in args:
            raise InvalidParams(f"Invalid {path}: must be one of {', '.join(args)}", path)
    elif origin in (list, typing.List):
        items = value if isinstance(value, list) else None
        if items is None:
            raise InvalidParams(f"Invalid array: {path}", path)
        for index, item in enumerate(items):
            _check(item, _resolve(args[0], namespace), namespace, f"{path}[{index}]")
    elif origin in (dict, typing.Dict) or annotation is Any:
        if origin and not isinstance(value, dict):
            raise InvalidParams(f"Invalid hash: {path}", path)
    elif isinstance(annotation, type) and typing.is_typeddict(annotation):
        _check_typeddict(value, annotation, namespace, path)
    elif annotation is int:
        if not re.fullmatch(r"-?\d+", str(value)):
            raise InvalidParams(f"Invalid integer: {value}", path)
    elif annotation is bool:
        if str(value) not in ("true", "false"):
            raise InvalidParams(f"Invalid boolean: {value}", path)
    elif annotation is str and not isinstance(value, str):
        raise InvalidParams(f"Invalid string: {path}", path)


def _check_union(value, args, namespace, path):
    resolved = [_resolve(a, namespace) for a in args]
    literals = [a for a in resolved if typing.get_origin(a) is Literal]
    if literals and all(a is str or typing.get_origin(a) is Literal for a in resolved):
        # `Literal[...] | str` is the library leaving room for values added later: Stripe itself
        # accepts only the listed ones at this API version.
        _check(value, Literal[tuple(v for a in literals for v in typing.get_args(a))],
               namespace, path)
        return
    errors = []
    for option in resolved:
        if option is type(None) or option is typing.Literal[""]:
            if value == "":
                return
            continue
        try:
            _check(value, option, namespace, path)
            return
        except InvalidParams as error:
            errors.append(error)
    raise errors[0] if errors else InvalidParams(f"Invalid value: {path}", path)


# --- the rules Stripe states in prose -------------------------------------------------------

def check_checkout_session(data: dict, now: float | None = None) -> None:
    """Refuse a Checkout Session Stripe would refuse (types first, then its documented rules)."""
    check(data, SESSION_CREATE)
    now = time.time() if now is None else now
    if "mode" not in data:
        raise InvalidParams("Missing required param: mode.", "mode")
    if data["mode"] == "payment" and not data.get("success_url") \
            and data.get("ui_mode", "hosted") == "hosted":
        raise InvalidParams("Missing required param: success_url.", "success_url")
    if "expires_at" in data:
        seconds = int(data["expires_at"]) - now
        if not CHECKOUT_MIN_EXPIRY <= seconds <= CHECKOUT_MAX_EXPIRY:
            raise InvalidParams("The `expires_at` timestamp must be between 30 minutes and "
                                "24 hours from Checkout Session creation.", "expires_at")
    items = data.get("line_items") or []
    if data["mode"] == "payment" and not items:
        raise InvalidParams("Missing required param: line_items.", "line_items")
    for index, item in enumerate(items):
        _check_line_item(item, f"line_items[{index}]")
    currencies = {item["price_data"]["currency"] for item in items}
    total = sum(int(i["price_data"]["unit_amount"]) * int(i["quantity"]) for i in items)
    if currencies == {"vnd"} and total < VND_MINIMUM:
        raise InvalidParams("The Checkout Session's total amount due must add up to at least "
                            f"₫{VND_MINIMUM:,}", "line_items")


def _check_line_item(item: dict, path: str) -> None:
    if "quantity" not in item or int(item["quantity"]) < 1:
        raise InvalidParams(f"Invalid {path}[quantity]: must be at least 1", f"{path}[quantity]")
    price = item.get("price_data")
    if price is None:
        raise InvalidParams(f"Missing required param: {path}[price_data].", f"{path}[price_data]")
    if "unit_amount" not in price or int(price["unit_amount"]) < 0:
        raise InvalidParams(f"Invalid {path}[price_data][unit_amount]: must be greater than or "
                            "equal to 0", f"{path}[price_data][unit_amount]")
    name = (price.get("product_data") or {}).get("name", "")
    if not name.strip():
        raise InvalidParams(f"Missing required param: {path}[price_data][product_data][name].",
                            f"{path}[price_data][product_data][name]")
