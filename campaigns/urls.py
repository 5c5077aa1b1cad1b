from django.urls import path

from campaigns import views
from danvan.converters import register_choices

register_choices("part", ["basis", "section", "item"])
register_choices("direction", ["up", "down"])

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/clone/", views.campaign_clone, name="clone"),
    path("<int:pk>/issue/", views.campaign_issue, name="issue"),
    path("<int:pk>/close/", views.campaign_close, name="close"),
    path(
        "<int:pk>/send-for-signature/",
        views.campaign_send_for_signature,
        name="send_for_signature",
    ),
    path("<int:pk>/plan/", views.plan_editor, name="plan"),
    path("<int:pk>/plan/print/", views.plan_print, name="plan_print"),
    path("<int:pk>/plan.<fileformat:fmt>", views.plan_download, name="plan_download"),
    path("<int:pk>/plan/<part:kind>/new/", views.plan_part_edit, name="part_new"),
    path(
        "<int:pk>/plan/sections/<int:section_pk>/items/new/",
        views.plan_part_edit,
        {"kind": "item"},
        name="item_new",
    ),
    path(
        "<int:pk>/plan/items/<int:parent_pk>/children/new/",
        views.plan_part_edit,
        {"kind": "item"},
        name="child_new",
    ),
    path("<int:pk>/plan/<part:kind>/<int:part_pk>/", views.plan_part_edit, name="part_edit"),
    path(
        "<int:pk>/plan/<part:kind>/<int:part_pk>/delete/",
        views.plan_part_delete,
        name="part_delete",
    ),
    path(
        "<int:pk>/plan/<part:kind>/<int:part_pk>/<direction:direction>/",
        views.plan_part_move,
        name="part_move",
    ),
]
