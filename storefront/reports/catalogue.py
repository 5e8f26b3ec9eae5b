"""The listed catalogue counted by star, group, district and village; producers; sales points.

Each figure is one grouped query over the listing subquery (the listing rule's single home),
never a loop over rows.
"""
from datetime import date

from sqlalchemy import case, distinct, func, literal, select

from ..catalog.models import (
    Outlet, Producer, Product, ReviewStatus, Village, product_outlets,
)
from ..catalog.listing_table import ListingRow, listed_on
from ..extensions import db
from .table import Table


def _listed(today: date):
    """The products listed on ``today``, one row each, from the listing table."""
    return (select(ListingRow.product_id, ListingRow.producer_id, ListingRow.village_id,
                   ListingRow.group, ListingRow.stars)
            .where(*listed_on(today)).subquery("listed"))


def products_by_stars(today: date) -> Table:
    listed = _listed(today)
    rows = db.session.execute(
        select(listed.c.stars, func.count()).group_by(listed.c.stars).order_by(listed.c.stars.desc())
    ).all()
    return Table("products_by_stars", [("stars", "stars"), ("products", "count")], rows)


def products_by_group(today: date) -> Table:
    listed = _listed(today)
    rows = db.session.execute(
        select(listed.c.group, func.count()).group_by(listed.c.group)
        .order_by(func.count().desc(), listed.c.group)
    ).all()
    return Table("products_by_group", [("group", "group"), ("products", "count")], rows)


def products_by_district(today: date) -> Table:
    listed = _listed(today)
    district = func.coalesce(Village.district, literal(""))
    rows = db.session.execute(
        select(district, func.count(), _share_4_5(listed))
        .select_from(listed).join(Village, Village.id == listed.c.village_id)
        .group_by(district).order_by(func.count().desc(), district)
    ).all()
    return Table("products_by_district",
                 [("district", "text"), ("products", "count"), ("share_4_5", "percent")], rows)


def products_by_village(today: date) -> Table:
    listed = _listed(today)
    rows = db.session.execute(
        select(Village.name, Village.district, func.count(), _share_4_5(listed))
        .select_from(listed).join(Village, Village.id == listed.c.village_id)
        .group_by(Village.id, Village.name, Village.district)
        .order_by(func.count().desc(), Village.name)
    ).all()
    return Table("products_by_village", [("village", "text"), ("district", "text"),
                                         ("products", "count"), ("share_4_5", "percent")], rows)


def _share_4_5(listed):
    """The share of 4–5★ among the counted listed products, 0..1."""
    return (func.sum(case((listed.c.stars >= 4, 1), else_=0)) * 1.0
            / func.nullif(func.count(), 0))


def producers_by_kind(today: date) -> Table:
    listed = _listed(today)
    listing_producers = select(distinct(listed.c.producer_id)).scalar_subquery()
    rows = db.session.execute(
        select(Producer.kind, func.count(),
               func.sum(case((Producer.status == ReviewStatus.VERIFIED, 1), else_=0)),
               func.sum(case((Producer.id.in_(listing_producers), 1), else_=0)))
        .group_by(Producer.kind).order_by(Producer.kind)
    ).all()
    return Table("producers_by_kind", [("kind", "kind"), ("producers", "count"),
                                       ("verified", "count"), ("with_listed_products", "count")], rows)


def outlets_by_type_and_district(today: date) -> Table:
    """Active sales points per place type and district, with the listed products they carry."""
    listed = _listed(today)
    district = func.coalesce(Village.district, literal(""))
    carried = (select(product_outlets.c.outlet_id, listed.c.product_id, listed.c.producer_id,
                      listed.c.stars)
               .join(listed, listed.c.product_id == product_outlets.c.product_id).subquery())
    rows = db.session.execute(
        select(Outlet.place_type, district, func.count(distinct(Outlet.id)),
               func.count(distinct(carried.c.product_id)), func.count(distinct(carried.c.producer_id)),
               func.count(distinct(case((carried.c.stars >= 4, carried.c.product_id))))
               * 1.0 / func.nullif(func.count(distinct(carried.c.product_id)), 0))
        .select_from(Outlet).outerjoin(Village, Village.id == Outlet.village_id)
        .outerjoin(carried, carried.c.outlet_id == Outlet.id)
        .where(Outlet.active.is_(True))
        .group_by(Outlet.place_type, district).order_by(Outlet.place_type, district)
    ).all()
    return Table("outlets_by_type_and_district",
                 [("place_type", "place_type"), ("district", "text"), ("outlets", "count"),
                  ("products", "count"), ("producers", "count"), ("share_4_5", "percent")], rows)


def outlets(today: date) -> Table:
    """Each active sales point with the listed products and producers it carries."""
    listed = _listed(today)
    district = func.coalesce(Village.district, literal(""))
    rows = db.session.execute(
        select(Outlet.name, Outlet.place_type, district,
               func.count(listed.c.product_id), func.count(distinct(listed.c.producer_id)),
               func.sum(case((listed.c.stars >= 4, 1), else_=0)) * 1.0
               / func.nullif(func.count(listed.c.product_id), 0))
        .select_from(Outlet).outerjoin(Village, Village.id == Outlet.village_id)
        .outerjoin(product_outlets, product_outlets.c.outlet_id == Outlet.id)
        .outerjoin(listed, listed.c.product_id == product_outlets.c.product_id)
        .where(Outlet.active.is_(True))
        .group_by(Outlet.id, Outlet.name, Outlet.place_type, district)
        .order_by(func.count(listed.c.product_id).desc(), Outlet.name)
    ).all()
    return Table("outlets", [("outlet", "text"), ("place_type", "place_type"), ("district", "text"),
                             ("products", "count"), ("producers", "count"),
                             ("share_4_5", "percent")], rows)


CATALOGUE_TABLES = {
    "products_by_stars": products_by_stars,
    "products_by_group": products_by_group,
    "products_by_district": products_by_district,
    "products_by_village": products_by_village,
    "producers_by_kind": producers_by_kind,
    "outlets_by_type_and_district": outlets_by_type_and_district,
    "outlets": outlets,
}
