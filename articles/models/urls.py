from django.urls import reverse


def remembered_reverse(instance, viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), kept on `instance` while the kwargs stay the same.

    A page asks the same story, section or contributor for its URL several times (links, Open
    Graph, JSON-LD, header and footer), and reversing a URL is among the dearest steps of a
    render. A changed slug or date changes the kwargs, so the URL is worked out again.
    """
    asked = (viewname, tuple(kwargs.items()))
    remembered = instance.__dict__.get("_remembered_url")
    if remembered is None or remembered[0] != asked:
        remembered = instance.__dict__["_remembered_url"] = (asked, reverse(viewname, kwargs=kwargs))
    return remembered[1]
