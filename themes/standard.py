"""The standard list of practice themes every partnership starts with.

The one place the list lives: the migration that seeded the first installation's themes, the demo and every new
partnership (``themes.receivers.give_standard_themes``, on ``partnership_created``) read it. Plain data with no
imports, so a migration may read it too. A partnership then keeps its own list: renaming or deactivating a theme
changes only that partnership's.
"""

STANDARD_THEMES = (
    "Neglect",
    "Domestic abuse",
    "Parental mental health",
    "Parental substance misuse",
    "Safe sleep and sudden unexpected death in infancy",
    "Non-accidental injury in infants",
    "Bruising in non-mobile babies",
    "Child sexual abuse",
    "Criminal and sexual exploitation",
    "Online harm",
    "Adolescent self-harm and suicide",
    "Serious youth violence",
    "Information sharing",
    "Professional curiosity",
    "The voice of the child",
    "Fathers and male carers",
    "Special educational needs and disability",
    "Race, culture and identity",
    "Housing",
    "Missed health appointments",
)
