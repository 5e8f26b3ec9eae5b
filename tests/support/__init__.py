"""Helpers and fixtures shared by several test modules: the hand-counted catalogue, the SQL
recorder and the race harness."""
