"""The offline counter's routes in the outlet area: the service worker, the web app manifest, the
page the worker shows with no network, the day's data for the device, and the replay of what it
queued offline, hand-overs and wrong codes (JSON, with the CSRF token in ``X-CSRFToken``)."""
import hashlib
import re
import uuid
from datetime import datetime, timezone
from pathlib import Path

from flask import (
    current_app, get_flashed_messages, jsonify, make_response, render_template, request,
    session, url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..assets import asset_url
from ..i18n import current_language, format_day, format_moment, format_vnd
from ..orders.models import LINE_STATUS_LABELS, PICKUP_STATUS_LABELS
from ..outlets.pages import staff_outlet
from ..timeutil import local_today, utcnow
from ..web.outlet import bp, camera_allowed
from . import services
from .models import ReplayOutcome as R, WrongCodeOutcome as W

ROOT = Path(__file__).resolve().parents[2]
# The files the offline page is made of: a change to any of them is a new revision of it.
SHELL_SOURCES = ("templates/counter/shell.html", "templates/counter/_i18n.html",
                 "templates/outlets/layout.html", "templates/base.html", "templates/_header.html")
# What the worker keeps beside the offline page (fingerprinted URLs: their name is their revision).
SHELL_ASSETS = ("app.css", "staff.css", "app.js", "counter.js", "scanner.js", "jsqr.js",
                "icons/favicon.svg", "icons/icon-192.png")


@bp.get("/sw.js")
def service_worker():
    """The counter's service worker (scope ``/outlet/``), written for this staff member's language."""
    body = render_template("counter/sw.js", shell_url=url_for(".counter_shell"),
                           shell_revision=_shell_revision(),
                           assets=[asset_url(name) for name in SHELL_ASSETS],
                           workbox=url_for("static", filename="vendor/workbox/"),
                           no_offline=[url_for(".service_worker"), url_for(".counter_manifest"),
                                       url_for(".counter_sync")])
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Service-Worker-Allowed"] = url_for(".index")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _shell_revision() -> str:
    digest = hashlib.sha256(current_language().encode())
    for name in SHELL_SOURCES:
        path = ROOT / name
        digest.update(path.read_bytes() if path.exists() else b"")
    for name in SHELL_ASSETS:
        digest.update(asset_url(name).encode())
    for catalog in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.mo")):
        digest.update(str(catalog.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:16]


@bp.get("/manifest.webmanifest")
def counter_manifest():
    """The installable counter: its own app, scoped to the outlet pages."""
    home = url_for(".index")
    response = jsonify({
        "id": home, "start_url": home, "scope": home, "display": "standalone",
        "name": _("Quầy OCOP — giao hàng"), "short_name": _("Quầy OCOP"),
        "description": _("Đơn nhận hàng trong ngày của điểm bán, giao hàng cả khi mất mạng."),
        "lang": current_language(), "background_color": "#ffffff", "theme_color": "#0f5132",
        "icons": [
            {"src": asset_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": asset_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": asset_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    })
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/counter")
@camera_allowed
def counter_shell():
    """The page the service worker shows for a counter page when there is no network.

    It holds no one's data (counter.js fills it from the device's store) and leaves the flashed
    messages to the next real page: the worker fetches it in the background.
    """
    waiting = session.get("_flashes")
    html = render_template("counter/shell.html", outlet=None)
    get_flashed_messages()
    if waiting:
        session["_flashes"] = waiting
    return html


@bp.get("/counter/sync")
def counter_sync():
    """The day's data for the device, with a fresh CSRF token for the replay that may follow."""
    outlet, today, now = staff_outlet(), local_today(), utcnow()
    data = services.snapshot(current_user, outlet, today, now)
    response = jsonify({
        "owner": owner_key(), "day": data["day"], "key": data["key"], "rounds": data["rounds"],
        "synced_at": now.isoformat() + "Z", "synced_text": format_moment(now),
        "csrf_token": generate_csrf(), "outlet": outlet.display_name,
        "pickups": [_pickup_json(entry, data["locked"]) for entry in data["entries"]],
        "check_ins": data["check_ins"],
        "max_tries": current_app.config["PICKUP_CODE_MAX_TRIES"],
    })
    response.headers["Cache-Control"] = "private, no-store"
    return response


def owner_key() -> str:
    """Whose data a device store holds: one store per staff member and outlet."""
    return f"u{current_user.id}-o{current_user.outlet_id}"


def _pickup_json(entry: services.PickupEntry, locked: set) -> dict:
    pickup, order = entry.pickup, entry.pickup.order
    lines = [line for line in pickup.lines if line.status != "cancelled"]
    return {
        "id": pickup.id, "number": order.number, "name": order.name, "phone": order.phone,
        "status": pickup.status, "status_text": str(PICKUP_STATUS_LABELS[pickup.status]),
        "day": pickup.pickup_day.isoformat() if pickup.pickup_day else None,
        "day_text": format_day(pickup.pickup_day) if pickup.pickup_day else "",
        "kind": entry.kind, "due": entry.due, "due_text": format_vnd(entry.due) if entry.due else "",
        "code_hash": entry.code_hash, "failed_tries": pickup.failed_code_attempts or 0,
        "locked_until": (pickup.code_locked_until.isoformat() + "Z") if pickup.id in locked else None,
        "lines": [{"id": line.id, "name": line.product_name, "unit": line.unit,
                   "quantity": line.quantity, "status": line.status,
                   "status_text": str(LINE_STATUS_LABELS[line.status])} for line in lines],
        "url": url_for(".pickup", pickup_id=pickup.id),
    }


# --- replay ------------------------------------------------------------------------------------

@bp.post("/counter/hand-overs")
def counter_replay():
    """Apply one hand-over queued on the device, or count one wrong code typed on it
    (``"kind": "wrong_code"``); the CSRF token in ``X-CSRFToken``, checked by CSRFProtect before
    this runs. Always 200 with the outcome, unless the body is malformed."""
    body = request.get_json(silent=True)
    if isinstance(body, dict) and body.get("kind") == "wrong_code":
        return _replay_wrong_code(body)
    item = _queued(body)
    if item is None:
        return jsonify({"error": "malformed"}), 400
    row, replayed = services.replay(current_user, staff_outlet(), item)
    message, advice = _explain(row, item)
    return jsonify({"client_id": row.client_id, "outcome": row.outcome,
                    "confirmed": row.outcome == R.CONFIRMED, "replayed": replayed,
                    "message": message, "advice": advice})


def _replay_wrong_code(body: dict):
    try:
        item = services.QueuedWrongCode(client_id=str(uuid.UUID(str(body.get("client_id")))),
                                        pickup_id=int(body["pickup_id"]),
                                        tried_at=_moment(body.get("tried_at")))
    except (KeyError, TypeError, ValueError):
        return jsonify({"error": "malformed"}), 400
    row, replayed = services.count_wrong_code(current_user, staff_outlet(), item)
    return jsonify({"client_id": row.client_id, "kind": "wrong_code", "outcome": row.outcome,
                    "counted": row.outcome == W.COUNTED, "locked": row.locked_until is not None,
                    "replayed": replayed, "message": _explain_wrong_code(row), "advice": ""})


def _explain_wrong_code(row) -> str:
    if row.outcome == W.NOT_FOUND:
        return _("Không có đơn này ở điểm bán của bạn.")
    if row.outcome == W.NOT_COUNTED:
        return _("Đơn đã được giao hoặc đã đóng: lần nhập sai mã này không còn được tính.")
    if row.locked_until is not None:
        return _("Máy chủ đã ghi nhận lần nhập sai mã này: đơn bị khoá sau %(n)s lần nhập sai mã.",
                 n=current_app.config["PICKUP_CODE_MAX_TRIES"])
    return _("Máy chủ đã ghi nhận lần nhập sai mã này.")


def _queued(body) -> services.QueuedHandOver | None:
    if not isinstance(body, dict):
        return None
    try:
        client_id = str(uuid.UUID(str(body.get("client_id"))))
        pickup_id = int(body["pickup_id"])
        code = str(body.get("code") or "")
        lines = tuple(int(n) for n in body.get("lines") or ())
        amount = body.get("amount")
        amount = int(amount) if amount not in (None, "") else None
        queued_at = _moment(body.get("queued_at"))
    except (KeyError, TypeError, ValueError):
        return None
    collected = body.get("collected") or None
    if collected not in (None, "cash", "transfer") or len(code) > 20 or len(lines) > 200:
        return None
    return services.QueuedHandOver(client_id=client_id, pickup_id=pickup_id, code=code,
                                   partial=bool(body.get("partial")), lines=lines,
                                   collected=collected, amount=amount, queued_at=queued_at)


def _moment(value) -> datetime | None:
    if not value or not isinstance(value, str) or not re.fullmatch(r"[\d:.TZ+-]{10,35}", value):
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))  # ValueError: malformed
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _explain(row, item: services.QueuedHandOver) -> tuple[str, str]:
    """Return what happened and what the staff should do now, in their language."""
    took = format_vnd(item.amount) if item.collected and item.amount else None
    give_back = " " + _("Trả lại khách %(amount)s đã thu.", amount=took) if took else ""
    goods_back = _("Lấy lại hàng từ khách.") + give_back
    outcome = R(row.outcome)
    if outcome == R.CONFIRMED:
        return _("Đã xác nhận: máy chủ đã ghi nhận lần giao hàng này."), ""
    if outcome == R.LOCKED and row.detail:  # wrong codes replayed from counter devices locked it
        return (_("Đơn bị khoá sau %(n)s lần nhập sai mã: kiểm tra giấy tờ tuỳ thân của khách, "
                  "rồi giao lại khi đơn hết khoá.", n=row.detail),
                goods_back + " " + _("Đơn tự hết khoá sau 15 phút; giao lại trên trang đơn khi có "
                                     "mạng."))
    if outcome == R.AMOUNT_CHANGED:
        due = format_vnd(int(row.detail or 0))
        return (_("Số tiền cần thu đã thay đổi: bây giờ là %(amount)s.", amount=due),
                _("Lấy lại hàng, đối chiếu tiền với khách rồi giao lại trên trang đơn khi có mạng."))
    reasons = {
        R.ALREADY_COLLECTED: (_("Đơn này đã được giao ở nơi khác (máy khác hoặc trang quầy)."),
                              _("Lấy lại hàng nếu khách đã nhận đơn này trước đó.") + give_back),
        R.CANCELLED: (_("Đơn đã bị huỷ trong lúc máy mất mạng: không được giao."), goods_back),
        R.REFUNDED: (_("Đơn đã bị huỷ và hoàn tiền trong lúc máy mất mạng."), goods_back),
        R.NO_SHOW: (_("Đơn đã quá hạn nhận và được đóng lại."), goods_back),
        R.CODE_CHANGED: (_("Mã nhận hàng của đơn đã thay đổi: máy chủ không nhận mã đã nhập."),
                         goods_back + " " + _("Giao lại khi có mạng, với mã khách đang có.")),
        R.LOCKED: (_("Đơn đang tạm khoá vì nhập sai mã quá nhiều lần."),
                   goods_back + " " + _("Giao lại sau 15 phút, khi có mạng.")),
        R.LINES_CHANGED: (_("Các sản phẩm của đơn đã thay đổi kể từ lần giao một phần này."),
                          _("Kiểm tra khách đã nhận những gì, rồi giao lại trên trang đơn khi có "
                            "mạng.")),
        R.NOT_READY: (_("Đơn chưa ở trạng thái giao được."), goods_back),
        R.NOT_FOUND: (_("Không có đơn này ở điểm bán của bạn."), goods_back),
    }
    return reasons[outcome]
