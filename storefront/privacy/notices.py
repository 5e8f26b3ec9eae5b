"""Consent records (issue 22) as notices see them: which channels news may go by, and what a stop link ends.

Above both ``privacy`` and ``notifications`` (it imports them; neither imports it): ``wiring.py``
hands these two functions to ``notifications.hooks``. A promotional notice goes only by the
channels whose news consent is in force; stopping a channel from a notice's link withdraws that
consent for every account, and every guest's order, with the stopped address (a new record,
channel ``link:notice-stop``). A later consent lifts the stop again (``consents._write``).
"""
from ..notifications.models import Channel
from . import consents
from .consents import CHANNEL_OF_PURPOSE

PURPOSE_OF_CHANNEL = {channel: purpose for purpose, channel in CHANNEL_OF_PURPOSE.items()}


def allowed_channels(user) -> set[str]:
    """Return the channels ``user``'s consents in force allow news and offers by."""
    return {str(CHANNEL_OF_PURPOSE[purpose]) for purpose in consents.granted(user)}


def withdraw_for_stop(channel: str, address: str) -> int:
    """Withdraw the news consent for ``channel`` of each account and guest at ``address``, in the
    caller's transaction; return how many records were written (none where it was not in force)."""
    purpose = PURPOSE_OF_CHANNEL[Channel(channel)]
    subjects = consents.accounts_at(channel, address) + consents.guest_orders_at(channel, address)
    return sum(len(consents.withdraw(subject, {purpose}, consents.CHANNEL_STOP_LINK))
               for subject in subjects)
