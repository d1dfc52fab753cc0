"""Views of the decisions stage, one module per part of the process."""
