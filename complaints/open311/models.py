"""What Open311 adds to a complaint filed through it: the partner, the spec's token and the partner's media link."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.partners.models import Partner
from complaints.models import Complaint


class Open311Request(models.Model):
    """A complaint filed by a partner over Open311."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="open311")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    # The spec's token lets a partner find the request id later; ours is known at once, but clients may ask.
    token = models.CharField(_("token"), max_length=32, unique=True)
    # Kept as a link for staff to open; never fetched by the server (no requests to addresses a partner chooses).
    media_url = models.URLField(_("media link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "complaints"
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return self.token
