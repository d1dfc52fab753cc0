"""Themes views: the list of themes (``themes``), the two logs and a case's themes (``logs``), the report
(``report``), learning events and bulletins (``learning``) and the annual statistics (``statistics``)."""
