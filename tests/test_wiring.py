"""Every event a domain sends is received once an app exists, and only ``storefront/wiring.py`` connects.

Receivers used to connect when their module happened to be imported (after importing
``orders.services`` alone, ``pickup_ended`` had none); now ``create_app`` connects them all.
"""
import ast
from pathlib import Path

import storefront
from storefront import create_app, wiring
from storefront.config import TestingConfig
from storefront.bookings import signals as booking_signals
from storefront.experiences import signals as experience_signals
from storefront.orders import signals

ROOT = Path(storefront.__file__).resolve().parent


def test_every_receiver_is_connected_after_create_app():
    for signal, receiver in wiring.RECEIVERS:
        signal.receivers.clear()

    create_app(TestingConfig)

    for signal, receiver in wiring.RECEIVERS:
        assert receiver in signal.receivers_for(object()), (signal.name, receiver.__name__)


def test_every_signal_orders_sends_has_a_receiver_listed_in_the_wiring():
    modules = (signals, experience_signals, booking_signals)
    sent = {value for module in modules for value in vars(module).values()
            if hasattr(value, "receivers_for")}
    assert sent and sent == {signal for signal, _receiver in wiring.RECEIVERS}


def test_only_the_wiring_connects_a_receiver():
    found = []
    for path in ROOT.rglob("*.py"):
        if path.name == "wiring.py" and path.parent == ROOT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("connect", "connect_via"):
                target = node.value
                name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
                if name in {signal.name.replace("-", "_") for signal, _r in wiring.RECEIVERS}:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"receivers connected outside storefront/wiring.py: {found}"
