"""``/admin/reports``: the coordinators' figures, each table also as CSV."""
from datetime import date

from flask import Response, abort, render_template, request
from flask_babel import format_decimal, format_percent, gettext as _, lazy_gettext as _l

from ..catalog.models import GROUP_LABELS, PLACE_TYPE_LABELS, PRODUCER_KIND_LABELS
from ..i18n import format_vnd
from ..timeutil import local_today
from ..web.admin import bp
from .bookings import BOOKING_TABLES
from .catalogue import CATALOGUE_TABLES
from .charts import bar_chart
from .forms import PeriodForm
from .sales import SALES_TABLES, Period
from .table import Table, to_csv

COLUMN_LABELS = {
    "stars": _l("Hạng sao"), "products": _l("Sản phẩm"), "group": _l("Nhóm sản phẩm"),
    "district": _l("Quận/huyện"), "village": _l("Làng nghề"), "share_4_5": _l("Tỉ lệ 4–5 sao"),
    "kind": _l("Loại hình"), "producers": _l("Cơ sở sản xuất"), "verified": _l("Đã xác minh"),
    "with_listed_products": _l("Có sản phẩm đang bán"), "place_type": _l("Loại điểm bán"),
    "outlets": _l("Điểm bán"), "outlet": _l("Điểm bán"), "month": _l("Tháng"),
    "orders": _l("Đơn hàng"), "units": _l("Số lượng"), "revenue": _l("Doanh thu (đồng)"),
    "pickups_decided": _l("Lượt nhận đã kết thúc"), "no_show_rate": _l("Tỉ lệ không đến nhận"),
    "bookings": _l("Lượt đặt chỗ"), "seats": _l("Chỗ đã bán"), "check_ins": _l("Lượt check-in"),
}
TABLE_TITLES = {
    "products_by_stars": _l("Sản phẩm đang bán theo hạng sao"),
    "products_by_group": _l("Sản phẩm đang bán theo nhóm"),
    "products_by_district": _l("Sản phẩm đang bán theo quận/huyện"),
    "products_by_village": _l("Sản phẩm đang bán theo làng nghề"),
    "producers_by_kind": _l("Cơ sở sản xuất theo loại hình"),
    "outlets_by_type_and_district": _l("Điểm bán theo loại và quận/huyện"),
    "outlets": _l("Từng điểm bán: sản phẩm và cơ sở sản xuất"),
    "sales_by_month": _l("Bán hàng theo tháng"),
    "sales_by_outlet": _l("Bán hàng theo điểm bán"),
    "sales_by_village": _l("Bán hàng theo làng nghề"),
    "sales_by_stars": _l("Bán hàng theo hạng sao"),
    "sales_by_group": _l("Bán hàng theo nhóm sản phẩm"),
    "bookings_by_month": _l("Đặt chỗ trải nghiệm theo tháng"),
    "bookings_by_village": _l("Đặt chỗ trải nghiệm theo làng nghề"),
    "bookings_by_stars": _l("Đặt chỗ trải nghiệm theo hạng sao"),
}


