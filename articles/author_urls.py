from django.urls import path

from articles.views import AuthorView

app_name = "authors"

urlpatterns = [path("<author_name:name>/", AuthorView.as_view(), name="detail")]
