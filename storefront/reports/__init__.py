"""Figures for the city's OCOP coordinators: the listed catalogue, sales points and sales."""
