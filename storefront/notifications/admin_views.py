"""Admins: every delivery by state, with the provider's answer, and a retry for failed ones."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..unit_of_work import on_commit, transaction
from ..web.admin import bp
from . import dispatch, queries
from .labels import CHANNEL_LABELS, EVENT_LABELS, STATUS_LABELS
from .models import DeliveryStatus, NoticeDelivery


@bp.get("/notifications", endpoint="notifications")
def notifications_page():
    state = request.args.get("state") or DeliveryStatus.FAILED
    if state not in set(DeliveryStatus):
        state = DeliveryStatus.FAILED
    return render_template("notifications/admin.html", state=state, counts=queries.counts(),
                           deliveries=queries.deliveries_in(state), states=list(DeliveryStatus),
                           channel_labels=CHANNEL_LABELS, status_labels=STATUS_LABELS,
                           event_labels=EVENT_LABELS)


@bp.post("/notifications/<int:delivery_id>/retry", endpoint="retry_notification")
def retry_notification(delivery_id: int):
    with transaction():
        delivery = db.get_or_404(NoticeDelivery, delivery_id)
        if delivery.status != DeliveryStatus.FAILED:
            flash(_("Chỉ gửi lại được tin đã không gửi được."), "error")
            return redirect(url_for("admin.notifications"), 303)
        again = dispatch.retry(delivery)
        if again is not None:
            on_commit(lambda: dispatch.hand_over(again))
    if again is None:
        flash(_("Không còn kênh nào để gửi tin này (người nhận đã tắt hoặc không có)."), "error")
    else:
        flash(_("Đã xếp tin để gửi lại qua %(channel)s.", channel=CHANNEL_LABELS[again.channel]),
              "success")
    return redirect(url_for("admin.notifications", state=DeliveryStatus.FAILED), 303)
