from django.urls import path

from billing.payments.sandbox import views as sandbox

app_name = "sandbox"

urlpatterns = [path("checkout/<str:token>/", sandbox.checkout, name="checkout")]
