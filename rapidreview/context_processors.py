"""What every page's layout needs: the partnership it shows, the others the reader may switch to, and the
navigation for this user's roles in it."""

from rapidreview.accounts.selectors import partnerships_of
from rapidreview.registry import nav_for


def shell(request):
    # Public pages that belong to one partnership (the referral form) set request.partnership themselves.
    context = {"partnership": getattr(request, "partnership", None)}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_for(user, request.path)
        context["my_partnerships"] = partnerships_of(user)
    return context
