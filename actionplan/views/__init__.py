"""Action plan views: the plan with its filters and export (``plan``), one action (``actions``), progress and
evidence (``progress``), importing from a spreadsheet (``imports``) and the working group's meetings
(``meetings``)."""
