from django.db import models
from django.db.models.functions import Lower


class WireSubjectRule(models.Model):
    """Files wire stories with a subject code or keyword in a section, before the default rule
    (a subject named like a section) is tried."""

    subject = models.CharField(
        max_length=200,
        help_text="An IPTC Media Topic code, e.g. medtop:20000822, or a keyword or subject name the "
        "agency sends, e.g. baseball. Capitals do not matter.",
    )
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="wire_rules")

    class Meta:
        ordering = ["subject"]
        verbose_name = "wire subject rule"
        constraints = [
            models.UniqueConstraint(
                Lower("subject"),
                name="wire_subject_rule_unique_subject",
                violation_error_message="There is already a rule for this subject.",
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.section}"

    def save(self, *args, **kwargs):
        self.subject = self.subject.strip()
        super().save(*args, **kwargs)
