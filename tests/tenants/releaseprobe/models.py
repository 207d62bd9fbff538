from django.db import models


class Probe(models.Model):
    schema = models.CharField(max_length=63)
