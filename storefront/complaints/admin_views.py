"""Admins answer every complaint at /admin/complaints."""
from ..web.admin import bp
from . import staff_pages


@bp.get("/complaints", endpoint="complaints")
def complaints():
    return staff_pages.list_page("admin")


@bp.route("/complaints/<int:complaint_id>", methods=["GET", "POST"], endpoint="complaint")
def complaint(complaint_id: int):
    return staff_pages.detail_page("admin", complaint_id)


@bp.get("/complaints/<int:complaint_id>/photo", endpoint="complaint_photo")
def complaint_photo(complaint_id: int):
    return staff_pages.photo(complaint_id)
