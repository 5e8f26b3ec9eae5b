"""The shop's booking pages: put a session's tickets in the cart, drop them, and a ticket's .ics."""
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..catalog.links import absolute_url
from ..orders.codes import link_key
from ..orders.links import order_url
from ..orders.viewing import viewed_order
from ..web.shop import bp
from . import calendar_file, cart, tickets
from .current import claims_now, current_bookings, keep, lines_now
from .models import BOOKING_STATUS_LABELS, BookingStatus

TICKET_SHOWN = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


@bp.post("/experiences/<slug>/book", endpoint="book_session")
def book(slug: str):
    quantities = {key.removeprefix("pt-"): request.form.get(key, type=int) or 0
                  for key in request.form if key.startswith("pt-")}
    bookings, session_id = current_bookings(), request.form.get("session_id", type=int) or 0
    claim = claims_now().get(session_id)  # seats a waitlist offer holds for this shopper
    try:
        line = cart.add(bookings, session_id, quantities, held=claim.hold.seats if claim else 0)
    except (cart.BookingCartError, ValueError) as error:
        flash(str(error) if isinstance(error, cart.BookingCartError) else _("Vui lòng chọn lại."), "error")
        return redirect(url_for("shop.experience", slug=slug, _anchor="sessions"), 303)
    keep(bookings)
    flash(_("Đã thêm “%(title)s” vào giỏ hàng.", title=line.experience.title), "success")
    return redirect(url_for("shop.cart"), 303)


@bp.post("/cart/bookings/<int:session_id>/remove", endpoint="cart_remove_booking")
def remove(session_id: int):
    bookings = current_bookings()
    cart.remove(bookings, session_id)
    keep(bookings)
    return redirect(url_for("shop.cart"), 303)


@bp.get("/orders/<number>/bookings/<int:booking_id>.ics", endpoint="booking_ics")
def ics(number: str, booking_id: int):
    order, _token = viewed_order(number)
    booking = next((b for b in order.bookings if b.id == booking_id), None)
    if booking is None or booking.status not in TICKET_SHOWN:
        abort(404)
    body = calendar_file.ics_of(booking, order_url=order_url(order, private=True),
                                host=request.host.split(":")[0])
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{order.number}-{booking.id}.ics"',
                             "Cache-Control": "private, no-store"})


def ticket_code_of(booking) -> str | None:
    """Template helper: the ticket's code, only while it is valid (confirmed, not yet used)."""
    return tickets.code_to_show(booking) if booking.status == BookingStatus.CONFIRMED else None


def ticket_calendar_url(booking) -> str:
    """Template helper: the .ics link under the order's private link (opens in any browser)."""
    return absolute_url("shop.booking_ics", number=booking.order.number, booking_id=booking.id,
                        t=link_key(booking.order))


@bp.record_once
def _register_helpers(state) -> None:
    state.app.jinja_env.globals.update(ticket_code_of=ticket_code_of,
                                       ticket_calendar_url=ticket_calendar_url,
                                       booking_cart_lines=lines_now,
                                       BOOKING_STATUS_LABELS=BOOKING_STATUS_LABELS)
