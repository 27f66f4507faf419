from django.urls import path

from billing.payments.views import sandbox

app_name = "sandbox"

urlpatterns = [path("checkout/<str:token>/", sandbox.checkout, name="checkout")]
