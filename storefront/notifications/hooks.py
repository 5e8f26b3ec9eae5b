"""What notices ask of the consent records above them, handed in when the app starts.

``privacy`` (issue 22's consent records) imports ``notifications``, so notifications cannot import
it (``tests/test_architecture.py``): ``storefront/wiring.py`` hands its answers in here through
``wire`` (``privacy/notices.py``).
"""
from collections.abc import Callable


def _not_wired(*_args, **_kwargs):
    raise RuntimeError("notifications.hooks is not wired: create_app() wires it")


# (user) -> the channels ("zalo", "sms", "email") its recorded consents allow news by: a
# promotional notice goes by no other (``privacy.notices.allowed_channels``).
consented_channels: Callable[..., set[str]] = _not_wired
# (channel, address) -> how many consents were withdrawn, in the caller's transaction: a stop
# link's address stopped the channel, so the news consent for it ends too
# (``privacy.notices.withdraw_for_stop``).
channel_stopped: Callable[[str, str], int] = _not_wired

NAMES = ("consented_channels", "channel_stopped")


def wire(**hooks: Callable) -> None:
    """Hand in the answers above by name; an unknown name is a mistake."""
    for name, function in hooks.items():
        if name not in NAMES:
            raise TypeError(f"notifications.hooks has no hook {name!r}")
        globals()[name] = function
