"""Admin upkeep of villages and outlets."""
import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..slugs import unique_slug
from ..catalog.models import Outlet, PlaceType, Producer, Product, Village
from ..catalog.search import refresh_search_text
from ..unit_of_work import transaction
from ..extensions import db
from .services import AdminError, require_admin

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VILLAGE_FIELDS = ("name", "name_en", "commune", "district", "craft_vi", "craft_en",
                  "description_vi", "description_en")
OUTLET_FIELDS = ("name", "name_en", "place_type", "address", "village_id", "opening_hours",
                 "opening_hours_en", "phone", "latitude", "longitude", "active")


class PlaceError(AdminError):
    """A village or outlet cannot be saved as given."""


def all_villages() -> list[Village]:
    return list(db.session.scalars(select(Village).order_by(Village.name)))


def all_outlets() -> list[Outlet]:
    return list(db.session.scalars(
        select(Outlet).options(joinedload(Outlet.village)).order_by(Outlet.name)))


def _slug_for(model, record, wanted: str | None, name: str) -> str:
    """Return the slug to store: the one asked for if free, else one made from the name.

    :raises PlaceError: the slug asked for is malformed or taken.
    """
    wanted = (wanted or "").strip().lower()
    if not wanted:
        return record.slug if record is not None and record.slug else unique_slug(model, name)
    if not SLUG.match(wanted):
        raise PlaceError(_("Đường dẫn chỉ gồm chữ thường không dấu, số và dấu gạch ngang."),
                         field="slug")
    query = select(model.id).where(model.slug == wanted)
    if record is not None and record.id is not None:
        query = query.where(model.id != record.id)
    if db.session.scalar(query) is not None:
        raise PlaceError(_("Đường dẫn “%(slug)s” đã được dùng.", slug=wanted), field="slug")
    return wanted


def _clean(values: dict, names) -> dict:
    """Keep only ``names``, with blank strings stored as NULL."""
    cleaned = {}
    for name in names:
        value = values.get(name)
        cleaned[name] = (value.strip() or None) if isinstance(value, str) else value
    return cleaned


def save_village(village: Village | None, *, by: User, values: dict) -> Village:
    """Create (``village`` None) or update a village; a renamed village's products are re-indexed.

    :raises PlaceError: missing name, or a malformed or taken slug.
    """
    require_admin(by)
    fields = _clean(values, VILLAGE_FIELDS)
    if not fields["name"]:
        raise PlaceError(_("Vui lòng nhập tên làng nghề."), field="name")
    slug = _slug_for(Village, village, values.get("slug"), fields["name"])
    with transaction():
        if village is None:
            village = Village()
            db.session.add(village)
        renamed = village.id is not None and (village.name, village.name_en) != (
            fields["name"], fields["name_en"])
        for name, value in fields.items():
            setattr(village, name, value)
        village.slug = slug
        if renamed:
            refresh_search_text(products_in_village(village))
    return village


def products_in_village(village: Village) -> list[Product]:
    """Return every product whose producer is in ``village`` (their search text names it)."""
    query = select(Product).join(Producer).where(Producer.village_id == village.id)
    return list(db.session.scalars(query))


def _check_outlet(fields: dict) -> None:
    """Refuse an outlet without name or address, an unknown type, or half or impossible coordinates."""
    if not fields["name"]:
        raise PlaceError(_("Vui lòng nhập tên điểm bán."), field="name")
    if not fields["address"]:
        raise PlaceError(_("Vui lòng nhập địa chỉ."), field="address")
    if fields["place_type"] not in set(PlaceType):
        raise PlaceError(_("Loại điểm bán không hợp lệ."), field="place_type")
    lat, lon = fields["latitude"], fields["longitude"]
    if (lat is None) != (lon is None):
        raise PlaceError(_("Nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai."), field="latitude")
    if lat is not None and not -90 <= lat <= 90:
        raise PlaceError(_("Vĩ độ phải nằm trong khoảng -90 đến 90."), field="latitude")
    if lon is not None and not -180 <= lon <= 180:
        raise PlaceError(_("Kinh độ phải nằm trong khoảng -180 đến 180."), field="longitude")
    if fields["village_id"] is not None and db.session.get(Village, fields["village_id"]) is None:
        raise PlaceError(_("Làng nghề không tồn tại."), field="village_id")


def save_outlet(outlet: Outlet | None, *, by: User, values: dict) -> Outlet:
    """Create (``outlet`` None) or update a sales point.

    :raises PlaceError: see ``_check_outlet``; or a malformed or taken slug.
    """
    require_admin(by)
    fields = _clean(values, OUTLET_FIELDS)
    fields["village_id"] = fields["village_id"] or None
    fields["active"] = bool(fields["active"])
    _check_outlet(fields)
    slug = _slug_for(Outlet, outlet, values.get("slug"), fields["name"])
    with transaction():
        if outlet is None:
            outlet = Outlet()
            db.session.add(outlet)
        for name, value in fields.items():
            setattr(outlet, name, value)
        outlet.slug = slug
    return outlet
