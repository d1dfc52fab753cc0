"""Signals panels sends for later stages to react to, without panels importing them."""

from django.dispatch import Signal

# Sent (sender=PanelInvitation, invitation=...) when an agreed substitute takes a conflicted member's seat, inside the
# transaction that seats them. ``agencychecks`` sends them the pack when it has already gone to the panel.
substitute_seated = Signal()
