"""What every page's layout needs: the partnership's name and the navigation for this user's roles."""

from rapidreview.accounts.models import Partnership
from rapidreview.registry import nav_for


def shell(request):
    context = {"partnership": Partnership.load()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_for(user, request.path)
    return context
