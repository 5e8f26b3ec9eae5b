"""What registration asks of the consent records above it, handed in when the app starts.

``privacy`` (consent per purpose, Decree 13/2023) imports ``accounts``, so accounts cannot import
it (``tests/test_architecture.py``): ``storefront/wiring.py`` hands its answers in here through
``wire`` (``privacy.forms.consent_boxes``, ``privacy.consents.give_at_registration``).
"""
from collections.abc import Callable


def _not_wired(*_args, **_kwargs):
    raise RuntimeError("accounts.hooks is not wired: create_app() wires it")


# () -> the unticked news boxes, bound to this request (``privacy.forms.consent_boxes``): the
# register page shows them (``templates/privacy/_consent_boxes.html``); ``.wanted()`` is what
# the person ticked.
consent_boxes: Callable[..., object] = _not_wired
# (user, purposes) -> the records written, in the caller's transaction: the boxes ticked at
# registration, recorded against the new account (``privacy.consents.give_at_registration``).
give_consent: Callable[..., list] = _not_wired

NAMES = ("consent_boxes", "give_consent")


def wire(**hooks: Callable) -> None:
    """Hand in the answers above by name; an unknown name is a mistake."""
    for name, function in hooks.items():
        if name not in NAMES:
            raise TypeError(f"accounts.hooks has no hook {name!r}")
        globals()[name] = function
