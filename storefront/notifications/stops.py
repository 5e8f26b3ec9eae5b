"""Stopping a channel from a link: every notice to that phone or address then skips it.

The link carries the channel and the address, signed with ``SECRET_KEY`` (it never expires: a
shopper may stop a channel from an old order). Notices then go by the next channel; e-mails that
are not notices (password resets, account mails) are not affected. Stopping a channel also
withdraws the news consent for it (issue 22's records) of the accounts with that address.
"""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..unit_of_work import transaction
from . import hooks
from .models import Channel, ChannelStop
from .routing import international

_SALT = "channel-stop"


class BadStopLink(Exception):
    """The link was not made by the shop (or was cut short)."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def stop_token(channel: str, address: str) -> str:
    return _serializer().dumps([str(channel), address])


def stop_tokens(phone: str | None, email: str | None) -> dict[str, str]:
    """Return {channel: token} for the channels these addresses can be reached on."""
    tokens = {}
    phone = international(phone)
    if phone:
        tokens[Channel.ZALO] = stop_token(Channel.ZALO, phone)
        tokens[Channel.SMS] = stop_token(Channel.SMS, phone)
    if email:
        tokens[Channel.EMAIL] = stop_token(Channel.EMAIL, email.lower())
    return tokens


def read(token: str) -> tuple[str, str]:
    """Return (channel, address) from a stop link.

    :raises BadStopLink: the shop did not sign it.
    """
    try:
        channel, address = _serializer().loads(token)
        return Channel(channel), str(address)
    except (BadSignature, ValueError, TypeError) as error:
        raise BadStopLink(str(error)) from None


def is_stopped(channel: str, address: str) -> bool:
    return db.session.scalars(db.select(ChannelStop.id).filter_by(
        channel=channel, address=address)).first() is not None


def stop(channel: str, address: str) -> int:
    """Record that ``address`` stops ``channel`` (once; stopping again changes nothing).

    In the same transaction, the news consent for that channel of every account with that
    address is withdrawn (``hooks.channel_stopped``; again if it was given again since).
    Returns how many consents were withdrawn.
    """
    with transaction():
        if not is_stopped(channel, address):
            db.session.add(ChannelStop(channel=channel, address=address))
        return hooks.channel_stopped(channel, address)
