class UnicodeSlugConverter:
    """Like `<slug:>`, but also matches slugs in Cyrillic, Chinese and other scripts."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
