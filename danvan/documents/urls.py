from django.urls import path

from danvan.documents import views

app_name = "documents"

urlpatterns = [
    path("official.css", views.stylesheet, name="css"),
    path("<int:pk>/render/", views.render_again, name="render"),
]
