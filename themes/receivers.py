"""What the themes app does when something happens elsewhere: a new partnership starts with the standard list."""

from .services import themes_seed


def give_standard_themes(sender, partnership, **kwargs) -> None:
    """``rapidreview.accounts.signals.partnership_created``: the new partnership's themes list is the standard one."""
    themes_seed(partnership=partnership)