def _default_period(today: date) -> Period:
    """The last twelve months, from the first day of the month eleven months ago."""
    months = today.year * 12 + today.month - 1 - 11
    return Period(date(months // 12, months % 12 + 1, 1), today)


def _period() -> tuple[PeriodForm, Period | None]:
    """Read the period from the query string; None when it is given and wrong."""
    default = _default_period(local_today())
    if "start" not in request.args and "end" not in request.args:
        form = PeriodForm(formdata=None, start=default.start, end=default.end)
        return form, default
    form = PeriodForm(request.args)
    return form, Period(form.start.data, form.end.data) if form.validate() else None


def cell(kind: str, value, *, for_csv: bool = False):
    """Show one value as people read it (labels in the reader's language, ₫, %)."""
    if value is None:
        return "" if for_csv else "—"
    if kind == "stars":
        return _("Không rõ") if not value else _("%(n)d sao", n=value)
    if kind == "group":
        return str(GROUP_LABELS.get(value, value))
    if kind == "kind":
        return str(PRODUCER_KIND_LABELS.get(value, value))
    if kind == "place_type":
        return str(PLACE_TYPE_LABELS.get(value, value))
    if kind == "text":
        return value or ("" if for_csv else _("Không rõ"))
    if kind == "percent":
        return f"{value * 100:.1f}" if for_csv else format_percent(value, "#,##0.0%")
    if kind == "money":
        return int(value) if for_csv else format_vnd(int(value))
    if kind == "month":
        year, month = value.split("-")
        return value if for_csv else _("%(month)s/%(year)s", month=month, year=year)
    return int(value) if for_csv else format_decimal(value)


def _headers(table: Table, for_csv: bool = False) -> list[str]:
    headers = []
    for key, kind in table.columns:
        label = str(COLUMN_LABELS[key])
        headers.append(f"{label} (%)" if for_csv and kind == "percent" else label)
    return headers


def _sales_charts(sales: dict[str, Table]) -> list:
    months = sales["sales_by_month"]
    month_labels = [cell("month", row[0]) for row in months.rows]
    return [
        bar_chart(_("Doanh thu theo tháng"), list(zip(month_labels, (r[3] for r in months.rows))),
                  show=lambda v: format_vnd(int(v))),
        bar_chart(_("Đơn hàng theo tháng"), list(zip(month_labels, (r[1] for r in months.rows))),
                  show=format_decimal),
    ]


def _stars_chart(catalogue: dict[str, Table]):
    return bar_chart(_("Sản phẩm đang bán theo hạng sao"),
                     [(cell("stars", r[0]), r[1]) for r in catalogue["products_by_stars"].rows],
                     show=format_decimal)


BREAKDOWNS = ("sales_by_outlet", "sales_by_village", "sales_by_stars", "sales_by_group")
ROWS_SHOWN = 50  # a longer table shows its top rows; its CSV has them all


@bp.get("/reports/", endpoint="reports")
def index():
    """The listed catalogue today: products, producers and sales points."""
    today = local_today()
    catalogue = {name: build(today) for name, build in CATALOGUE_TABLES.items()}
    return render_template("reports/index.html", catalogue=catalogue, stars_chart=_stars_chart(catalogue),
                           titles=TABLE_TITLES, cell=cell, headers=_headers, today=today,
                           rows_shown=ROWS_SHOWN)


@bp.get("/reports/sales", endpoint="sales_report")
def sales():
    """Sales in a period: the months, and one breakdown (outlet, village, stars or group) at a time."""
    by = request.args.get("by", BREAKDOWNS[0])
    if by not in BREAKDOWNS:
        abort(404)
    form, period = _period()
    tables = {}
    if period:
        tables = {name: SALES_TABLES[name](period) for name in ("sales_by_month", by)}
    return render_template(
        "reports/sales.html", form=form, period=period, by=by, breakdowns=BREAKDOWNS, tables=tables,
        sales_charts=_sales_charts(tables) if period else [], titles=TABLE_TITLES, cell=cell,
        headers=_headers, rows_shown=ROWS_SHOWN,
    ), 200 if period else 400


@bp.get("/reports/bookings", endpoint="bookings_report")
def bookings():
    """Experience bookings in a period: bookings, seats sold and check-ins by month, village and stars."""
    form, period = _period()
    tables = {name: build(period) for name, build in BOOKING_TABLES.items()} if period else {}
    return render_template("reports/bookings.html", form=form, period=period, tables=tables,
                           titles=TABLE_TITLES, cell=cell, headers=_headers,
                           rows_shown=ROWS_SHOWN), 200 if period else 400


@bp.get("/reports/<name>.csv", endpoint="report_csv")
def download(name: str):
    if name in CATALOGUE_TABLES:
        table = CATALOGUE_TABLES[name](local_today())
    elif name in SALES_TABLES or name in BOOKING_TABLES:
        _form, period = _period()
        if period is None:
            abort(400)
        table = (SALES_TABLES.get(name) or BOOKING_TABLES[name])(period)
    else:
        abort(404)
    body = to_csv(table, _headers(table, for_csv=True), lambda kind, v: cell(kind, v, for_csv=True))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="ocop-{name}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
