from django.urls import path

from danvan.documents import views

app_name = "documents"

urlpatterns = [
    path("official.css", views.stylesheet, name="css"),
    path("<int:pk>/render/", views.render_again, name="render"),
    path("<int:pk>/unsigned.pdf", views.unsigned_pdf, name="unsigned"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
