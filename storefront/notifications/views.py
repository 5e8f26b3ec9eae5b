"""Stopping a channel from a link (shown on the order page): a page that asks, then a POST."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..web.shop import bp
from . import stops
from .labels import CHANNEL_LABELS


@bp.route("/notifications/stop/<token>", methods=["GET", "POST"], endpoint="stop_channel")
def stop_channel(token: str):
    """Ask, then stop one channel for one phone or address (a GET never changes anything); once
    stopped, the same link turns it back on: only who received a message there holds the link."""
    try:
        channel, address = stops.read(token)
    except stops.BadStopLink:
        abort(404)
    if request.method == "POST" and request.form.get("action") == "resume":
        if stops.resume(channel, address):
            flash(_("Đã bật lại %(channel)s: thông báo đơn hàng lại đi qua kênh này. Tin mới và ưu đãi "
                    "chỉ đến khi bạn đồng ý lại.", channel=CHANNEL_LABELS[channel]), "success")
        return redirect(url_for("shop.stop_channel", token=token), 303)
    if request.method == "POST":
        withdrawn = stops.stop(channel, address)
        flash(_("Đã tắt %(channel)s: các thông báo sẽ đi qua kênh khác.",
                channel=CHANNEL_LABELS[channel]), "success")
        if withdrawn:
            flash(_("Đồng ý nhận tin mới và ưu đãi qua %(channel)s cũng đã được rút lại.",
                    channel=CHANNEL_LABELS[channel]), "info")
        return redirect(url_for("shop.stop_channel", token=token), 303)
    return render_template("notifications/stop.html", channel=channel, token=token,
                           label=CHANNEL_LABELS[channel], stopped=stops.is_stopped(channel, address),
                           shown=_masked(channel, address))


def _masked(channel: str, address: str) -> str:
    """Return the address with most of it hidden (the link may be forwarded)."""
    if channel == "email":
        name, _sep, domain = address.partition("@")
        return f"{name[:2]}…@{domain}"
    return f"0{address[2:4]}… {address[-3:]}"
