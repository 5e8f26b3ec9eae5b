"""The shopper's pages: cancel or move a booking of their order, join a full session's waitlist, an
offer (its held seats into the cart, or declined)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..bookings import cart as booking_cart, current as booking_current
from ..bookings.seats import SessionFull
from ..experiences import queries as experience_queries
from ..experiences.models import ExperienceSession
from ..extensions import db
from ..i18n import current_language, format_clock, format_moment
from ..orders.viewing import actor, viewed_order
from ..web.shop import bp
from . import services, waitlist
from .forms import CancelBookingForm, MoveBookingForm, OfferForm, WaitlistForm
from .services import BookingChangeError


def _booking(number: str, booking_id: int):
    order, _token = viewed_order(number)
    booking = services.booking_of(order, booking_id)
    if booking is None:
        abort(404)
    return order, booking


def _describe(session) -> str:
    return _("%(start)s–%(end)s, còn %(left)d chỗ", start=format_moment(session.starts_at),
             end=format_clock(session.ends_at), left=session.seats_left)


@bp.get("/orders/<number>/bookings/<int:booking_id>/change", endpoint="change_booking")
def change(number: str, booking_id: int):
    order, booking = _booking(number, booking_id)
    move_form = MoveBookingForm().offer(services.sessions_to_move_to(booking), _describe)
    return render_template("booking_changes/change.html", order=order, booking=booking,
                           deadline=services.change_deadline(booking), may_change=services.may_change(booking),
                           cancel_form=CancelBookingForm(), move_form=move_form)


@bp.post("/orders/<number>/bookings/<int:booking_id>/cancel", endpoint="cancel_booking")
def cancel(number: str, booking_id: int):
    _order, booking = _booking(number, booking_id)
    if not CancelBookingForm().validate_on_submit():
        abort(400)
    try:
        services.cancel_booking(booking, by=actor())
    except BookingChangeError as error:
        flash(error.message, "error")
        return redirect(url_for("shop.change_booking", number=number, booking_id=booking_id), 303)
    flash(_("Đã huỷ đặt chỗ %(title)s.", title=booking.experience_name), "success")
    return redirect(url_for("shop.order", number=number), 303)


@bp.post("/orders/<number>/bookings/<int:booking_id>/move", endpoint="move_booking")
def move(number: str, booking_id: int):
    _order, booking = _booking(number, booking_id)
    form = MoveBookingForm().offer(services.sessions_to_move_to(booking), _describe)
    if not form.validate_on_submit():
        flash(_("Hãy chọn một buổi khác còn mở đặt chỗ của cùng trải nghiệm."), "error")
    else:
        try:
            services.move_booking(booking, form.session_id.data, by=actor())
        except (BookingChangeError, SessionFull) as error:
            flash(error.message, "error")
        else:
            flash(_("Đã chuyển sang buổi %(start)s.", start=format_moment(booking.session.starts_at)),
                  "success")
            return redirect(url_for("shop.order", number=number), 303)
    return redirect(url_for("shop.change_booking", number=number, booking_id=booking_id), 303)


def _full_session(slug: str, session_id: int) -> ExperienceSession:
    page = experience_queries.detail(slug)
    session = db.session.get(ExperienceSession, session_id)
    if session is None or session.experience_id != page.experience.id:
        abort(404)
    return session


@bp.route("/experiences/<slug>/sessions/<int:session_id>/waitlist", methods=["GET", "POST"],
          endpoint="join_waitlist")
def join(slug: str, session_id: int):
    session = _full_session(slug, session_id)
    form = WaitlistForm()
    if current_user.is_authenticated and not form.is_submitted():
        form.name.data, form.email.data = current_user.name, current_user.email
    if form.validate_on_submit():
        contact = waitlist.Contact(name=form.name.data, email=form.email.data or None,
                                   phone=form.phone.data or None, locale=current_language(),
                                   user=current_user._get_current_object() if current_user.is_authenticated else None)
        try:
            entry = waitlist.join(session, contact, form.seats.data)
        except waitlist.WaitlistError as error:
            flash(error.message, "error")
        else:
            flash(_("Bạn đứng thứ %(n)d trong danh sách chờ. Chúng tôi sẽ báo khi có chỗ.",
                    n=waitlist.position(entry)), "success")
            return redirect(url_for("shop.experience", slug=slug), 303)
    return render_template("booking_changes/waitlist.html", session=session,
                           experience=session.experience, form=form), 200 if not form.errors else 400


def _may_claim(entry) -> bool:
    """An offer made to an account is booked signed in as it; a guest's by whoever has the link."""
    return entry.user_id is None or (current_user.is_authenticated and current_user.id == entry.user_id)


