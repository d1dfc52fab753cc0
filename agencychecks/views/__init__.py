"""Pages for agency check forms, one module per part of the process: the lists and the case board (``lists``),
issuing (``issue``), completing a form (``completing``), quality assurance and versions (``review``), distributing
and reading the pack (``pack``) and the glossary (``glossary``).

Every form is fetched through ``selectors.get_visible_form``: a form the user may not see answers 404.
"""
