"""Experiences: craft workshops and community-tourism visits, sold by dated session."""
