"""A report table: named columns with a kind each (how to show it), and its rows."""
import csv
import io
from dataclasses import dataclass, field


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str]]  # (key, kind): kind says how a cell is shown and written
    rows: list = field(default_factory=list)

    def total(self, key: str):
        index = [k for k, _ in self.columns].index(key)
        return sum(row[index] or 0 for row in self.rows)


def to_csv(table: Table, headers: list[str], cell) -> bytes:
    """Return the table as CSV in UTF-8 with a byte-order mark, so Excel reads Vietnamese right.

    ``cell(kind, value)`` turns each value into what a person reads (labels, percentages).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in table.rows:
        writer.writerow([cell(kind, value) for (_, kind), value in zip(table.columns, row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
