from django.urls import path

from territories import views

app_name = "territories"

urlpatterns = [
    path("territoires/<slug:slug>/", views.TerritoryDetailView.as_view(), name="detail"),
    path("organismes/<slug:slug>/", views.BodyDetailView.as_view(), name="body_detail"),
]
