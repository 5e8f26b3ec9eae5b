"""Stopping a channel from a link: every notice to that phone or address then skips it.

The link carries the channel and the address, signed with ``SECRET_KEY`` (it never expires: a
shopper may stop a channel from an old order). Notices then go by the next channel; e-mails that
are not notices (password resets, account mails) are not affected. Stopping a channel also
withdraws the news consent for it (issue 22's records) of the accounts with that address.

A stop holds until the address's owner lifts it: from the stop link itself (``resume``: only who
received a message there has it), or by ticking the news box for an account's own confirmed
e-mail (``lift``, called by the consent records). A box ticked for a phone or an unconfirmed
address proves nothing about who owns it, so it lifts nothing. The stop row stays, with when and
by what it was lifted; stopping again afterwards writes a new one. So the order of events
decides: stop → turned back on → stop leaves the channel stopped.
"""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import hooks
from .models import Channel, ChannelStop
from .routing import international, open_stops

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


def _open_stop(channel: str, address: str, lock: bool = False) -> ChannelStop | None:
    """Return the stop in force; ``lock``: held until the commit, so a stop and a lift racing for
    the same pair take turns (PostgreSQL re-reads a row lifted meanwhile, and a stop then is new)."""
    query = open_stops().filter_by(channel=channel, address=address)
    return db.session.scalars(query.with_for_update() if lock else query).first()


def is_stopped(channel: str, address: str) -> bool:
    return _open_stop(channel, address) is not None


def lift(channel: str, address: str, by: str) -> bool:
    """Lift the stop in force for ``channel`` at ``address``, in the caller's transaction: the
    person consented again to news by it (``by``: "consent:<record id>"). Tells whether one was."""
    stop_row = _open_stop(channel, address, lock=True)
    if stop_row is None:
        return False
    stop_row.lifted_at, stop_row.lifted_by = utcnow(), by
    db.session.flush()  # before a stop of the same pair can be written in this transaction
    return True


def resume(channel: str, address: str) -> bool:
    """Lift the stop in force from the stop link itself (its own transaction): the link reached only
    the person at that address, so it proves the address is theirs, which a box ticked at checkout
    does not. Order notices take the channel again; news needs a new consent. Tells whether a
    stop was lifted (False: none was in force, say the other tap of a double tap lifted it)."""
    with transaction():
        return lift(channel, address, by="link:notice-resume")


def stop(channel: str, address: str) -> int:
    """Record that ``address`` stops ``channel`` (once while in force; stopping again changes
    nothing until a later consent lifts it, then it is a new stop).

    In the same transaction, the news consent for that channel of every account and guest order
    with that address is withdrawn (``hooks.channel_stopped``; again if it was given again since).
    Returns how many consents were withdrawn.
    """
    with transaction():
        if _open_stop(channel, address, lock=True) is None:
            try:
                with db.session.begin_nested():
                    db.session.add(ChannelStop(channel=channel, address=address))
            except IntegrityError:
                pass  # the same link tapped twice at once: the other tap wrote the stop
        return hooks.channel_stopped(channel, address)
