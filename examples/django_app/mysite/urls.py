from django.urls import path

from polls import views

urlpatterns = [path("questions/<int:pk>/vote/<int:choice>/", views.vote)]
