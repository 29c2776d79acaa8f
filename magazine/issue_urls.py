from django.urls import path

from magazine import views
from sections.views import SectionDetailView

app_name = "issues"

urlpatterns = [
    path("", views.IssueListView.as_view(), name="list"),
    path("<year:year>/<issue_number:number>/", views.IssueDetailView.as_view(), name="detail"),
    path(
        "<year:year>/<issue_number:number>/pages/<page_code:code>/",
        SectionDetailView.as_view(),
        name="page",
    ),
]
