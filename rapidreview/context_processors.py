"""What every page's layout needs: the partnership it shows, the others the reader may switch to, and the
navigation for this user's roles in it (and the installation's page for its administrator)."""

from django.conf import settings
from django.urls import reverse

from rapidreview.accounts.decorators import is_installation_admin
from rapidreview.accounts.selectors import partnerships_of
from rapidreview.registry import nav_for


def shell(request):
    # Public pages that belong to one partnership (the referral form) set request.partnership themselves.
    context = {"partnership": getattr(request, "partnership", None), "installation_name": settings.INSTALLATION_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        nav = nav_for(user, request.path)
        if is_installation_admin(user):
            url = reverse("accounts:installation")
            nav.append({"label": "Partnerships", "url": url, "active": request.path.startswith(url)})
        context["nav_items"] = nav
        context["my_partnerships"] = partnerships_of(user)
    return context
