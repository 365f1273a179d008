from django.urls import path

from pacts import views

app_name = "pacts"

urlpatterns = [
    path("", views.home, name="home"),
    path("pactes/<slug:slug>/", views.PactDetailView.as_view(), name="detail"),
]
