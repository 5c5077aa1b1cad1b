from django.urls import path

from awards import views

urlpatterns = [
    path("<slug:code>/", views.public_honour_board, name="public_honours"),
]
