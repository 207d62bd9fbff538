from django.db import models


class Probe(models.Model):
    schema = models.CharField(max_length=63)

    def __str__(self) -> str:
        return self.schema
