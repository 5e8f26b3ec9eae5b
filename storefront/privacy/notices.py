"""Consent records (issue 22) as notices see them: which channels news may go by, and what a stop link ends.

Above both ``privacy`` and ``notifications`` (it imports them; neither imports it): ``wiring.py``
hands these two functions to ``notifications.hooks``. A promotional notice goes only by the
channels whose news consent is in force; stopping a channel from a notice's link withdraws that
consent for every account with the stopped address (a new record, channel ``link:notice-stop``).
"""
from sqlalchemy import func, or_, select

from ..accounts.models import User
from ..extensions import db
from ..notifications.models import Channel
from . import consents
from .models import Purpose

CHANNEL_OF_PURPOSE = {Purpose.NEWS_ZALO: Channel.ZALO, Purpose.NEWS_SMS: Channel.SMS,
                      Purpose.NEWS_EMAIL: Channel.EMAIL}
PURPOSE_OF_CHANNEL = {channel: purpose for purpose, channel in CHANNEL_OF_PURPOSE.items()}


def allowed_channels(user) -> set[str]:
    """Return the channels ``user``'s consents in force allow news and offers by."""
    return {str(CHANNEL_OF_PURPOSE[purpose]) for purpose in consents.granted(user)}


def accounts_at(channel: str, address: str) -> list[User]:
    """Return the accounts a stop link's address belongs to (a phone ``84…``, or an e-mail)."""
    if channel == Channel.EMAIL:
        where = func.lower(User.email) == address.strip().lower()
    else:
        national = "0" + address[2:] if address.startswith("84") else address
        where = or_(User.phone == national, User.phone == address, User.phone == "+" + address)
    return list(db.session.scalars(select(User).where(where).order_by(User.id)))


def withdraw_for_stop(channel: str, address: str) -> int:
    """Withdraw the news consent for ``channel`` of each account at ``address``, in the caller's
    transaction; return how many records were written (none where it was not in force)."""
    purpose = PURPOSE_OF_CHANNEL[Channel(channel)]
    return sum(len(consents.withdraw(user, {purpose}, consents.CHANNEL_STOP_LINK))
               for user in accounts_at(channel, address))
