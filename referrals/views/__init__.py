"""Referral views: intake by professionals and the business unit (``intake``), the public form (``public``),
the case list and pages (``cases``), and the threshold, SIN and "not met" steps (``steps``)."""
