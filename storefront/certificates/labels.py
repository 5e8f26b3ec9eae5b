"""Printable sticker sheets: product name, stars and a QR code that opens the certificate's check page.

Layouts are the common A4 label sheets producers can buy at any stationer's; measurements in mm
are the manufacturers' (page margins, label size, gaps between labels).
"""
import io
from dataclasses import dataclass
from pathlib import Path

import segno
from flask_babel import gettext as _, lazy_gettext as _l
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "fonts"


@dataclass(frozen=True)
class Layout:
    key: str
    label: str
    columns: int
    rows: int
    width: float       # of one label
    height: float
    left: float        # page margin to the first label
    top: float
    gap_x: float = 0.0  # between labels
    gap_y: float = 0.0

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def origin(self, index: int) -> tuple[float, float]:
        """Return the top-left corner of the ``index``-th label on its sheet."""
        row, column = divmod(index % self.per_sheet, self.columns)
        return (self.left + column * (self.width + self.gap_x),
                self.top + row * (self.height + self.gap_y))


LAYOUTS = {
    layout.key: layout for layout in (
        Layout("a4-3x8", _l("A4, 3 × 8 nhãn 70 × 37 mm (24 nhãn/tờ)"), 3, 8, 70, 37, 0, 0.5),
        Layout("a4-3x7", _l("A4, 3 × 7 nhãn 63,5 × 38,1 mm (21 nhãn/tờ)"), 3, 7, 63.5, 38.1,
               7.2, 15.15, 2.5, 0),
        Layout("a4-2x7", _l("A4, 2 × 7 nhãn 99,1 × 38,1 mm (14 nhãn/tờ)"), 2, 7, 99.1, 38.1,
               4.65, 15.15, 2.5, 0),
    )
}
DEFAULT_LAYOUT = "a4-3x8"
MAX_LABELS = 480  # twenty sheets: enough for a print run, small enough for one request


@dataclass(frozen=True)
class Label:
    """What one sticker shows."""

    product_name: str
    stars: int
    code: str
    url: str


def _qr_png(url: str) -> io.BytesIO:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=0)
    out.seek(0)
    return out


class _Sheet(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_creator("OCOP Hà Nội")


_MAX_NAME_LINES = 4


def _draw(pdf: _Sheet, layout: Layout, x: float, y: float, label: Label) -> None:
    pad = 2.5
    qr_size = min(layout.height - 2 * pad, layout.width * 0.42)
    pdf.image(_qr_png(label.url), x=x + layout.width - pad - qr_size, y=y + pad, w=qr_size, h=qr_size)
    text_w = layout.width - 3 * pad - qr_size
    pdf.set_xy(x + pad, y + pad)
    pdf.set_font("DejaVu", "B", 8)
    lines = pdf.multi_cell(text_w, 3.6, label.product_name, dry_run=True, output="LINES")
    shown = lines[:_MAX_NAME_LINES]
    if len(lines) > _MAX_NAME_LINES:  # a long name is cut with an ellipsis, never overflows the label
        shown[-1] = shown[-1].rstrip()[:-1] + "…"
    pdf.multi_cell(text_w, 3.6, "\n".join(shown), new_x="LEFT", new_y="NEXT")
    pdf.set_xy(x + pad, y + layout.height - pad - 11)
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(text_w, 4, f"OCOP {'★' * label.stars}", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "", 6)
    pdf.cell(text_w, 3, _("Quét mã để kiểm tra chứng nhận"), new_x="LEFT", new_y="NEXT")
    pdf.cell(text_w, 3, _("Mã: %(code)s", code=label.code))


def label_sheet(labels: list[Label], layout_key: str = DEFAULT_LAYOUT) -> bytes:
    """Return a PDF with ``labels`` laid out on as many sheets as they need."""
    layout = LAYOUTS[layout_key]
    pdf = _Sheet()
    pdf.set_title(_("Nhãn OCOP"))
    for index, label in enumerate(labels):
        if index % layout.per_sheet == 0:
            pdf.add_page()
        _draw(pdf, layout, *layout.origin(index), label)
    return bytes(pdf.output())
