"""Shared pieces of the privacy and complaint tests: a shop with an order, mail through real SMTP."""
import io

from PIL import Image

from storefront.extensions import db
from storefront.notifications.mailer import send_pending
from storefront.orders.codes import link_key
from tests.support.factories import AdminFactory, OutletFactory, ProductFactory, StaffUserFactory
from tests.support.order_builder import place_split


def use_mail_server(app, port: int) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5)


def deliver(smtp_server) -> dict[str, list]:
    """Send the outbox through the real SMTP server; return the messages by recipient."""
    already = len(smtp_server.envelopes)
    send_pending()
    found: dict[str, list] = {}
    for envelope, message in list(zip(smtp_server.envelopes, smtp_server.messages))[already:]:
        for address in envelope.rcpt_tos:
            found.setdefault(address, []).append(message)
    return found


def text_of(message) -> str:
    return message["Subject"] + "\n" + message.get_body(("plain",)).get_content()


def jpeg(width=64, height=48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def shop_with_order(*, status="collected", user=None, email="khach@example.com", **options):
    """An outlet with staff, an admin, another outlet's staff, and one order collected there."""
    outlet = OutletFactory(name="Điểm Bát Tràng")
    staff = StaffUserFactory(outlet=outlet, email="staff@example.com")
    other = StaffUserFactory(outlet=OutletFactory(name="Điểm khác"), email="other@example.com")
    admin = AdminFactory(email="admin@example.com")
    vase = ProductFactory(name_vi="Bình gốm men lam", price=150_000, stock=5, outlets=[outlet])
    order = place_split({outlet: [(vase, 2)]}, status=status, email=email, **options)
    if user is not None:
        order.user_id = user.id
        db.session.commit()
    return outlet, staff, other, admin, order


def guest_link(order) -> str:
    """The private link every mail carries: it opens the order for a guest."""
    return f"/orders/{order.number}?t={link_key(order)}"