def _offer_page(entry, status=200):
    return render_template("booking_changes/offer.html", entry=entry, session=entry.session,
                           experience=entry.session.experience, problem=None,
                           held=entry.hold.seats if entry.hold is not None else 0,
                           may_claim=_may_claim(entry)), status


def _gone(error):
    return render_template("booking_changes/offer.html", entry=None, problem=error.message,
                           booked=isinstance(error, waitlist.OfferBooked)), 410


@bp.get("/w/<token>", endpoint="waitlist_short_link")
def offer_short_link(token: str):
    """The offer's link as an SMS carries it (one message holds no longer address)."""
    return redirect(url_for("shop.waitlist_offer", token=token), 302)


@bp.get("/experiences/waitlist/<token>", endpoint="waitlist_offer")
def offer(token: str):
    """The offer link: the seats held, a form to book them, and a way to decline."""
    try:
        entry = waitlist.offered_entry(token)
    except waitlist.OfferNotValid as error:
        return _gone(error)
    if _may_claim(entry):
        booking_current.remember_hold(entry.session_id, token)
    return _offer_page(entry)


@bp.post("/experiences/waitlist/<token>/book", endpoint="book_waitlist_offer")
def book_offer(token: str):
    """Put the held seats' tickets in the cart: up to the seats held (and any free ones besides)."""
    try:
        entry = waitlist.offered_entry(token)
    except waitlist.OfferNotValid as error:
        return _gone(error)
    if not OfferForm().validate_on_submit():
        abort(400)
    if not _may_claim(entry):
        flash(_("Lời mời này dành cho tài khoản đã vào danh sách chờ: hãy đăng nhập bằng tài khoản đó."),
              "error")
        return redirect(url_for("shop.login", next=url_for("shop.waitlist_offer", token=token)), 303)
    quantities = {key.removeprefix("pt-"): request.form.get(key, type=int) or 0
                  for key in request.form if key.startswith("pt-")}
    bookings = booking_current.current_bookings()
    try:
        booking_cart.add(bookings, entry.session_id, quantities, held=entry.hold.seats if entry.hold else 0)
    except (booking_cart.BookingCartError, ValueError) as error:
        flash(str(error) if isinstance(error, booking_cart.BookingCartError) else _("Vui lòng chọn lại."),
              "error")
        return redirect(url_for("shop.waitlist_offer", token=token), 303)
    booking_current.keep(bookings)
    booking_current.remember_hold(entry.session_id, token)
    flash(_("Đã thêm “%(title)s” vào giỏ hàng. Chỗ được giữ cho bạn đến %(when)s: hãy đặt trước giờ đó.",
            title=entry.session.experience.title, when=format_moment(entry.offer_expires_at)), "success")
    return redirect(url_for("shop.cart"), 303)


@bp.route("/experiences/waitlist/<token>/decline", methods=["GET", "POST"], endpoint="decline_waitlist_offer")
def decline_offer(token: str):
    """Decline the offer (the mail's link asks first: a link opened by a mail scanner changes nothing)."""
    try:
        entry = waitlist.offered_entry(token)
    except waitlist.OfferNotValid as error:
        return _gone(error)
    form = OfferForm()
    if not form.validate_on_submit():
        return render_template("booking_changes/decline.html", entry=entry, session=entry.session,
                               experience=entry.session.experience, form=form,
                               held=entry.hold.seats if entry.hold is not None else 0)
    try:
        waitlist.decline(token)
    except waitlist.OfferNotValid as error:
        return _gone(error)
    flash(_("Bạn đã từ chối lời mời. Chỗ được chuyển cho người tiếp theo trong danh sách chờ."), "success")
    return redirect(url_for("shop.experience", slug=entry.session.experience.slug), 303)
