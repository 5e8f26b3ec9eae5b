"""Outlet staff answer the complaints about their outlet at /outlet/complaints."""
from ..web.outlet import bp
from . import staff_pages


@bp.get("/complaints", endpoint="complaints")
def complaints():
    return staff_pages.list_page("outlet")


@bp.route("/complaints/<int:complaint_id>", methods=["GET", "POST"], endpoint="complaint")
def complaint(complaint_id: int):
    return staff_pages.detail_page("outlet", complaint_id)


@bp.get("/complaints/<int:complaint_id>/photo", endpoint="complaint_photo")
def complaint_photo(complaint_id: int):
    return staff_pages.photo(complaint_id)
