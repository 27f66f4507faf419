from django.urls import path

from complaints.views import public

app_name = "complaints"

urlpatterns = [
    path("report/", public.new_report, name="new"),
    path("track/", public.track, name="track"),
    path("tickets/<str:ticket>/", public.ticket, name="ticket"),
    path("tickets/<str:ticket>/comment/", public.comment, name="comment"),
    path("tickets/<str:ticket>/rate/", public.rate, name="rate"),
    path("photos/<int:pk>/", public.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", public.photo_thumbnail, name="photo-thumbnail"),
]
