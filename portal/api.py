"""The one NinjaAPI of the partner interfaces: each side adds its router in one line; docs at /api/docs/.

Mounted at the site root because the standards fix their own paths (`/v1.0/...` for SNAP BI, `/open311/v2/...` for
Open311).
"""

from ninja import NinjaAPI

from billing.partners.snap.api import router as snap_router
from complaints.open311.api import router as open311_router

api = NinjaAPI(
    title="Tirta partner API",
    version="1.0",
    urls_namespace="api",
    docs_url="/api/docs/",
    openapi_url="/api/openapi.json",
)
api.add_router("/v1.0/", snap_router)
api.add_router("/open311/v2/", open311_router)
