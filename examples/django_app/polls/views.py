from django.db import transaction
from django.db.models import F
from django.http import JsonResponse

from polls.models import Choice


def vote(request, pk, choice):
    with transaction.atomic():
        Choice.objects.filter(pk=choice, question_id=pk).update(votes=F("votes") + 1)
        votes = Choice.objects.get(pk=choice).votes
    return JsonResponse({"votes": votes})
