"""Complaints about an order (Consumer Protection Law 19/2023): filed from the order's page,
answered by the outlet's staff or the admins, tracked open → answered → resolved with due dates."""
