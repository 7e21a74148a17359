"""Reusable UI pieces: formatting, key-figure cards, source lines, banners, login."""
