"""Accounts views: signing in and out, lockout and password reset (``signin``), your account, second factor and
re-authentication (``account``), and the business unit's administration of people and roles (``people``) and
of the partnership and its agencies (``partnership``)."""
