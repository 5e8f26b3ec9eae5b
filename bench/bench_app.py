"""The shop as gunicorn serves it in the benchmark, plus two things only the benchmark has.

- ``/_bench/bare``: the same 24 newest listed product names as ``/products``, with ONE query
  and a plain template string: the floor the real pages are compared to.
- ``X-Query-Count``: how many SQL statements the request ran (a ``before_cursor_execute``
  listener), so the report can show queries per page.

Run as ``gunicorn bench.bench_app:app`` from the repository root; the app code is untouched.
"""
import sys
from pathlib import Path

from flask import g, has_request_context, render_template_string
from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storefront import create_app  # noqa: E402
from storefront.extensions import db  # noqa: E402
from storefront.timeutil import local_today  # noqa: E402

# CROSS JOIN keeps product the outer loop in SQLite, so its created_at index serves ORDER BY ...
# LIMIT without sorting every product; PostgreSQL plans it as the plain join it is.
BARE_QUERY = text("""
    SELECT p.name_vi FROM product p CROSS JOIN producer pr
    WHERE pr.id = p.producer_id AND p.status = 'published' AND pr.status = 'verified'
      AND EXISTS (SELECT 1 FROM certificate c WHERE c.product_id = p.id
                  AND c.status = 'verified' AND c.expires_on > :today)
    ORDER BY p.created_at DESC, p.id DESC LIMIT 24
""")
BARE_PAGE = ("<!doctype html><meta charset=utf-8><title>bare</title><ul>"
             "{% for name in names %}<li>{{ name }}</li>{% endfor %}</ul>")


def _count_query(*_args) -> None:
    if has_request_context():
        g.bench_queries = g.get("bench_queries", 0) + 1


def _report_queries(response):
    response.headers["X-Query-Count"] = str(g.get("bench_queries", 0))
    return response


def bare():
    names = db.session.scalars(BARE_QUERY, {"today": local_today()}).all()
    return render_template_string(BARE_PAGE, names=names)


def create_bench_app():
    """Return the real app with the bare page and the query counter added."""
    app = create_app()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count_query)
    app.after_request(_report_queries)
    app.add_url_rule("/_bench/bare", "bench_bare", bare)
    return app


app = create_bench_app()
