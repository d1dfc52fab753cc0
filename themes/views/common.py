"""Helpers the themes views share: who may read themes."""

from rapidreview.accounts.models import Role

THEME_VIEWERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR)
