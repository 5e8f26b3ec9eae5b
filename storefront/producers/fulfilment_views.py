"""Producer pages for orders: the goods to bring to outlets, and what has sold.

Every line is loaded through
``lines_of(producer)``, so another producer's lines never appear.
"""
from datetime import timedelta

from flask import render_template, request
from flask_login import current_user

from ..orders.models import LINE_STATUS_LABELS, PICKUP_STATUS_LABELS
from ..timeutil import add_months, local_today
from ..web.producer import bp
from . import fulfilment_queries as queries
from .fulfilment_forms import DateRangeForm

HISTORY_DAYS = 30


@bp.get("/orders")
def orders_to_bring():
    producer = current_user.producer
    history = request.args.get("show") == "history"
    form = DateRangeForm(request.args)
    form.validate()
    if history:
        first, last = form.period(local_today() - timedelta(days=HISTORY_DAYS))
        lines = queries.line_history(producer, first, last)
    else:
        first = last = None
        lines = queries.lines_to_bring(producer)
    return render_template("producers/fulfilment_orders.html", producer=producer, form=form,
                           history=history, first=first, last=last, today=local_today(),
                           groups=queries.group_by_outlet(lines), line_labels=LINE_STATUS_LABELS,
                           pickup_labels=PICKUP_STATUS_LABELS)


@bp.get("/sales")
def sales():
    form = DateRangeForm(request.args)
    form.validate()
    first, last = form.period(add_months(local_today(), -11).replace(day=1))
    report = queries.sales_report(current_user.producer, first, last)
    return render_template("producers/fulfilment_sales.html", form=form, report=report)
